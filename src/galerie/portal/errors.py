"""Portal errors, each with a stable code the seller API returns."""

from galerie.core.errors import DomainError


class PortalError(DomainError):
    code = "portal_error"


class SellerCannotPublish(PortalError):
    """The seller's status (applied, suspended, closed …) forbids changing offers."""

    code = "seller_cannot_publish"
    status = 403


class ProductError(PortalError):
    code = "product_invalid"


class BulkUpdateError(PortalError):
    """The uploaded file itself is unusable (not a row-level problem)."""

    code = "bulk_file_invalid"


class FeedUploadError(PortalError):
    """The catalogue feed sent from the portal cannot be imported (not a row-level problem)."""

    code = "feed_file_invalid"
