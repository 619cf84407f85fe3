"""Where a feed row's product goes: the category and product type its category values give.

One `Catalogue` per import run: the operator's mappings, the mall's own tree (`matching`), the
shop's own path when a merge creates categories, the shipped table, then the parent path; the
product type a new product gets in that category. Every distinct value is resolved once.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from galerie.catalog.models import Attribute, Category, ProductType
from galerie.catalog.selectors import category_product_types
from galerie.catalog.services import product_type_create
from galerie.imports.matching import (
    BuiltinMapping,
    CategoryIndex,
    builtin_mappings,
    category_path_ensure,
    fold_path,
    path_segments,
)
from galerie.imports.models import CategoryMapping, mapping_key
from galerie.storefronts.models import Storefront
from galerie.storefronts.selectors import storefront_category_ids

GENERIC_TYPE_SLUG = "generique"


@dataclass
class _TypeInfo:
    is_book: bool
    gtin_required: bool
    brand_attribute_id: int | None
    name: str


TYPE_SAMPLE = 200  # products read to learn which type a category's products have
# Distinct unrecognised values whose row errors get a suggestion (≈0.15 ms each), per import;
# the report's most frequent ones get theirs regardless.
SUGGESTIONS_MAX = 500
REPORT_SUGGESTIONS = 50

# Where a row's category values place its product: category, product type, and a warning for
# the report when the value was placed in its parent path although it looks like a child.
Placement = tuple[int, int, str]


class Catalogue:
    """Per-import lookups: the category and product type a row's category values give.

    In this order: the operator's mappings (CategoryMapping) for a whole value; the category the
    value names in the mall's own tree (`matching`); with `create` (a shop merge), the shop's own
    path, created; the shipped table of common values (Google taxonomy → mall path); last, as
    ever, what the value's parent path gives (« Livres > Romans > Poches » → Livres > Romans).
    Each distinct pair of values is resolved once per import (a feed has a few hundred), so
    rows pay a dictionary lookup.
    """

    def __init__(self, *, storefront: Storefront | None = None, create: bool = False):
        self.create = create
        self.created: list[str] = []
        self.not_created: dict[str, str] = {}
        self._cache: dict[tuple[str, ...], Placement | None] = {}
        self._suggestions: dict[tuple[str, ...], str] = {}
        self._type_cache: dict[tuple, int] = {}
        self._generic_type_id: int | None = None
        self._target_hints: dict[int, BuiltinMapping] | None = None
        self.explicit_exact: dict[str, tuple[int, int | None]] = {}
        self.explicit: dict[tuple[str, ...], tuple[int, int | None]] = {}
        self.mapped_types: dict[int, Counter] = defaultdict(Counter)
        for source, key, category_id, type_id in CategoryMapping.objects.order_by(
            "source_key"
        ).values_list("source", "source_key", "category_id", "product_type_id"):
            self.explicit_exact[key] = (category_id, type_id)
            self.explicit.setdefault(fold_path(source), (category_id, type_id))
            if type_id:
                self.mapped_types[category_id][type_id] += 1
        self.types: dict[int, _TypeInfo] = {}
        self.type_by_slug: dict[str, int] = {}
        self._types_load()
        preferred = storefront_category_ids(storefront) if storefront is not None else ()
        self.index = CategoryIndex(
            Category.objects.values_list("id", "parent_id", "name", "path"), preferred=preferred
        )

    def _types_load(self, **filters) -> None:
        brand_attrs: dict[int, int] = {}
        for type_id, code, attr_id in Attribute.objects.filter(
            code__in=("brand", "publisher"), **{f"product_type__{k}": v for k, v in filters.items()}
        ).values_list("product_type_id", "code", "id"):
            if code == "brand" or type_id not in brand_attrs:
                brand_attrs[type_id] = attr_id
        for pk, slug, is_book, gtin_required, name in ProductType.objects.filter(
            **filters
        ).values_list("pk", "slug", "is_book", "gtin_required", "name"):
            self.types[pk] = _TypeInfo(is_book, gtin_required, brand_attrs.get(pk), name)
            self.type_by_slug[slug] = pk

    def type_info(self, type_id: int) -> _TypeInfo:
        if type_id not in self.types:  # created since the import started
            self._types_load(pk=type_id)
        return self.types[type_id]

    # ------------------------------------------------------------------------- categories

    def map(self, values: tuple[str, ...]) -> Placement | None:
        try:
            return self._cache[values]
        except KeyError:
            pass
        hit = self._map(values)
        if len(self._cache) < 10_000:
            self._cache[values] = hit
        return hit

    def _map(self, values: tuple[str, ...]) -> Placement | None:
        keyed = [(value, fold_path(value)) for value in values if value]
        keyed = [(value, key) for value, key in keyed if key]
        for value, key in keyed:
            hit = self.explicit_exact.get(mapping_key(value)) or self.explicit.get(key)
            if hit:
                return hit[0], hit[1] or self._generic_type(), ""
        for _value, key in keyed:
            category = self.index.find(key)
            if category is not None:
                return category, self._type_for(category, keyed), ""
        own = fold_path(values[0]) if self.create and values else ()
        if own and own not in builtin_mappings():
            # The shop's own path (product_type) before the Google table: merging a shop with
            # its categories brings « Livres > Poésie », not only « Media > Books » → Livres.
            # (A Google value written as product_type is the table's, never a new category.)
            category = self._category_create(values[0])
            if category is not None:
                return category, self._type_for(category, keyed), ""
        for _value, key in keyed:
            category = self._builtin_category(key)
            if category is not None:
                return category, self._type_for(category, keyed), ""
        for value, key in keyed:
            for depth in range(len(key) - 1, 0, -1):
                hit = self.explicit.get(key[:depth])
                if hit:
                    return hit[0], hit[1] or self._generic_type(), ""
                category = self.index.find(key[:depth]) or self._builtin_category(key[:depth])
                if category is not None:
                    note = self._fallback_note(value, depth, category)
                    return category, self._type_for(category, keyed), note
        return None

    def _fallback_note(self, value: str, depth: int, category: int) -> str:
        """A warning when a value placed in its parent path looks like one of that category's
        children: the seller probably meant it."""
        close = self.index.close_sibling(category, path_segments(value)[depth])
        if close is None:
            return ""
        return _(
            "Catégorie « %(v)s » non reconnue : produit classé dans « %(p)s ». "
            "Vouliez-vous dire « %(s)s » ?"
        ) % {"v": value, "p": self.index.label(category), "s": self.index.label(close)}

    def _builtin_category(self, key: tuple[str, ...]) -> int | None:
        builtin = builtin_mappings().get(key)
        return self.index.find(builtin.target, strict=True) if builtin else None

    def _category_create(self, value: str) -> int | None:
        """Create the shop's category path below the deepest part of it that the mall has; None
        when a new name would nearly duplicate an existing sibling (it is reported)."""
        names = path_segments(value)
        key = fold_path(value)
        parent, start = None, 0
        for depth in range(len(key) - 1, 0, -1):
            found = self.index.find(key[:depth])
            if found is not None:
                parent, start = found, depth
                break
        outcome = category_path_ensure(self.index, names[start:], parent=parent)
        self.created += [self.index.label(pk) for pk in outcome.created]
        if outcome.close is not None:
            wanted = " > ".join(names[start:])
            if parent is not None:
                wanted = f"{self.index.label(parent)} > {wanted}"
            self.not_created[wanted] = self.index.label(outcome.close)
        return outcome.category

    def suggest(self, values: tuple[str, ...], *, bounded: bool = True) -> str:
        """The path of the category closest to unrecognised `values` (« » when none is close,
        or when `bounded` and SUGGESTIONS_MAX values have had theirs)."""
        values = tuple(value for value in values if value)
        try:
            return self._suggestions[values]
        except KeyError:
            pass
        if bounded and len(self._suggestions) >= SUGGESTIONS_MAX:
            return ""
        keys = [fold_path(value) for value in values if value]
        table = builtin_mappings()
        keys += [table[key].target for key in keys if key in table]
        found = self.index.suggest(keys)
        suggestion = self.index.label(found) if found is not None else ""
        self._suggestions[values] = suggestion
        return suggestion

    # ------------------------------------------------------------------------ product types

    def _type_for(self, category_id: int, keyed: list[tuple[str, tuple[str, ...]]]) -> int:
        """The product type of a product created in a category no mapping names.

        The type the operator's mappings give that category; else the one most of its products
        have; else the one all products of its nearest non-empty ancestor share (or their
        commonest when all are books); else the type the shipped table gives that category (or
        an ancestor: « Livres » holds books), then the row's values — a book type for a book,
        whose reduced VAT and book-price law must apply; else the generic type.
        """
        hint = self._hint(keyed)
        cache_key = (category_id, hint)
        type_id = self._type_cache.get(cache_key)
        if type_id is None:
            type_id = (
                self._mapped_type(category_id)
                or self._products_type(category_id)
                or self._hinted_type(self._category_hint(category_id))
                or self._hinted_type(hint)
                or self._generic_type()
            )
            self._type_cache[cache_key] = type_id
        return type_id

    def _category_hint(self, category_id: int) -> BuiltinMapping | None:
        if self._target_hints is None:
            self._target_hints = {}
            for hint in builtin_mappings().values():
                target = self.index.find(hint.target, strict=True)
                if target is not None:
                    self._target_hints.setdefault(target, hint)
        node: int | None = category_id
        while node is not None:
            if node in self._target_hints:
                return self._target_hints[node]
            node = self.index.parent[node]
        return None

    def _hint(self, keyed) -> BuiltinMapping | None:
        table = builtin_mappings()
        for _value, key in keyed:
            for depth in range(len(key), 0, -1):
                hint = table.get(key[:depth])
                if hint is not None:
                    return hint
        return None

    def _mapped_type(self, category_id: int) -> int | None:
        counts = self.mapped_types.get(category_id)
        return counts.most_common(1)[0][0] if counts else None

    def _type_sample(self, category_id: int) -> Counter:
        return category_product_types(path=self.index.tree_path[category_id], limit=TYPE_SAMPLE)

    def _products_type(self, category_id: int) -> int | None:
        own = self._type_sample(category_id)
        if own:
            return own.most_common(1)[0][0]
        node = self.index.parent[category_id]
        while node is not None:
            counts = self._type_sample(node)
            if counts:
                if len(counts) == 1 or all(self.type_info(t).is_book for t in counts):
                    return counts.most_common(1)[0][0]
                return None
            node = self.index.parent[node]
        return None

    def _hinted_type(self, hint: BuiltinMapping | None) -> int | None:
        if hint is None:
            return None
        type_id = self.type_by_slug.get(hint.product_type)
        if type_id is not None and self.types[type_id].is_book == hint.is_book:
            return type_id
        if not hint.is_book:
            return None  # the generic type: standard VAT, as for the table's other types
        books = sorted(pk for pk, info in self.types.items() if info.is_book)
        if books:
            return books[0]
        # No book type in the mall yet: one is created, never a book sold as a generic product.
        created = product_type_create(
            slug=hint.product_type,
            name=hint.product_type_name,
            is_book=True,
            tax_class=hint.tax_class,
        )
        self._types_load(pk=created.pk)
        return created.pk

    def _generic_type(self) -> int:
        if self._generic_type_id is None:
            # A mapping without a product type gives the « Générique » one (created once).
            generic = ProductType.objects.get_or_create(
                slug=GENERIC_TYPE_SLUG, defaults={"name": "Générique"}
            )[0]
            self._types_load(pk=generic.pk)
            self._generic_type_id = generic.pk
        return self._generic_type_id
