"""Loading category mappings from a CSV file (the operator edits them afterwards in the admin).

Columns: source, category (a path of names, « Livres > Romans »), product_type (slug), and for
`create=True` optionally product_type_name, is_book (0/1), tax_class. With create, missing
categories and product types are created (types get a « brand » attribute, « publisher » for books).
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from galerie.catalog.models import Attribute, Category, ProductType, TaxClass
from galerie.core.errors import DomainError
from galerie.imports.models import CategoryMapping, mapping_key

DEFAULT_MAPPINGS = Path(__file__).parent / "data" / "default_mappings.csv"


class MappingError(DomainError):
    code = "mapping_invalid"


@dataclass
class MappingLoadResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def _category_for_path(path: str, *, create: bool) -> Category | None:
    parent = None
    names = [part.strip() for part in path.split(">") if part.strip()]
    for depth, name in enumerate(names):
        node = Category.objects.filter(parent=parent, name__iexact=name).first()
        if node is None:
            if not create:
                return None
            slug = slugify(" ".join(names[: depth + 1]))[:130] or "categorie"
            if Category.objects.filter(slug=slug).exists():
                slug = f"{slug}-{Category.objects.count() + 1}"
            node = Category.objects.create(name=name, parent=parent, slug=slug)
        parent = node
    return parent


def _product_type(row: dict, *, create: bool) -> ProductType | None:
    slug = (row.get("product_type") or "").strip()
    if not slug:
        return None
    product_type = ProductType.objects.filter(slug=slug).first()
    if product_type is None and create:
        is_book = (row.get("is_book") or "").strip() in ("1", "oui", "true", "yes")
        tax_class = (row.get("tax_class") or "").strip() or (
            TaxClass.REDUCED if is_book else TaxClass.STANDARD
        )
        product_type = ProductType.objects.create(
            slug=slug,
            name=(row.get("product_type_name") or "").strip() or slug.capitalize(),
            is_book=is_book,
            tax_class=tax_class,
        )
        code, name = ("publisher", "Éditeur") if is_book else ("brand", "Marque")
        Attribute.objects.create(
            product_type=product_type, code=code, name=name, kind="text", is_facet=True
        )
    return product_type


@transaction.atomic
def category_mappings_load(*, path: str | Path, create: bool = False) -> MappingLoadResult:
    """Create or update mappings from a CSV (comma, semicolon or tab). All-or-nothing."""
    result = MappingLoadResult()
    with open(path, encoding="utf-8-sig", newline="") as f:
        sample = f.readline()
        f.seek(0)
        delimiter = "\t" if "\t" in sample else (";" if ";" in sample else ",")
        reader = csv.DictReader(f, delimiter=delimiter)
        missing = {"source", "category"} - set(reader.fieldnames or [])
        if missing:
            raise MappingError(
                "Colonnes manquantes dans le fichier de correspondances : "
                + ", ".join(sorted(missing))
                + "."
            )
        for n, row in enumerate(reader, start=1):
            source = (row.get("source") or "").strip()
            category_path = (row.get("category") or "").strip()
            if not source or not category_path:
                result.errors.append(f"ligne {n} : source ou catégorie manquante.")
                continue
            category = _category_for_path(category_path, create=create)
            if category is None:
                result.errors.append(f"ligne {n} : catégorie inconnue « {category_path} ».")
                continue
            product_type = _product_type(row, create=create)
            if row.get("product_type", "").strip() and product_type is None:
                result.errors.append(
                    f"ligne {n} : type de produit inconnu « {row['product_type'].strip()} »."
                )
                continue
            mapping = CategoryMapping.objects.filter(source_key=mapping_key(source)).first()
            if mapping is None:
                CategoryMapping.objects.create(
                    source=source, category=category, product_type=product_type
                )
                result.created += 1
            else:
                mapping.source, mapping.category, mapping.product_type = (
                    source,
                    category,
                    product_type,
                )
                mapping.save()
                result.updated += 1
    if result.errors:
        transaction.set_rollback(True)
        result.created = result.updated = 0
    return result
