"""sellers entities of the storefront archive: the sellers active on the storefront with their
verification record and payout account, their status history, the commission rules that price
the storefront's lines, the sellers' delivery methods and their offers on its products.

Matching, never overwriting: a seller is the same company when its register number (SIREN, the
first 9 digits of a SIRET) is; one without a SIREN (a foreign company, a private seller) is the
same as a seller here without one either that has its VAT number, else its e-mail; the mall
operator's own seller is the target's operator. A matched
seller's empty fields are filled from the archive and the match is reported. Offers match by
(seller, SKU), or (seller, product, condition) when they have no SKU.
"""

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils.translation import gettext as _

from galerie.carveout.archive import ArchiveError
from galerie.carveout.bulk import objects_insert
from galerie.carveout.entities.base import Entity, ImportContext, Scope, field_value
from galerie.carveout.entities.catalogue import CategoriesEntity
from galerie.carveout.entities.checks import fresh_slugs, values_check
from galerie.carveout.entities.storefront import target_storefront_id
from galerie.carveout.models import ImportedRecord
from galerie.catalog.models import Product
from galerie.core.errors import DomainError
from galerie.pricing.errors import BookPriceError
from galerie.pricing.models import DeliveryMethod
from galerie.sellers.models import CommissionRule, Offer, Seller, SellerStatusEvent
from galerie.sellers.onboarding import siren_key
from galerie.sellers.services import offer_bounds_check, offer_check


