"""catalogue entities of the storefront archive: product types, attributes, categories, products
and their attribute values.

What the target already holds is matched and completed, never overwritten: product types by
slug, attributes by (type, code), categories by slug, products by GTIN (the archive's description,
images, publisher's price and weight fill the target's gaps only), attribute values by (product,
attribute). Derived columns never travel: a product's offer summary (best price, offer count,
stock flag, prices per condition, offer facets) is rebuilt in `finalize` from the offers the
import brought, with the search index, the category facet counts and the listing caches.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from galerie.carveout.archive import ArchiveError
from galerie.carveout.entities.base import Entity, ImportContext, Scope, field_value
from galerie.carveout.entities.checks import fresh_slugs, values_check
from galerie.carveout.models import ImportedRecord
from galerie.catalog.facets import category_facet_counts_rebuild
from galerie.catalog.gtin import InvalidGTIN, normalize_gtin
from galerie.catalog.models import (
    Attribute,
    AttributeValue,
    Category,
    Product,
    ProductType,
    display_value,
)
from galerie.catalog.selectors import category_ancestor_ids
from galerie.search.services import search_index_refresh
from galerie.sellers.services import product_offer_summary_refresh


def _gtin(value) -> str | None:
    try:
        return normalize_gtin(str(value)) if value else None
    except InvalidGTIN:
        return None


class ProductTypesEntity(Entity):
    name = "product_types"
    model = ProductType
    fields = ("name", "slug", "tax_class", "gtin_required", "is_book")
    description = "Les types de produit des produits exportés (classe de TVA, livre ou non)."

    def queryset(self, scope: Scope):
        return ProductType.objects.filter(pk__in=scope.products().values("product_type_id"))

    def timestamped_models(self):
        return ()

    def match(self, rows: list[dict], ctx: ImportContext) -> dict[int, int]:
        by_slug = {row.get("slug"): row["id"] for row in rows}
        found = ProductType.objects.filter(slug__in=list(by_slug)).values_list(
            "slug", "pk", "tax_class", "is_book"
        )
        mapping = {}
        rows_by_id = {row["id"]: row for row in rows}
        for slug, pk, tax_class, is_book in found:
            source = by_slug[slug]
            mapping[source] = pk
            row = rows_by_id[source]
            if (row.get("tax_class"), row.get("is_book")) != (tax_class, is_book):
                ctx.note(
                    self.name,
                    _("Type « %(slug)s » : la TVA et le statut « livre » d'ici sont gardés.")
                    % {"slug": slug},
                )
        return mapping

    def build(self, row: dict, ctx: ImportContext, *, line: int):
        product_type = super().build(row, ctx, line=line)
        values_check(product_type, self.fields, what=self.name, line=line)
        return product_type


class AttributesEntity(Entity):
    name = "attributes"
    model = Attribute
    fields = ("code", "name", "kind", "choices", "unit", "is_facet", "position")
    refs = {"product_type": "product_types"}
    description = "Les attributs typés des types de produit exportés (auteur, marque…)."

    def queryset(self, scope: Scope):
        types = scope.products().values("product_type_id")
        return Attribute.objects.filter(product_type_id__in=types)

    def timestamped_models(self):
        return ()

    def match(self, rows: list[dict], ctx: ImportContext) -> dict[int, int]:
        types = ctx.maps.get("product_types", {})
        wanted = {(types.get(row.get("product_type")), row.get("code")): row for row in rows}
        found = Attribute.objects.filter(
            product_type_id__in={t for t, _c in wanted if t is not None},
            code__in={c for _t, c in wanted},
        ).values_list("product_type_id", "code", "pk", "kind")
        mapping = {}
        for type_id, code, pk, kind in found:
            row = wanted.get((type_id, code))
            if row is None:
                continue
            mapping[row["id"]] = pk
            if row.get("kind") != kind:
                ctx.note(
                    self.name,
                    _("Attribut « %(code)s » : nature différente ici (%(kind)s), gardée.")
                    % {"code": code, "kind": kind},
                )
        return mapping

    def build(self, row: dict, ctx: ImportContext, *, line: int):
        attribute = super().build(row, ctx, line=line)
        values_check(
            attribute, ["code", "name", "kind", "unit", "position"], what=self.name, line=line
        )
        return attribute


class CategoriesEntity(Entity):
    """The assortment with its descendants and their ancestors (the scope's categories), plus
    the categories of products its orders sold that have left it (with their ancestors): every
    exported product's category is in the file. Parents come before their children."""

    name = "categories"
    model = Category
    fields = ("name", "slug", "position")
    refs = {"parent": "categories"}
    description = "L'arbre des catégories de l'assortiment (parents avant enfants)."
    batch_size = 200

    def category_ids(self, scope: Scope) -> list[int]:
        if "category_ids" not in scope.extra:
            held = scope.products().order_by().values_list("category_id", flat=True).distinct()
            scope.extra["category_ids"] = sorted(
                category_ancestor_ids(set(scope.category_ids) | set(held))
            )
        return scope.extra["category_ids"]

    def queryset(self, scope: Scope):
        return Category.objects.filter(pk__in=self.category_ids(scope))

    def export_rows(self, scope: Scope):
        columns = self.columns()
        names = ["id", *self.fields, *self.refs]
        rows = self.queryset(scope).order_by("depth", "pk").values_list(*columns)
        for values in rows.iterator(chunk_size=2000):
            yield dict(zip(names, values, strict=True))

    def timestamped_models(self):
        return ()

    def match(self, rows: list[dict], ctx: ImportContext) -> dict[int, int]:
        by_slug = {row.get("slug"): row["id"] for row in rows}
        found = Category.objects.filter(slug__in=list(by_slug)).values_list("slug", "pk")
        return {by_slug[slug]: pk for slug, pk in found}

    def build(self, row: dict, ctx: ImportContext, *, line: int):
        category = Category(
            name=field_value(Category, "name", row, what=self.name, line=line),
            slug=field_value(Category, "slug", row, what=self.name, line=line),
            position=field_value(Category, "position", row, what=self.name, line=line),
        )
        values_check(category, self.fields, what=self.name, line=line)
        # The parent may be created in this same batch: resolved in save_batch.
        category._archive = (row["id"], row.get("parent"), line)
        return category

    def save_batch(self, objects, ctx: ImportContext) -> None:
        """One save() each, parents first, so that each gets its materialised path and depth."""
        mapped = ctx.maps.get("categories", {})
        created: dict[int, int] = {}
        for category in objects:
            source_id, parent, line = category._archive
            if parent is not None:
                parent_id = mapped.get(parent) or created.get(parent)
                if parent_id is None:
                    raise ArchiveError(
                        _("%(what)s, ligne %(line)s : référence à %(entity)s n° %(id)s inconnue.")
                        % {
                            "what": "categories.parent",
                            "line": line,
                            "entity": "categories",
                            "id": parent,
                        }
                    )
                category.parent_id = parent_id
            category.save()
            created[source_id] = category.pk


class ProductsEntity(Entity):
    name = "products"
    model = Product
    fields = (
        "title",
        "slug",
        "description",
        "gtin",
        "image_urls",
        "publisher_price",
        "weight_kg",
        "is_active",
        "created_at",
        "updated_at",
    )
    refs = {"product_type": "product_types", "category": "categories"}
    description = (
        "Les produits de l'assortiment et ceux que ses commandes ont vendus. Le résumé des offres "
        "(meilleur prix, stock…) n'y est pas : l'import le recalcule à partir des offres."
    )
    # Filled from the archive when the target's product has none (never overwritten).
    GAPS = ("description", "image_urls", "publisher_price", "weight_kg")

    def queryset(self, scope: Scope):
        return scope.products()

    def match(self, rows: list[dict], ctx: ImportContext) -> dict[int, int]:
        by_gtin = {}
        for row in rows:
            gtin = _gtin(row.get("gtin"))
            if gtin:
                by_gtin[gtin] = row["id"]
        if not by_gtin:
            return {}
        found = Product.objects.filter(gtin__in=list(by_gtin)).values_list("gtin", "pk", *self.GAPS)
        targets = ctx.extra.setdefault("product_targets", {})
        mapping = {}
        for gtin, pk, *gaps in found:
            mapping[by_gtin[gtin]] = pk
            targets[pk] = dict(zip(self.GAPS, gaps, strict=True))
        return mapping

    def merge(self, target_id: int, row: dict, ctx: ImportContext) -> None:
        current = ctx.extra.get("product_targets", {}).pop(target_id, {})
        fills = {}
        for name in self.GAPS:
            if current.get(name) not in (None, "", []):
                continue
            value = row.get(name)
            if value in (None, "", []):
                continue
            try:
                fills[name] = Product._meta.get_field(name).clean(value, Product())
            except ValidationError:
                ctx.note(
                    self.name,
                    _("GTIN %(gtin)s : « %(field)s » de l'archive invalide ici, ignoré.")
                    % {"gtin": row.get("gtin"), "field": name},
                )
        if fills:
            Product.objects.filter(pk=target_id).update(**fills)
            ctx.note(
                self.name,
                _("GTIN %(gtin)s : complété (%(fields)s) sans rien écraser.")
                % {"gtin": row.get("gtin"), "fields": ", ".join(sorted(fills))},
            )

    def build(self, row: dict, ctx: ImportContext, *, line: int):
        product = super().build(row, ctx, line=line)
        if product.gtin:
            try:
                product.gtin = normalize_gtin(product.gtin)
            except InvalidGTIN as exc:
                raise ArchiveError(
                    _("%(what)s, ligne %(line)s : valeur de « %(field)s » invalide (%(value)s).")
                    % {"what": self.name, "line": line, "field": "gtin", "value": product.gtin}
                ) from exc
        else:
            product.gtin = None
        checked = ["title", "slug", "description", "image_urls", "publisher_price", "weight_kg"]
        values_check(product, checked, what=self.name, line=line)
        return product

    def save_batch(self, objects, ctx: ImportContext) -> None:
        slugs = fresh_slugs(Product, [product.slug for product in objects])
        for product, slug in zip(objects, slugs, strict=True):
            if slug != product.slug:
                ctx.note(
                    self.name,
                    _("Identifiant « %(old)s » déjà pris ici : le produit devient « %(new)s ».")
                    % {"old": product.slug, "new": slug},
                )
                product.slug = slug
        Product.objects.bulk_create(objects)

    def finalize(self, ctx: ImportContext) -> None:
        """Rebuild what the archive does not carry, for every imported product (created or
        merged), once the offers are in: the offer summary with its facet counts and listing
        versions (`product_offer_summary_refresh`), the counts of categories whose merged
        products received attribute values, and the search index."""
        product_ids = sorted(set(ctx.maps.get("products", {}).values()))
        if not product_ids:
            return
        product_offer_summary_refresh(product_ids=product_ids)
        # A merged product was already counted with the attribute values it had: the summary
        # refresh moves it with its current ones, so its categories are recounted instead.
        imports = ImportedRecord.objects.filter(archive_import=ctx.archive_import)
        merged = imports.filter(entity="products", merged=True).values("target_id")
        new_values = imports.filter(entity="attribute_values", merged=False).values("target_id")
        categories = (
            AttributeValue.objects.filter(pk__in=new_values, product_id__in=merged)
            .order_by()
            .values_list("product__category_id", flat=True)
            .distinct()
        )
        category_facet_counts_rebuild(category_ids=list(categories))
        search_index_refresh(product_ids=product_ids)


class AttributeValuesEntity(Entity):
    name = "attribute_values"
    model = AttributeValue
    fields = ("value_text", "value_int", "value_decimal", "value_bool", "value_date")
    refs = {"product": "products", "attribute": "attributes"}
    description = "Les valeurs d'attribut des produits (une colonne remplie selon la nature)."
    batch_size = 2000

    def queryset(self, scope: Scope):
        return AttributeValue.objects.filter(product__in=scope.products())

    def timestamped_models(self):
        return ()

    def match(self, rows: list[dict], ctx: ImportContext) -> dict[int, int]:
        """A value the target's product already has for the attribute is kept (never
        overwritten): only the missing ones are added."""
        products, attributes = ctx.maps.get("products", {}), ctx.maps.get("attributes", {})
        wanted = {}
        for row in rows:
            key = (products.get(row.get("product")), attributes.get(row.get("attribute")))
            if None not in key:
                wanted[key] = row["id"]
        if not wanted:
            return {}
        found = AttributeValue.objects.filter(
            product_id__in={p for p, _a in wanted}, attribute_id__in={a for _p, a in wanted}
        ).values_list("product_id", "attribute_id", "pk")
        return {wanted[(p, a)]: pk for p, a, pk in found if (p, a) in wanted}

    def build(self, row: dict, ctx: ImportContext, *, line: int):
        value = super().build(row, ctx, line=line)
        kinds = ctx.extra.get("attribute_kinds")
        if kinds is None or value.attribute_id not in kinds:
            kinds = ctx.extra["attribute_kinds"] = dict(
                Attribute.objects.filter(
                    pk__in=set(ctx.maps.get("attributes", {}).values())
                ).values_list("pk", "kind")
            )
        # What save() would set (bulk_create skips it): the value as shown and counted.
        value.attribute = Attribute(pk=value.attribute_id, kind=kinds[value.attribute_id])
        value.facet_value = display_value(value.attribute.kind, value.value)
        values_check(value, ["value_text", "facet_value"], what=self.name, line=line)
        return value


ENTITIES: list[Entity] = [
    ProductTypesEntity(),
    AttributesEntity(),
    CategoriesEntity(),
    ProductsEntity(),
    AttributeValuesEntity(),
]
