"""Writing a seller's offers back as a Merchant Center feed (TSV), streamed in chunks.

Round trip: importing the export into an empty mall (with the same category mappings) gives the
same offers. Two columns beyond Google's specification keep what it has no place for: `shipping`
(Google's own « FR:::4.99 EUR » form, the delivery price) and `condition_note`.
"""

from collections.abc import Iterator
from typing import TextIO

from galerie.catalog.models import AttributeValue, Category
from galerie.imports.feeds import COLUMNS, EXTRA_COLUMNS
from galerie.imports.models import CategoryMapping
from galerie.sellers.models import Offer, Seller
from galerie.storefronts.selectors import storefront_sold_only_category_ids

CHUNK = 2000


def _clean(value) -> str:
    text = "" if value is None else str(value)
    if "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\t", " ").replace("\r", " ").replace("\n", " ")
    return text


def _category_labels() -> dict[tuple[int, int | None], str]:
    """(category, product type) → the feed value that maps to it; the first mapping wins."""
    labels: dict[tuple[int, int | None], str] = {}
    for source, category_id, type_id in CategoryMapping.objects.order_by("pk").values_list(
        "source", "category_id", "product_type_id"
    ):
        labels.setdefault((category_id, type_id), source)
        labels.setdefault((category_id, None), source)
    return labels


def _category_path(category_id: int, names: dict[int, tuple[str, str]]) -> str:
    path = names.get(category_id, ("", ""))[1]
    return " > ".join(
        names[int(pk)][0] for pk in path.strip("/").split("/") if pk and int(pk) in names
    )


def _offer_chunks(seller: Seller) -> Iterator[list[Offer]]:
    # Offers that only a sold storefront showed are no longer ours to publish.
    offers = Offer.objects.filter(seller=seller, is_active=True).exclude(
        product__category_id__in=storefront_sold_only_category_ids()
    )
    last = 0
    while True:
        chunk = list(offers.filter(pk__gt=last).select_related("product").order_by("pk")[:CHUNK])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def offers_export(*, seller: Seller, out: TextIO) -> int:
    """Write the seller's active offers to `out` as a TSV feed; returns the number of offers.
    Offers on products that only sold (detached) storefronts show are left out."""
    labels = _category_labels()
    names = {
        pk: (name, path) for pk, name, path in Category.objects.values_list("pk", "name", "path")
    }
    columns = [*COLUMNS, *EXTRA_COLUMNS]
    out.write("\t".join(columns) + "\n")
    count = 0
    for chunk in _offer_chunks(seller):
        brands = dict(
            AttributeValue.objects.filter(
                product_id__in=[o.product_id for o in chunk],
                attribute__code__in=("brand", "publisher"),
            )
            .order_by("attribute__code")  # "brand" before "publisher"
            .values_list("product_id", "value_text")
            .reverse()
        )
        for offer in chunk:
            product = offer.product
            category = labels.get((product.category_id, product.product_type_id)) or labels.get(
                (product.category_id, None)
            )
            row = {
                "id": offer.sku or f"offre-{offer.pk}",
                "title": product.title,
                "description": product.description,
                "link": "",
                "image_link": (product.image_urls or [""])[0],
                "availability": "in_stock" if offer.stock > 0 else "out_of_stock",
                "price": f"{offer.price} EUR",
                "sale_price": "",
                "brand": brands.get(product.pk, ""),
                "gtin": product.gtin or "",
                "mpn": "",
                "condition": offer.condition,
                "google_product_category": "",
                "product_type": category or _category_path(product.category_id, names),
                "shipping_weight": "",
                "quantity": str(offer.stock),
                "shipping": f"FR:::{offer.delivery_price} EUR",
                "condition_note": offer.condition_note,
            }
            out.write("\t".join(_clean(row[c]) for c in columns) + "\n")
            count += 1
    return count
