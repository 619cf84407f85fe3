"""Reads over the catalogue that several callers share."""

from collections import Counter

from django.db import connection
from django.db.models import Q

from galerie.catalog.models import Category, Product


def category_descendant_ids(root_ids: list[int]) -> list[int]:
    """The given categories and all their descendants (materialised path prefix query)."""
    if not root_ids:
        return []
    paths = Category.objects.filter(pk__in=root_ids).values_list("path", flat=True)
    query = Q()
    for path in paths:
        query |= Q(path__startswith=path)
    return list(Category.objects.filter(query).values_list("id", flat=True))


def category_ancestor_ids(category_ids) -> set[int]:
    """The given categories and all their ancestors (read off their materialised paths)."""
    ids = set(category_ids)
    if not ids:
        return set()
    found: set[int] = set()
    for path in Category.objects.filter(pk__in=ids).values_list("path", flat=True):
        found.update(int(part) for part in path.strip("/").split("/") if part)
    return found | ids


def _id_for_slug(model, slug: str) -> int | None:
    # Asked on every page request, cached or not, to find the versions that key the page: one
    # plain indexed query, no ORM compilation.
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE slug = %s", [slug])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


def product_id_for_slug(slug: str) -> int | None:
    """The id of the product with this slug (any state)."""
    return _id_for_slug(Product, slug)


def category_id_for_slug(slug: str) -> int | None:
    """The id of the category with this slug."""
    return _id_for_slug(Category, slug)


def category_product_types(*, path: str, limit: int = 200) -> Counter:
    """How many of (at most `limit`) products under the category with materialised `path` have
    each product type: a sample, to learn what a category holds without reading all of it."""
    return Counter(
        Product.objects.filter(category__path__startswith=path).values_list(
            "product_type_id", flat=True
        )[:limit]
    )
