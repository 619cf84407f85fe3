"""Writes about storefronts: a new storefront's trust pages."""

from galerie.storefronts.models import Storefront, StorefrontPage, StorefrontPageKind
from galerie.storefronts.pages import operator_identity, page_default


def storefront_pages_create_defaults(*, storefront: Storefront) -> int:
    """Give the storefront each trust page it lacks, with its default text (the operator's details
    as they are now), so that the back office shows every page ready to edit. Pages it has are
    left alone. Returns how many were created (one query when none is missing)."""
    present = set(storefront.pages.values_list("kind", flat=True))
    missing = [kind for kind in StorefrontPageKind.values if kind not in present]
    if not missing:
        return 0
    operator = operator_identity()
    pages = [page_default(storefront=storefront, kind=kind, operator=operator) for kind in missing]
    StorefrontPage.objects.bulk_create(pages)
    return len(pages)
