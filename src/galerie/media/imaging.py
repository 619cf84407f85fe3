"""Pictures as files: the checks every original passes (type, bytes, pixels, decodable), the
thumbnails made with Pillow, and where both live under MEDIA_ROOT. No database here."""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from galerie.media.errors import ImageRefused
from galerie.media.models import MIN_WIDTH, THUMBNAIL_WIDTHS

# Pillow format → the extension an original is stored under. Nothing else is accepted.
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ACCEPTED_CONTENT_TYPES = {"image/jpeg", "image/png", "image/webp"}
DIGEST_RE = re.compile(r"^[0-9a-f]{64}$")
THUMBNAIL_QUALITY = 80


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    digest: str
    extension: str
    width: int
    height: int


def image_check(data: bytes) -> CheckedImage:
    """Accept `data` only if it is a JPEG, PNG or WebP picture within the byte and pixel limits,
    at least MIN_WIDTH wide, that decodes completely. Raises ImageRefused with a message for
    people otherwise. The pixel count is read from the header, before anything is decoded."""
    max_bytes = settings.GALERIE_IMAGE_MAX_BYTES
    if len(data) > max_bytes:
        raise ImageRefused(
            _("Image trop lourde : %(max)d Mo au plus.") % {"max": max_bytes // (1024 * 1024)},
            code="image_too_large",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = image.format
                width, height = image.size
                if kind not in ACCEPTED_FORMATS:
                    raise ImageRefused(
                        _("Format refusé : JPEG, PNG ou WebP seulement."), code="image_type"
                    )
                if width * height > settings.GALERIE_IMAGE_MAX_PIXELS:
                    raise ImageRefused(
                        _("Image trop grande : %(max)d mégapixels au plus.")
                        % {"max": settings.GALERIE_IMAGE_MAX_PIXELS // 1_000_000},
                        code="image_too_many_pixels",
                    )
                image.load()  # a truncated or corrupt file fails here, not in a thumbnail
                if image.getexif().get(0x0112, 1) in (5, 6, 7, 8):  # shown turned a quarter
                    width, height = height, width
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused(
            _("Image trop grande : %(max)d mégapixels au plus.")
            % {"max": settings.GALERIE_IMAGE_MAX_PIXELS // 1_000_000},
            code="image_too_many_pixels",
        ) from None
    except (OSError, ValueError, SyntaxError, Image.UnidentifiedImageError):
        raise ImageRefused(
            _("Ce fichier n'est pas une image lisible (JPEG, PNG ou WebP)."), code="image_invalid"
        ) from None
    if width < MIN_WIDTH:
        raise ImageRefused(
            _("Image trop petite : %(min)d pixels de large au moins.") % {"min": MIN_WIDTH},
            code="image_too_small",
        )
    return CheckedImage(
        data=data,
        digest=hashlib.sha256(data).hexdigest(),
        extension=ACCEPTED_FORMATS[kind],
        width=width,
        height=height,
    )


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def original_name(digest: str, extension: str) -> str:
    return f"originals/{digest[:2]}/{digest}.{extension}"


def thumbnail_path(digest: str, width: int) -> Path:
    """Where a thumbnail lives. `digest` must match DIGEST_RE and `width` be a thumbnail width:
    the name is built from checked parts only, never from a request's path."""
    if not DIGEST_RE.match(digest) or width not in THUMBNAIL_WIDTHS:
        raise ValueError("not a thumbnail name")
    return media_root() / "thumbnails" / digest[:2] / f"{digest}-{width}.webp"


def thumbnail_widths(width: int) -> tuple[int, ...]:
    """The thumbnail widths made for an original `width` pixels wide (never enlarged)."""
    return tuple(w for w in THUMBNAIL_WIDTHS if w <= width) or (THUMBNAIL_WIDTHS[0],)


def file_write(path: Path, data: bytes) -> None:
    """Write atomically: a reader (or a second writer of the same name) never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def original_write(checked: CheckedImage) -> str:
    name = original_name(checked.digest, checked.extension)
    path = media_root() / name
    if not path.exists():
        file_write(path, checked.data)
    return name


def thumbnails_write(
    image: Image.Image, digest: str, *, widths: tuple[int, ...] | None = None, method: int = 4
) -> None:
    """Write the thumbnails of `image` (an opened, decoded picture) as WebP: every width, or
    those of `widths`. `method` trades encoding time for size (0 fast … 6 small)."""
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    for width in widths or thumbnail_widths(image.width):
        height = max(1, round(image.height * width / image.width))
        small = image.resize((width, height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        small.save(out, "WEBP", quality=THUMBNAIL_QUALITY, method=method)
        file_write(thumbnail_path(digest, width), out.getvalue())


def thumbnails_from_original(name: str, digest: str) -> None:
    with Image.open(media_root() / name) as image:
        image.load()
        thumbnails_write(image, digest)
