"""pictures entities of the storefront archive: the product pictures, their files inside.

An uploaded or fetched picture carries its original file (base64) in its row, so the row's
member checksum covers it; the import checks it again as an upload is checked (type, size,
pixels) and that it is the picture the row names (its SHA-256). A demo picture has no file: it
is drawn again from its product. Thumbnails are never carried; they are made on first request."""

import base64
import binascii

from django.utils.translation import gettext as _

from galerie.carveout.archive import ArchiveError
from galerie.carveout.entities.base import Entity, ImportContext, Scope
from galerie.core.errors import DomainError
from galerie.media.imaging import image_check, media_root, original_write
from galerie.media.models import ProductImage


class ProductPictures(Entity):
    name = "product_pictures"
    model = ProductImage
    fields = (
        "position",
        "alt",
        "source",
        "source_url",
        "status",
        "error",
        "digest",
        "original",
        "width",
        "height",
        "created_at",
        "updated_at",
    )
    refs = {"product": "products"}
    description = _("Photos des produits, fichier original compris (base64).")

    def queryset(self, scope: Scope):
        return ProductImage.objects.filter(product__in=scope.products())

    def export_row(self, row: dict, scope: Scope) -> dict:
        content = None
        if row["original"]:
            path = media_root() / row["original"]
            if path.is_file():
                content = base64.b64encode(path.read_bytes()).decode("ascii")
        return {**row, "content": content}

    def extra_schema(self) -> dict:
        return {
            "content": {
                "type": ["string", "null"],
                "contentEncoding": "base64",
                "description": _("Le fichier original ; null pour une image de démonstration."),
            }
        }

    def match(self, rows: list[dict], ctx: ImportContext) -> dict[int, int]:
        """The same picture (digest) already on the same product in the target."""
        products = ctx.maps.get("products", {})
        wanted = {(products.get(row.get("product")), row.get("digest")) for row in rows}
        known = {
            (product_id, digest): pk
            for pk, product_id, digest in ProductImage.objects.filter(
                product_id__in=[p for p, _d in wanted if p],
                digest__in=[d for _p, d in wanted if d],
            ).values_list("pk", "product_id", "digest")
        }
        return {
            row["id"]: known[key]
            for row in rows
            if (key := (products.get(row.get("product")), row.get("digest"))) in known
        }

    def build(self, row: dict, ctx: ImportContext, *, line: int):
        image = super().build(row, ctx, line=line)
        content = row.get("content")
        if content:
            try:
                checked = image_check(base64.b64decode(content, validate=True))
            except (binascii.Error, ValueError, DomainError) as exc:
                raise ArchiveError(
                    _("%(what)s, ligne %(line)s : image refusée (%(why)s).")
                    % {"what": self.name, "line": line, "why": exc}
                ) from exc
            if checked.digest != image.digest:
                raise ArchiveError(
                    _("%(what)s, ligne %(line)s : le fichier n'est pas l'image annoncée.")
                    % {"what": self.name, "line": line}
                )
            # Content-addressed: a rolled-back import leaves at most an unused file behind.
            image.original = original_write(checked)
        elif image.original:
            # A file the archive does not hold: the row stays, without a picture to show.
            image.original, image.status = "", "failed"
            image.error = _("Fichier absent de l'archive.")[:300]
        return image


ENTITIES: list[Entity] = [ProductPictures()]