class SellersEntity(Entity):
    name = "sellers"
    model = Seller
    fields = (
        "slug",
        "name",
        "legal_name",
        "is_operator",
        "is_trader",
        "status",
        "email",
        "phone",
        "address",
        "siren",
        "vat_number",
        "legal_form",
        "iban",
        "bic",
        "identity_document_ref",
        "compliance_certified_at",
        "status_reason",
        "relationship_ended_at",
        "anonymized_at",
        "created_at",
        "updated_at",
    )
    description = (
        "Les vendeurs actifs sur la boutique : dossier de vérification (statut, forme juridique, "
        "SIREN/SIRET, TVA, pièce d'identité, auto-certification) et compte de versement (IBAN, "
        "BIC) pour que le repreneur continue de les payer."
    )
    # A matched seller's empty fields taken from the archive (its status stays the target's).
    GAPS = (
        "legal_name",
        "email",
        "phone",
        "address",
        "siren",
        "vat_number",
        "legal_form",
        "iban",
        "bic",
        "identity_document_ref",
        "compliance_certified_at",
    )

    def queryset(self, scope: Scope):
        return scope.sellers()

    def _targets(self, ctx: ImportContext) -> dict[str, int]:
        """SIREN → seller here (read once per import: sellers are few)."""
        if "seller_sirens" not in ctx.extra:
            sirens = {}
            rows = Seller.objects.exclude(siren="").filter(is_operator=False)
            for pk, siren in rows.order_by("pk").values_list("pk", "siren"):
                sirens.setdefault(siren_key(siren), pk)
            sirens.pop("", None)
            ctx.extra["seller_sirens"] = sirens
        return ctx.extra["seller_sirens"]

    def _without_register(self, ctx: ImportContext) -> dict[str, int]:
        """For sellers with no French register number (a foreign company, a private seller):
        VAT number, else e-mail → seller here with no SIREN either."""
        if "seller_other_keys" not in ctx.extra:
            keys: dict[str, int] = {}
            rows = Seller.objects.filter(siren="", is_operator=False).order_by("pk")
            for pk, vat, email in rows.values_list("pk", "vat_number", "email"):
                if vat:
                    keys.setdefault(f"vat:{_compact(vat)}", pk)
                if email:
                    keys.setdefault(f"email:{email.strip().lower()}", pk)
            ctx.extra["seller_other_keys"] = keys
        return ctx.extra["seller_other_keys"]

    def match(self, rows: list[dict], ctx: ImportContext) -> dict[int, int]:
        sirens = self._targets(ctx)
        operator = Seller.objects.filter(is_operator=True).values_list("pk", flat=True).first()
        mapping = {}
        for row in rows:
            if row.get("is_operator"):
                if operator is not None:
                    mapping[row["id"]] = operator
                    ctx.note(
                        self.name,
                        _("« %(name)s » (l'exploitant cédant) devient l'exploitant d'ici.")
                        % {"name": row.get("name")},
                    )
                continue
            siren = siren_key(str(row.get("siren") or ""))
            if siren and siren in sirens:
                mapping[row["id"]] = sirens[siren]
            elif not siren:
                others = self._without_register(ctx)
                vat = _compact(str(row.get("vat_number") or ""))
                email = str(row.get("email") or "").strip().lower()
                found = (vat and others.get(f"vat:{vat}")) or (
                    email and others.get(f"email:{email}")
                )
                if found:
                    mapping[row["id"]] = found
                    ctx.note(
                        self.name,
                        _("« %(name)s » (sans SIREN) rapproché par son n° de TVA ou son e-mail.")
                        % {"name": row.get("name")},
                    )
        return mapping

    def merge(self, target_id: int, row: dict, ctx: ImportContext) -> None:
        seller = Seller.objects.get(pk=target_id)
        if seller.is_operator:
            return  # the buyer's own company: nothing of the seller's is taken
        filled = []
        for name in self.GAPS:
            if getattr(seller, name) not in ("", None) or row.get(name) in ("", None):
                continue
            try:
                value = Seller._meta.get_field(name).clean(row[name], seller)
            except ValidationError:
                continue  # a value refused here fills no gap
            setattr(seller, name, value)
            filled.append(name)
        if filled:
            seller.save(update_fields=[*filled, "updated_at"])
        ctx.note(
            self.name,
            _("« %(name)s » rapproché de « %(here)s » (SIREN %(siren)s)%(filled)s.")
            % {
                "name": row.get("name"),
                "here": seller.name,
                "siren": siren_key(seller.siren),
                "filled": _(" ; complété : %(fields)s") % {"fields": ", ".join(filled)}
                if filled
                else "",
            },
        )

    def build(self, row: dict, ctx: ImportContext, *, line: int):
        seller = super().build(row, ctx, line=line)
        values_check(seller, self.fields[:-2], what=self.name, line=line)
        return seller

    def save_batch(self, objects, ctx: ImportContext) -> None:
        slugs = fresh_slugs(Seller, [seller.slug for seller in objects])
        for seller, slug in zip(objects, slugs, strict=True):
            if slug != seller.slug:
                ctx.note(
                    self.name,
                    _("Identifiant « %(old)s » déjà pris ici : le vendeur devient « %(new)s ».")
                    % {"old": seller.slug, "new": slug},
                )
                seller.slug = slug
        objects_insert(Seller, objects)
        sirens = self._targets(ctx)
        for seller in objects:
            if siren_key(seller.siren):
                sirens.setdefault(siren_key(seller.siren), seller.pk)


