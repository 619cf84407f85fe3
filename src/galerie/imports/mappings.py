"""Loading category mappings from a CSV file (the operator edits them afterwards in the admin).

Columns: source, category (a path of names, « Livres > Romans »), product_type (slug), and for
`create=True` optionally product_type_name, is_book (0/1), tax_class. A category path finds an
existing category folded (accents, case, plurals) and by a part of a name that lists several
(« Image et son > Casques » is « Image et son > Casques et écouteurs »). With create, missing
categories are created under their existing parents — except one that would nearly duplicate an
existing sibling (« Ordinateurs » beside « Ordinateurs portables »): the line is refused, naming
that sibling, unless `allow_similar`. A missing product type is created (with a « brand »
attribute, « publisher » for books), unless the category's products already have one type.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from galerie.catalog.models import Category, ProductType
from galerie.catalog.selectors import category_product_types
from galerie.catalog.services import product_type_create
from galerie.core.errors import DomainError
from galerie.imports.matching import (
    BUILTIN_MAPPINGS,
    CategoryIndex,
    category_path_ensure,
    fold_path,
    path_segments,
)
from galerie.imports.models import CategoryMapping, mapping_key

# The shipped table doubles as the seed `galerie import-mappings` loads without a file.
DEFAULT_MAPPINGS = BUILTIN_MAPPINGS


class MappingError(DomainError):
    code = "mapping_invalid"


@dataclass
class MappingLoadResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # paths resolved to a differently named one


def _category(
    n: int, path: str, index: CategoryIndex, result: MappingLoadResult, *, create, allow_similar
) -> Category | None:
    key = fold_path(path)
    found = index.find(key, strict=True)
    if found is None and create:
        outcome = category_path_ensure(index, path_segments(path), allow_similar=allow_similar)
        if outcome.close is not None:
            result.errors.append(
                f"ligne {n} : « {path} » ressemble à la catégorie existante "
                f"« {index.label(outcome.close)} » : écrivez ce chemin dans le fichier pour "
                "l'utiliser, ou relancez avec --allow-similar pour créer quand même."
            )
            return None
        found = outcome.category
    if found is None:
        close = index.suggest([key])
        hint = f" — vouliez-vous dire « {index.label(close)} » ?" if close is not None else ""
        result.errors.append(f"ligne {n} : catégorie inconnue « {path} »{hint}")
        return None
    if index.key[found] != key:
        result.notes.append(
            f"ligne {n} : « {path} » → catégorie existante « {index.label(found)} »"
        )
    return Category.objects.get(pk=found)


def _product_type(
    n: int, slug: str, row: dict, category: Category, result: MappingLoadResult, *, create: bool
) -> ProductType | None:
    if not slug:
        return None
    product_type = ProductType.objects.filter(slug=slug).first()
    if product_type is not None or not create:
        return product_type
    is_book = (row.get("is_book") or "").strip() in ("1", "oui", "true", "yes")
    # A category whose products already have a type keeps it: no « Audio » type beside the
    # « Casque audio » one its headphones have.
    held = category_product_types(path=category.path).most_common(1)
    if held:
        existing = ProductType.objects.get(pk=held[0][0])
        if existing.is_book == is_book:
            result.notes.append(
                f"ligne {n} : type « {slug} » absent → type « {existing.name} » des produits "
                "de la catégorie"
            )
            return existing
    return product_type_create(
        slug=slug,
        name=(row.get("product_type_name") or "").strip(),
        is_book=is_book,
        tax_class=(row.get("tax_class") or "").strip(),
    )


@transaction.atomic
def category_mappings_load(
    *, path: str | Path, create: bool = False, allow_similar: bool = False
) -> MappingLoadResult:
    """Create or update mappings from a CSV (comma, semicolon or tab). All-or-nothing."""
    result = MappingLoadResult()
    index = CategoryIndex(Category.objects.values_list("id", "parent_id", "name", "path"))
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
            category = _category(
                n, category_path, index, result, create=create, allow_similar=allow_similar
            )
            if category is None:
                continue
            slug = (row.get("product_type") or "").strip()
            product_type = _product_type(n, slug, row, category, result, create=create)
            if slug and product_type is None:
                result.errors.append(f"ligne {n} : type de produit inconnu « {slug} ».")
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
