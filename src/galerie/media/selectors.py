"""What pages show of product pictures: the first ready picture of many products in one query
(cards), all of one product's (product page). Only the project's own addresses come out of here:
a seller's image URL is never shown (it is fetched, checked and stored first)."""

from __future__ import annotations

from dataclasses import dataclass

from galerie.media.imaging import thumbnail_widths
from galerie.media.models import ImageStatus, ProductImage

_FIELDS = ("product_id", "digest", "width", "height", "alt")


def thumbnail_url(digest: str, width: int) -> str:
    return f"/media/{digest}-{width}.webp"


@dataclass(frozen=True)
class Picture:
    """A ready picture, with everything an <img> needs (the template computes nothing)."""

    digest: str
    width: int
    height: int
    alt: str

    @property
    def widths(self) -> tuple[int, ...]:
        return thumbnail_widths(self.width)

    @property
    def srcset(self) -> str:
        return ", ".join(f"{thumbnail_url(self.digest, w)} {w}w" for w in self.widths)

    def _shown(self, width: int) -> tuple[int, int]:
        shown = max(w for w in self.widths if w <= width) if self.widths[0] <= width else width
        return shown, max(1, round(self.height * shown / self.width))

    # A card shows the 160 px thumbnail (the 400 one on dense screens, through srcset).
    @property
    def card_src(self) -> str:
        return thumbnail_url(self.digest, self.widths[0])

    @property
    def card_width(self) -> int:
        return self._shown(160)[0]

    @property
    def card_height(self) -> int:
        return self._shown(160)[1]

    # The product page shows up to 400 px (800 on dense screens).
    @property
    def src(self) -> str:
        return thumbnail_url(self.digest, self._shown(400)[0])

    @property
    def display_width(self) -> int:
        return self._shown(400)[0]

    @property
    def display_height(self) -> int:
        return self._shown(400)[1]


def _picture(row: tuple, title: str) -> Picture:
    _product_id, digest, width, height, alt = row
    return Picture(digest=digest, width=width, height=height, alt=alt or title)


def product_pictures_attach(products) -> None:
    """Give each of `products` its first ready picture as `.picture` (None when it has none),
    in one query for all of them. The alt text defaults to the product's title."""
    products = list(products)
    for product in products:
        product.picture = None
    if not products:
        return
    by_id = {p.pk: p for p in products}
    rows = (
        ProductImage.objects.filter(product_id__in=by_id, status=ImageStatus.READY)
        .order_by("product_id", "position", "id")
        .values_list(*_FIELDS)
    )
    for row in rows:
        product = by_id[row[0]]
        if product.picture is None:
            product.picture = _picture(row, product.title)


def product_gallery(product) -> list[Picture]:
    """Every ready picture of `product`, in order (one query)."""
    rows = (
        ProductImage.objects.filter(product_id=product.pk, status=ImageStatus.READY)
        .order_by("position", "id")
        .values_list(*_FIELDS)
    )
    return [_picture(row, product.title) for row in rows]