class SellerStatusEventsEntity(Entity):
    """The sellers' status history (DSA traceability). The user who made a change stays behind
    (an account of the seller's installation): only the name shown for them travels."""

    name = "seller_status_events"
    model = SellerStatusEvent
    fields = ("from_status", "to_status", "reason", "created_at")
    refs = {"seller": "sellers"}
    description = (
        "L'historique des statuts des vendeurs ; « actor » est le nom de la personne qui a "
        "décidé (son compte ne voyage pas)."
    )

    def queryset(self, scope: Scope):
        return SellerStatusEvent.objects.filter(seller__in=scope.sellers())

    def export_rows(self, scope: Scope):
        names = ["id", *self.fields, *self.refs, "first", "last", "username"]
        rows = (
            self.queryset(scope)
            .order_by("pk")
            .values_list(
                *self.columns(), "actor__first_name", "actor__last_name", "actor__username"
            )
        )
        for values in rows.iterator(chunk_size=2000):
            row = dict(zip(names, values, strict=True))
            first, last, username = row.pop("first"), row.pop("last"), row.pop("username")
            row["actor"] = " ".join(part for part in (first, last) if part) or username or ""
            yield row

    def extra_schema(self) -> dict:
        return {"actor": {"type": "string", "description": "nom de l'auteur du changement"}}

    def match(self, rows: list[dict], ctx: ImportContext) -> dict[int, int]:
        """An event the target's seller already records (same change at the same time) is the
        same event: a seller matched here keeps one history."""
        sellers = ctx.maps.get("sellers", {})
        targets = {sellers.get(row.get("seller")) for row in rows} - {None}
        known = {}
        events = SellerStatusEvent.objects.filter(seller_id__in=targets)
        for pk, seller, to_status, at in events.values_list(
            "pk", "seller_id", "to_status", "created_at"
        ):
            known[(seller, to_status, at.isoformat())] = pk
        mapping = {}
        for row in rows:
            try:
                at = field_value(self.model, "created_at", row, what=self.name, line=0)
            except ArchiveError:
                continue  # refused with its line number by build
            key = (sellers.get(row.get("seller")), row.get("to_status"), at.isoformat())
            if key in known:
                mapping[row["id"]] = known[key]
        return mapping

    def build(self, row: dict, ctx: ImportContext, *, line: int):
        event = super().build(row, ctx, line=line)
        actor = str(row.get("actor") or "").strip()
        if actor:
            mention = _("(par %(actor)s, chez le cédant)") % {"actor": actor}
            event.reason = f"{event.reason}\n{mention}" if event.reason else mention
        values_check(event, ["from_status", "to_status"], what=self.name, line=line)
        return event


class CommissionRulesEntity(Entity):
    """The rules that decide the storefront's commissions: its own (any category or all), then
    the mall-wide ones on an exported category or on every category. On import they all become
    rules of the new storefront, so its sellers keep paying what they agreed to whatever the
    target's own mall-wide rules; a mall-wide rule for which the storefront had its own rule
    (same category) adds nothing, as it never applied."""

    name = "commission_rules"
    model = CommissionRule
    fields = ("rate", "fixed_fee")
    refs = {"storefront": "storefronts", "category": "categories"}
    description = (
        "Les règles de commission qui s'appliquent à la boutique : les siennes puis celles de "
        "toute la galerie (storefront vide) sur ses catégories ou sur toutes."
    )

    def queryset(self, scope: Scope):
        categories = CategoriesEntity().category_ids(scope)
        return CommissionRule.objects.filter(
            Q(storefront=scope.storefront) | Q(storefront__isnull=True),
            Q(category__isnull=True) | Q(category_id__in=categories),
        )

    def export_rows(self, scope: Scope):
        # The storefront's own rules first: a mall-wide one on the same category maps onto it.
        names = ["id", *self.fields, *self.refs]
        rows = (
            self.queryset(scope)
            .order_by(F("storefront_id").asc(nulls_last=True), "pk")
            .values_list(*self.columns())
        )
        for values in rows.iterator(chunk_size=2000):
            yield dict(zip(names, values, strict=True))

    def timestamped_models(self):
        return ()

    def match(self, rows: list[dict], ctx: ImportContext) -> dict[int, int]:
        storefront = target_storefront_id(ctx)
        categories = ctx.maps.get("categories", {})
        existing = dict(
            (category, pk)
            for category, pk in CommissionRule.objects.filter(storefront_id=storefront)
            .values_list("category_id", "pk")
            .order_by("pk")
        )
        mapping = {}
        for row in rows:
            category = categories.get(row.get("category"))
            if category in existing:
                mapping[row["id"]] = existing[category]
        return mapping

    def build(self, row: dict, ctx: ImportContext, *, line: int):
        rule = CommissionRule(
            rate=field_value(self.model, "rate", row, what=self.name, line=line),
            fixed_fee=field_value(self.model, "fixed_fee", row, what=self.name, line=line),
            storefront_id=target_storefront_id(ctx),
            category_id=ctx.target(
                "categories", row.get("category"), what=f"{self.name}.category", line=line
            ),
        )
        values_check(rule, self.fields, what=self.name, line=line)
        return rule

    def save_batch(self, objects, ctx: ImportContext) -> None:
        # One rule per (storefront, category): a later row for the same category (a mall-wide
        # rule the storefront's own overrode) is the first one's.
        first: dict[int | None, CommissionRule] = {}
        for rule in objects:
            first.setdefault(rule.category_id, rule)
        CommissionRule.objects.bulk_create(first.values())
        for rule in objects:
            rule.pk = first[rule.category_id].pk


