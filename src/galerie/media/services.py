"""Every change to product pictures: an upload (admin, seller portal), a feed picture fetched,
a thumbnail made again from its source. Each shown change bumps the product's and its listings'
cache versions, so cached pages show the picture once it is ready."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from galerie.catalog.models import Product
from galerie.catalog.selectors import category_ancestor_ids
from galerie.core.versions import listing_key, product_key, versions_bump
from galerie.media.demo import demo_picture_draw
from galerie.media.errors import ImageRefused
from galerie.media.fetch import image_download
from galerie.media.imaging import (
    CheckedImage,
    image_check,
    original_write,
    thumbnail_path,
    thumbnail_widths,
    thumbnails_from_original,
    thumbnails_write,
)
from galerie.media.models import ImageSource, ImageStatus, ProductImage


def _shown_changed(product_id: int, category_id: int) -> None:
    keys = [product_key(product_id)]
    keys += [listing_key(c) for c in category_ancestor_ids([category_id])]
    versions_bump(keys)


def upload_read(upload) -> bytes:
    """The bytes of an uploaded file (or bytes), refused before reading when it is too large."""
    if isinstance(upload, bytes | bytearray):
        return bytes(upload)
    max_bytes = settings.GALERIE_IMAGE_MAX_BYTES
    if getattr(upload, "size", 0) and upload.size > max_bytes:
        raise ImageRefused(
            _("Image trop lourde : %(max)d Mo au plus.") % {"max": max_bytes // (1024 * 1024)},
            code="image_too_large",
        )
    upload.seek(0)
    return upload.read(max_bytes + 1)


def _store(image: ProductImage, checked: CheckedImage) -> None:
    """Write the original and its thumbnails, then mark `image` ready (files first: a ready row
    always has its files; a rolled-back row leaves only unreferenced, content-named files)."""
    image.original = original_write(checked)
    thumbnails_from_original(image.original, checked.digest)
    image.digest = checked.digest
    image.width, image.height = checked.width, checked.height
    image.status, image.error = ImageStatus.READY, ""


def _duplicate(product_id: int, digest: str, exclude: int | None = None) -> bool:
    rows = ProductImage.objects.filter(product_id=product_id, digest=digest)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return rows.exists()


def product_image_add(
    *,
    product: Product,
    upload,
    alt: str = "",
    source: str = ImageSource.UPLOAD,
    source_url: str = "",
) -> ProductImage:
    """Add a picture to `product` after the upload checks (type, bytes, pixels, decodable); it
    is shown after the pictures it already has. Raises ImageRefused, nothing changed."""
    checked = image_check(upload_read(upload))
    with transaction.atomic():
        Product.objects.select_for_update().filter(pk=product.pk).exists()  # one adder at a time
        if _duplicate(product.pk, checked.digest):
            raise ImageRefused(_("Cette image est déjà sur ce produit."), code="image_duplicate")
        last = ProductImage.objects.filter(product=product).aggregate(m=Max("position"))["m"]
        image = ProductImage(
            product=product,
            position=0 if last is None else last + 1,
            alt=alt[:250],
            source=source,
            source_url=source_url,
        )
        _store(image, checked)
        image.save()
        _shown_changed(product.pk, product.category_id)
    return image


def product_image_fetch(*, image_id: int) -> ProductImage | None:
    """Fetch a pending feed picture and store it, or mark it failed with the reason (the page
    keeps its placeholder). A picture no longer pending is left alone."""
    image = ProductImage.objects.select_related("product").filter(pk=image_id).first()
    if image is None or image.status != ImageStatus.PENDING:
        return image
    try:
        checked = image_check(image_download(image.source_url))
        if _duplicate(image.product_id, checked.digest, exclude=image.pk):
            raise ImageRefused(_("Cette image est déjà sur ce produit."), code="image_duplicate")
        _store(image, checked)
    except ImageRefused as exc:
        image.status, image.error = ImageStatus.FAILED, exc.message[:300]
        image.save(update_fields=["status", "error", "updated_at"])
        return image
    with transaction.atomic():
        image.save()
        _shown_changed(image.product_id, image.product.category_id)
    return image


def feed_images_create(*, links: list[tuple[int, str]]) -> list[int]:
    """Pending pictures for `(product id, image URL)` pairs from a feed (a link a product
    already has is skipped); returns their ids for the caller to queue the fetch task."""
    links = [(pid, url) for pid, url in links if url]
    if not links:
        return []
    known = set(
        ProductImage.objects.filter(product_id__in={pid for pid, _url in links})
        .exclude(source_url="")
        .values_list("product_id", "source_url")
    )
    rows, seen = [], set()
    for pid, url in links:
        if (pid, url) in known or (pid, url) in seen:
            continue
        seen.add((pid, url))
        rows.append(
            ProductImage(
                product_id=pid,
                position=100,  # after any uploaded picture
                source=ImageSource.FEED,
                source_url=url[:2000],
                status=ImageStatus.PENDING,
            )
        )
    return [image.pk for image in ProductImage.objects.bulk_create(rows)]


def thumbnail_file(*, digest: str, width: int) -> Path | None:
    """The thumbnail's file, made again from its source when missing (a demo picture is drawn on
    its first request); None when no ready picture has that name and width."""
    try:
        path = thumbnail_path(digest, width)
    except ValueError:
        return None
    if path.is_file():
        return path
    image = (
        ProductImage.objects.filter(digest=digest, status=ImageStatus.READY)
        .select_related("product", "product__product_type", "product__category")
        .first()
    )
    if image is None or width not in thumbnail_widths(image.width):
        return None
    if image.source == ImageSource.DEMO:
        # Drawn again (~25 ms) for each size asked: a card asks for one size only.
        thumbnails_write(demo_picture_draw(image.product), digest, widths=(width,), method=0)
    elif image.original:
        thumbnails_from_original(image.original, digest)
    return path if path.is_file() else None


def product_image_update(*, image: ProductImage, alt: str, position: int) -> ProductImage:
    """Change what a picture says (alt text) and where it is shown among the product's."""
    image.alt, image.position = alt[:250], position
    image.save(update_fields=["alt", "position", "updated_at"])
    _shown_changed(image.product_id, image.product.category_id)
    return image


def product_image_delete(*, image: ProductImage) -> None:
    """Remove a picture from its product (its files stay: another product may share them)."""
    product_id, category_id = image.product_id, image.product.category_id
    image.delete()
    _shown_changed(product_id, category_id)
