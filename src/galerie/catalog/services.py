"""Writes to the catalogue: creating a product. The portal (and any other interface) calls these."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from galerie.catalog.errors import ProductError
from galerie.catalog.gtin import InvalidGTIN, normalize_gtin
from galerie.catalog.limits import PRODUCT_BOUNDS
from galerie.catalog.models import Category, Product, ProductType
from galerie.core.bounds import bounds_check
from galerie.core.money import to_money


def _unique_product_slug(title: str, gtin: str | None) -> str:
    base = slugify(title)[:200] or "produit"
    if gtin:
        base = f"{base}-{gtin}"
    slug, n = base, 1
    while Product.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def product_create(
    *,
    title: str,
    gtin: str,
    product_type: ProductType,
    category: Category,
    description: str = "",
    publisher_price: Decimal | None = None,
) -> Product:
    """Create a catalogue product that does not exist yet. The caller indexes it for search
    (`galerie.search.services.search_index_refresh`), which sits above the catalogue."""
    title = " ".join((title or "").split())
    if not title or len(title) > 250:
        raise ProductError(_("Indiquez un titre (250 caractères au plus)."), field="title")
    normalized: str | None = None
    if (gtin or "").strip():
        try:
            normalized = normalize_gtin(gtin)
        except InvalidGTIN as exc:
            raise ProductError(str(exc), code="invalid_gtin", field="gtin") from exc
    elif product_type.gtin_required:
        raise ProductError(
            _("Un GTIN (EAN ou ISBN) est obligatoire pour ce type de produit."), field="gtin"
        )
    if normalized:
        existing = Product.objects.filter(gtin=normalized).first()
        if existing is not None:
            raise ProductError(
                _("Ce GTIN existe déjà : « %(t)s ». Proposez votre offre sur ce produit.")
                % {"t": existing.title},
                code="product_exists",
                field="gtin",
            )
    if publisher_price is not None:
        bounds_check(PRODUCT_BOUNDS, error=ProductError, publisher_price=publisher_price)
        publisher_price = to_money(publisher_price)
    if product_type.is_book and publisher_price is None:
        raise ProductError(
            _("Le prix éditeur (prix unique du livre) est obligatoire pour un livre."),
            field="publisher_price",
        )
    try:
        with transaction.atomic():
            product = Product.objects.create(
                title=title,
                slug=_unique_product_slug(title, normalized),
                description=(description or "").strip(),
                product_type=product_type,
                category=category,
                gtin=normalized,
                publisher_price=publisher_price,
            )
    except IntegrityError as exc:  # a concurrent create took the GTIN
        raise ProductError(
            _("Ce GTIN vient d'être créé : recherchez-le et proposez votre offre."),
            code="product_exists",
            field="gtin",
        ) from exc
    return product