class DeliveryMethodsEntity(Entity):
    """The delivery methods of the exported sellers (what their seller orders name). A matched
    seller's method of the same name is the same method. The source operator's other methods
    join the target's operator inactive: the buyer decides its own delivery offer."""

    name = "delivery_methods"
    model = DeliveryMethod
    fields = (
        "name",
        "kind",
        "fee",
        "fee_per_kg",
        "free_above",
        "delivery_days_min",
        "delivery_days_max",
        "position",
        "is_active",
    )
    refs = {"seller": "sellers"}
    description = "Les modes de livraison des vendeurs exportés (forfait, au poids, franco…)."

    def queryset(self, scope: Scope):
        return DeliveryMethod.objects.filter(seller__in=scope.sellers())

    def timestamped_models(self):
        return ()

    def match(self, rows: list[dict], ctx: ImportContext) -> dict[int, int]:
        sellers = ctx.maps.get("sellers", {})
        targets = {sellers.get(row.get("seller")) for row in rows} - {None}
        existing = {}
        for pk, seller, name in (
            DeliveryMethod.objects.filter(seller_id__in=targets)
            .order_by("pk")
            .values_list("pk", "seller_id", "name")
        ):
            existing.setdefault((seller, name), pk)
        mapping = {}
        for row in rows:
            key = (sellers.get(row.get("seller")), row.get("name"))
            if key in existing:
                mapping[row["id"]] = existing[key]
        return mapping

    def _operator_kept(self, ctx: ImportContext) -> int | None:
        """The target's operator when it was there before the import (matched), else None."""
        if "operator_kept" not in ctx.extra:
            operator = Seller.objects.filter(is_operator=True).values_list("pk", flat=True).first()
            created = ImportedRecord.objects.filter(
                archive_import=ctx.archive_import,
                entity="sellers",
                target_id=operator,
                merged=False,
            ).exists()
            ctx.extra["operator_kept"] = None if created else operator
        return ctx.extra["operator_kept"]

    def build(self, row: dict, ctx: ImportContext, *, line: int):
        method = super().build(row, ctx, line=line)
        values_check(method, self.fields, what=self.name, line=line)
        if method.delivery_days_max < method.delivery_days_min:
            raise ArchiveError(
                _("%(what)s, ligne %(line)s : valeur de « %(field)s » invalide (%(value)s).")
                % {
                    "what": self.name,
                    "line": line,
                    "field": "delivery_days_max",
                    "value": method.delivery_days_max,
                }
            )
        if method.seller_id == self._operator_kept(ctx) and method.is_active:
            method.is_active = False
            ctx.note(
                self.name,
                _("« %(name)s » de l'exploitant cédant ajouté inactif à l'exploitant d'ici.")
                % {"name": method.name},
            )
        return method


