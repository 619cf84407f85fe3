"""Cached reads every listing needs: a storefront's categories, the category tree, the facet
attributes, and which products a storefront's shoppers may see. Each is cached per catalogue
generation (the shared global version), so an edit in any process reaches every worker."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.text import slugify

from galerie.catalog.facets import scopes, visibility_q
from galerie.catalog.models import Attribute, Category, Product
from galerie.core.versions import global_version
from galerie.storefronts.listing.params import RESERVED_PARAMS
from galerie.storefronts.models import Storefront
from galerie.storefronts.selectors import storefront_category_ids

_CACHE_SECONDS = 300


def storefront_visible_category_ids(storefront: Storefront) -> frozenset[int]:
    """Every category id of the storefront's assortment, cached per catalogue generation."""
    key = f"sf-cats:{storefront.pk}:{global_version()}"
    ids = cache.get(key)
    if ids is None:
        ids = frozenset(storefront_category_ids(storefront))
        cache.set(key, ids, _CACHE_SECONDS)
    return ids


def storefront_root_ids(storefront: Storefront) -> list[int]:
    """The categories the storefront's assortment is made of (cached per global version)."""
    key = f"sf-roots:{storefront.pk}:{global_version()}"
    ids = cache.get(key)
    if ids is None:
        ids = sorted(storefront.categories.values_list("pk", flat=True))
        cache.set(key, ids, _CACHE_SECONDS)
    return ids


def mall_root_ids() -> list[int]:
    """The assortment roots of every active storefront (cached per global version): what a
    search page offering the other storefronts' results depends on."""
    key = f"mall-roots:{global_version()}"
    ids = cache.get(key)
    if ids is None:
        rows = Storefront.categories.through.objects.filter(storefront__is_active=True)
        ids = sorted(set(rows.values_list("category_id", flat=True)))
        cache.set(key, ids, _CACHE_SECONDS)
    return ids


def storefront_category_tree(storefront: Storefront) -> list[dict]:
    """The assortment roots with their direct children, for navigation (cached)."""
    key = f"sf-tree:{storefront.pk}:{global_version()}"
    tree = cache.get(key)
    if tree is None:
        roots = list(storefront.categories.order_by("position", "name"))
        children = Category.objects.filter(parent__in=roots).order_by("position", "name")
        by_parent: dict[int, list[Category]] = {}
        for child in children:
            by_parent.setdefault(child.parent_id, []).append(child)
        tree = [{"category": root, "children": by_parent.get(root.pk, [])} for root in roots]
        cache.set(key, tree, _CACHE_SECONDS)
    return tree


def category_map() -> dict[int, Category]:
    """Every category by id (a few hundred rows), cached per catalogue generation."""
    key = f"category-map:{global_version()}"
    categories = cache.get(key)
    if categories is None:
        categories = {c.pk: c for c in Category.objects.all()}
        cache.set(key, categories, _CACHE_SECONDS)
    return categories


def category_by_slug(slug: str) -> Category | None:
    key = f"category-slugs:{global_version()}"
    ids = cache.get(key)
    if ids is None:
        ids = {c.slug: pk for pk, c in category_map().items()}
        cache.set(key, ids, _CACHE_SECONDS)
    pk = ids.get(slug)
    if pk is None:
        # Created since the map was cached (categories do not bump the generation).
        return Category.objects.filter(slug=slug).first()
    return category_map().get(pk)


def category_children(category: Category) -> list[Category]:
    children = [c for c in category_map().values() if c.parent_id == category.pk]
    return sorted(children, key=lambda c: (c.position, c.name))


def category_subtree_ids(category: Category) -> list[int]:
    """The category and its descendants (cached per catalogue generation)."""
    key = f"cat-subtree:{category.pk}:{global_version()}"
    ids = cache.get(key)
    if ids is None:
        rows = Category.objects.filter(path__startswith=category.path).values_list("pk", flat=True)
        ids = list(rows)
        cache.set(key, ids, _CACHE_SECONDS)
    return ids


def storefront_breadcrumb(storefront: Storefront, category: Category, *, include_self: bool):
    """The category's ancestors (and itself if asked) that belong to the storefront's assortment,
    root first: a storefront whose assortment starts below the tree's root hides the levels
    above it."""
    allowed = storefront_visible_category_ids(storefront)
    categories = category_map()
    ids = [int(i) for i in category.path.strip("/").split("/") if i]
    if not include_self:
        ids = ids[:-1]
    return [categories[i] for i in ids if i in allowed and i in categories]


@dataclass(frozen=True)
class AttributeGroup:
    """Facet attributes sharing one URL parameter (same name across product types)."""

    param: str
    label: str
    attribute_ids: tuple[int, ...]
    position: int


def facet_attribute_groups() -> dict[str, AttributeGroup]:
    """Facet attributes grouped by URL parameter (slug of their French name), cached."""
    key = f"facet-attrs:{global_version()}"
    groups = cache.get(key)
    if groups is None:
        collected: dict[str, dict] = {}
        rows = Attribute.objects.filter(is_facet=True).values_list("id", "name", "position")
        for attr_id, name, position in rows.order_by("position", "name", "id"):
            param = slugify(name) or f"attr{attr_id}"
            if param in RESERVED_PARAMS:
                param = f"{param}-attr"
            entry = collected.setdefault(param, {"label": name, "ids": [], "position": position})
            entry["ids"].append(attr_id)
        groups = {
            p: AttributeGroup(p, e["label"], tuple(e["ids"]), e["position"])
            for p, e in collected.items()
        }
        cache.set(key, groups, _CACHE_SECONDS)
    return groups


def visible_products(storefront: Storefront) -> QuerySet[Product]:
    """Products a shopper of this storefront may see: in its assortment, with an offer in stock
    (or, when the storefront shows sold-out items, with at least one visible offer)."""
    return Product.objects.filter(
        category_id__in=storefront_visible_category_ids(storefront)
    ).filter(visibility_q(show_out_of_stock=storefront.show_out_of_stock))


def scopes_of(storefront: Storefront) -> tuple[str, ...]:
    """The visibility scopes (galerie.catalog.facets) a storefront's shoppers see."""
    return scopes(show_out_of_stock=storefront.show_out_of_stock)
