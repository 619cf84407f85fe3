"""Why a picture was refused, with a stable code (the API and forms show the message)."""

from galerie.core.errors import DomainError


class ImageRefused(DomainError):
    code = "image_refused"
