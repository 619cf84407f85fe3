"""Writes to the catalogue: creating a product or a category. The portal, the feed import and any
other interface call these."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from galerie.catalog.errors import ProductError
from galerie.catalog.gtin import InvalidGTIN, normalize_gtin
from galerie.catalog.limits import PRODUCT_BOUNDS
from galerie.catalog.models import Attribute, Category, Product, ProductType, TaxClass
from galerie.core.bounds import bounds_check
from galerie.core.money import to_money
from galerie.core.versions import global_bump


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


def category_create(*, name: str, parent: Category | None = None) -> Category:
    """Create a category under `parent` (a root without one), its slug unique and derived from
    its path. Cached category maps and pages see it once the transaction commits."""
    name = " ".join(name.split())[: Category._meta.get_field("name").max_length]
    names = [name]
    node = parent
    while node is not None:
        names.insert(0, node.name)
        node = node.parent
    base = slugify(" ".join(names))[:130] or "categorie"
    slug, n = base, 1
    while Category.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    category = Category.objects.create(name=name, parent=parent, slug=slug)
    global_bump()
    return category


def product_type_create(
    *, slug: str, name: str = "", is_book: bool = False, tax_class: str = ""
) -> ProductType:
    """Create a product type with the one attribute every type's products show: « Marque », or
    « Éditeur » for books (whose reduced VAT is the default tax class). The slug is made unique."""
    base = slugify(slug)[:45] or "type"
    slug, n = base, 1
    while ProductType.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    product_type = ProductType.objects.create(
        slug=slug,
        name=(name or base.replace("-", " ").capitalize())[:100],
        is_book=is_book,
        tax_class=tax_class or (TaxClass.REDUCED if is_book else TaxClass.STANDARD),
    )
    code, label = ("publisher", "Éditeur") if is_book else ("brand", "Marque")
    Attribute.objects.create(
        product_type=product_type, code=code, name=label, kind="text", is_facet=True
    )
    return product_type