class OffersEntity(Entity):
    """Offers on the exported products, with their stock, price, purchase cost and state. An
    offer the target's rules refuse (a new book priced outside the loi Lang's range of the
    target's publisher price) comes in inactive and is reported; a value no installation
    accepts (a price out of bounds, a second-hand offer without its condition) is an error."""

    name = "offers"
    model = Offer
    fields = (
        "sku",
        "price",
        "delivery_price",
        "condition",
        "condition_note",
        "stock",
        "lead_time_days",
        "purchase_cost",
        "is_active",
        "created_at",
        "updated_at",
    )
    refs = {"seller": "sellers", "product": "products"}
    description = (
        "Les offres des vendeurs sur les produits exportés : prix TTC, port, état, stock, délai, "
        "coût d'achat (offres de l'exploitant)."
    )

    def queryset(self, scope: Scope):
        return Offer.objects.filter(product__in=scope.products())

    def match(self, rows: list[dict], ctx: ImportContext) -> dict[int, int]:
        sellers, products = ctx.maps.get("sellers", {}), ctx.maps.get("products", {})
        keyed = []
        for row in rows:
            seller, product = sellers.get(row.get("seller")), products.get(row.get("product"))
            keyed.append((row, seller, product))
        seller_ids = {s for _r, s, _p in keyed} - {None}
        product_ids = {p for _r, _s, p in keyed} - {None}
        skus = {str(r.get("sku")) for r, _s, _p in keyed if r.get("sku")}
        by_sku, by_product = {}, {}
        if skus:
            for pk, seller, sku in Offer.objects.filter(
                seller_id__in=seller_ids, sku__in=skus
            ).values_list("pk", "seller_id", "sku"):
                by_sku[(seller, sku)] = pk
        for pk, seller, product, condition in (
            Offer.objects.filter(seller_id__in=seller_ids, product_id__in=product_ids)
            .order_by("-pk")
            .values_list("pk", "seller_id", "product_id", "condition")
        ):
            by_product[(seller, product, condition)] = pk
        # The products' facts for the checks in build (one query per batch).
        ctx.extra["offer_products"] = {
            product.pk: product
            for product in Product.objects.filter(pk__in=product_ids)
            .select_related("product_type")
            .only("pk", "title", "publisher_price", "product_type__is_book")
        }
        mapping = {}
        for row, seller, product in keyed:
            if row.get("sku"):
                target = by_sku.get((seller, str(row["sku"])))
            else:
                target = by_product.get((seller, product, row.get("condition")))
            if target is not None:
                mapping[row["id"]] = target
        return mapping

    def merge(self, target_id: int, row: dict, ctx: ImportContext) -> None:
        if row.get("purchase_cost") is None:
            return
        cost = field_value(Offer, "purchase_cost", row, what=self.name, line=0)
        Offer.objects.filter(pk=target_id, purchase_cost__isnull=True).update(purchase_cost=cost)

    def build(self, row: dict, ctx: ImportContext, *, line: int):
        offer = super().build(row, ctx, line=line)
        values_check(
            offer,
            ["sku", "price", "delivery_price", "condition", "condition_note", "stock"],
            what=self.name,
            line=line,
        )
        product = ctx.extra.get("offer_products", {}).get(offer.product_id)
        try:
            offer_bounds_check(
                lead_time_days=offer.lead_time_days, purchase_cost=offer.purchase_cost
            )
            offer_check(
                product=product,
                price=offer.price,
                condition=offer.condition,
                condition_note=offer.condition_note,
                stock=offer.stock,
                delivery_price=offer.delivery_price,
            )
        except BookPriceError as exc:
            if offer.is_active:
                offer.is_active = False
                ctx.note(
                    self.name,
                    _("Ligne %(line)s : offre importée inactive — %(error)s")
                    % {"line": line, "error": exc.message},
                )
        except DomainError as exc:
            raise ArchiveError(
                _("%(what)s, ligne %(line)s : %(error)s")
                % {"what": self.name, "line": line, "error": exc.message}
            ) from exc
        return offer


ENTITIES: list[Entity] = [
    SellersEntity(),
    SellerStatusEventsEntity(),
    CommissionRulesEntity(),
    DeliveryMethodsEntity(),
    OffersEntity(),
]


def _compact(value: str) -> str:
    return "".join(value.split()).upper()
