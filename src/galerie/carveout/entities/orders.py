"""orders entities of the storefront archive: the storefront's orders (every status) with their
sellers' parts, lines, events, payments and refunds.

Customers must find their orders at the buyer's as they knew them: the same order and invoice
numbers (written as the source showed them, kept in `Order.source_number` and
`SellerOrder.source_invoice_number`), the same public id when it is free (their links), the same
dates and amounts. What only made sense at the source is left behind: request dedup keys, the
staff who acted (their label stays), saved cards. Unique values that the target already holds
(a public id or a provider reference, after a round trip into the same database) get a fresh
value and a report note.

A line's `details` may carry ids: `{"renews": subscription id, "term": n}` keeps the source's
subscription id here, and the press file rewrites it when it imports the term that line pays
(`press.SubscriptionTerms.after_create`, which also checks that the two agree). Trip details carry
option codes and traveller names only, nothing to map. The request dedup keys stay behind, the
renewal keys among them (`renewal-<subscription>-<term>`): carried over, a source subscription's
key could meet a target subscription's own renewal.
"""

import hashlib
import uuid

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from galerie.carveout.archive import ArchiveError
from galerie.carveout.bulk import objects_insert
from galerie.carveout.entities.base import Entity, ImportContext, Scope, archive_values
from galerie.invoicing.models import Invoice, InvoiceKind
from galerie.orders.models import (
    Order,
    OrderEvent,
    OrderLine,
    SellerOrder,
    invoice_number,
    order_number,
)
from galerie.payments.models import Payment, Refund


class _OrderEntity(Entity):
    """References are required unless listed in `optional_refs` (catalogue rows the archive may
    have left out: the line keeps its snapshot and loses the link, as when they are deleted)."""

    optional_refs: frozenset[str] = frozenset()
    # ORM lookups read with the row at export for `export_extra` (the numbers as shown).
    extra_columns: tuple[str, ...] = ()

    def ref_required(self, ref: str) -> bool:
        return ref not in self.optional_refs

    def queryset(self, scope: Scope):
        return self.model.objects.filter(order__in=scope.orders().values("pk"))

    def export_rows(self, scope: Scope):
        names = ["id", *self.fields, *self.refs]
        queryset = (
            self.queryset(scope).order_by("pk").values_list(*self.columns(), *self.extra_columns)
        )
        for values in archive_values(queryset):
            row = dict(zip(names, values[: len(names)], strict=True))
            extra = dict(zip(self.extra_columns, values[len(names) :], strict=True))
            yield self.export_extra(row, extra)

    def export_extra(self, row: dict, extra: dict) -> dict:
        return row

    def build(self, row: dict, ctx: ImportContext, *, line: int):
        obj = super().build(row, ctx, line=line)
        for ref in self.optional_refs:
            if row.get(ref) is not None and getattr(obj, f"{ref}_id") is None:
                unlinked = ctx.report.setdefault(self.name, {}).setdefault("unlinked", {})
                unlinked[ref] = unlinked.get(ref, 0) + 1
        return obj


def _number(row: dict, key: str, max_length: int, *, what: str, line: int) -> str:
    value = row.get(key)
    if not isinstance(value, str) or not value.strip() or len(value) > max_length:
        raise ArchiveError(
            _("%(what)s, ligne %(line)s : valeur de « %(field)s » invalide (%(value)s).")
            % {"what": what, "line": line, "field": key, "value": str(value)[:40]}
        )
    return value


class Orders(_OrderEntity):
    name = "orders"
    model = Order
    fields = (
        "public_id",
        "email",
        "shipping_address",
        "billing_address",
        "status",
        "items_total",
        "delivery_total",
        "total",
        "vat_total",
        "refunded_total",
        "expires_at",
        "paid_at",
        "cancelled_at",
        "cancel_reason",
        "created_at",
        "updated_at",
    )
    refs = {"storefront": "storefronts", "user": "customers"}
    extra_columns = ("source_number",)
    description = (
        "Commandes de la boutique, tous statuts, avec leur numéro tel que le client le connaît "
        "(sans les clés de déduplication des requêtes, propres à la source)."
    )

    def queryset(self, scope: Scope):
        return scope.orders()

    def export_extra(self, row: dict, extra: dict) -> dict:
        row["number"] = order_number(pk=row["id"], source_number=extra["source_number"])
        return row

    def extra_schema(self) -> dict:
        limit = Order._meta.get_field("source_number").max_length
        return {
            "number": {
                "type": "string",
                "maxLength": limit,
                "description": _("numéro de la commande tel que le client le connaît"),
            }
        }

    def build(self, row: dict, ctx: ImportContext, *, line: int):
        order = super().build(row, ctx, line=line)
        limit = Order._meta.get_field("source_number").max_length
        order.source_number = _number(row, "number", limit, what=self.name, line=line)
        return order

    def save_batch(self, objects, ctx: ImportContext) -> None:
        """A public id the target already holds (a round trip into the same database) gets a
        new one: the order opens under its new link, its number stays."""
        taken = set(
            Order.objects.filter(public_id__in=[order.public_id for order in objects]).values_list(
                "public_id", flat=True
            )
        )
        for order in objects:
            if order.public_id in taken:
                ctx.note(
                    self.name,
                    _(
                        "Commande %(number)s : identifiant public %(old)s déjà pris ici, "
                        "remplacé par un nouveau."
                    )
                    % {"number": order.source_number, "old": order.public_id},
                )
                order.public_id = uuid.uuid4()
        objects_insert(Order, objects)


class SellerOrders(_OrderEntity):
    name = "seller_orders"
    model = SellerOrder
    fields = (
        "seller_name",
        "seller_legal",
        "status",
        "delivery_label",
        "delivery_fee",
        "delivery_vat",
        "delivery_date_min",
        "delivery_date_max",
        "items_total",
        "total",
        "delivery_refunded",
        "carrier",
        "tracking_number",
        "accepted_at",
        "shipped_at",
        "delivered_at",
        "cancelled_at",
        "created_at",
        "updated_at",
    )
    refs = {"order": "orders", "seller": "sellers", "delivery_method": "delivery_methods"}
    optional_refs = frozenset({"delivery_method"})
    # The sales invoice issued here (galerie.invoicing), if any: its number is the one the
    # customer holds, so it becomes the part's `source_invoice_number` at the buyer's.
    extra_columns = ("order__source_number", "source_invoice_number", "issued_invoice_number")
    description = (
        "Parts des commandes par vendeur, avec le numéro de leur facture tel qu'il a été émis."
    )

    def queryset(self, scope: Scope):
        issued = Invoice.objects.filter(
            seller_order=OuterRef("pk"), kind=InvoiceKind.INVOICE
        ).values("number")[:1]
        return super().queryset(scope).annotate(issued_invoice_number=Subquery(issued))

    def export_extra(self, row: dict, extra: dict) -> dict:
        row["invoice_number"] = invoice_number(
            order_number=order_number(pk=row["order"], source_number=extra["order__source_number"]),
            seller_order_pk=row["id"],
            source_invoice_number=extra["source_invoice_number"]
            or extra["issued_invoice_number"]
            or "",
        )
        return row

    def extra_schema(self) -> dict:
        limit = SellerOrder._meta.get_field("source_invoice_number").max_length
        return {
            "invoice_number": {
                "type": "string",
                "maxLength": limit,
                "description": _("numéro de la facture du vendeur tel qu'il a été émis"),
            }
        }

    def build(self, row: dict, ctx: ImportContext, *, line: int):
        seller_order = super().build(row, ctx, line=line)
        limit = SellerOrder._meta.get_field("source_invoice_number").max_length
        seller_order.source_invoice_number = _number(
            row, "invoice_number", limit, what=self.name, line=line
        )
        return seller_order


class OrderLines(_OrderEntity):
    name = "order_lines"
    model = OrderLine
    fields = (
        "title",
        "gtin",
        "seller_name",
        "condition",
        "is_new_book",
        "unit_price",
        "quantity",
        "vat_rate",
        "line_total",
        "vat_amount",
        "vat_exemption",
        "refunded_quantity",
        "commission_rate",
        "commission_fixed_fee",
        "commission_amount",
        "purchase_cost",
        "purchase_cost_total",
        "details",
    )
    refs = {
        "order": "orders",
        "seller_order": "seller_orders",
        "offer": "offers",
        "product": "products",
        "category": "categories",
    }
    optional_refs = frozenset({"offer", "product", "category"})
    description = (
        "Lignes des commandes, instantanés de la vente (titre, prix, TVA, commission gelée) ; "
        "details.renews désigne un abonnement de subscriptions.jsonl."
    )

    def timestamped_models(self):
        return ()


class OrderEvents(_OrderEntity):
    name = "order_events"
    model = OrderEvent
    fields = ("actor_label", "from_status", "to_status", "note", "created_at")
    refs = {"order": "orders", "seller_order": "seller_orders"}
    description = "Historique des commandes (qui, quand, de quel statut vers quel statut)."


class Payments(_OrderEntity):
    name = "payments"
    model = Payment
    fields = (
        "method",
        "status",
        "amount",
        "refunded_amount",
        "provider_ref",
        "bank_reference",
        "failure_code",
        "captured_at",
        "created_at",
        "updated_at",
    )
    refs = {"order": "orders"}
    description = (
        "Paiements des commandes, sans carte enregistrée ni clé d'idempotence (propres à la "
        "source et à son contrat avec le prestataire)."
    )

    def save_batch(self, objects, ctx: ImportContext) -> None:
        """A provider reference the target already holds gets a suffix naming this import."""
        refs = [payment.provider_ref for payment in objects]
        taken = set(
            Payment.objects.filter(provider_ref__in=refs).values_list("provider_ref", flat=True)
        )
        limit = Payment._meta.get_field("provider_ref").max_length
        clashing, n = [payment for payment in objects if payment.provider_ref in taken], 0
        while clashing:  # one query per round: a second round only if "ref~import" is taken
            n += 1
            suffix = f"~{ctx.archive_import.pk}" + (f".{n}" if n > 1 else "")
            # (unsaved instances are unhashable: pairs, not a dict)
            wanted = [(p, p.provider_ref[: limit - len(suffix)] + suffix) for p in clashing]
            taken |= set(
                Payment.objects.filter(provider_ref__in=[new for _p, new in wanted]).values_list(
                    "provider_ref", flat=True
                )
            )
            still = []
            for payment, new in wanted:
                if new in taken:
                    still.append(payment)
                    continue
                ctx.note(
                    self.name,
                    _("Référence prestataire %(old)s déjà prise ici : enregistrée sous %(new)s.")
                    % {"old": payment.provider_ref, "new": new},
                )
                payment.provider_ref = new
                taken.add(new)
            clashing = still
        objects_insert(Payment, objects)


class Refunds(_OrderEntity):
    name = "refunds"
    model = Refund
    fields = ("amount", "status", "request_hash", "lines", "reason", "provider_ref", "created_at")
    refs = {"order": "orders", "payment": "payments"}
    description = (
        "Remboursements ; lines associe des id de order_lines.jsonl aux quantités remboursées."
    )

    def export_rows(self, scope: Scope):
        # The idempotency key travels (prefixed at import) so that a refund replayed there is
        # recognised; Refund has no other natural key.
        names = ["id", *self.fields, *self.refs, "idempotency_key"]
        queryset = (
            self.queryset(scope).order_by("pk").values_list(*self.columns(), "idempotency_key")
        )
        for values in archive_values(queryset):
            yield dict(zip(names, values, strict=True))

    def extra_schema(self) -> dict:
        return {
            "idempotency_key": {
                "type": "string",
                "maxLength": Refund._meta.get_field("idempotency_key").max_length,
                "description": _("clé d'idempotence à la source"),
            }
        }

    def build(self, row: dict, ctx: ImportContext, *, line: int):
        refund = super().build(row, ctx, line=line)
        key = _number(row, "idempotency_key", 10_000, what=self.name, line=line)
        prefix = f"import-{ctx.archive_import.pk}:"
        limit = Refund._meta.get_field("idempotency_key").max_length
        if len(prefix) + len(key) > limit:
            key = hashlib.sha256(key.encode()).hexdigest()
        refund.idempotency_key = prefix + key
        if refund.lines is not None:
            refund.lines = self._lines(refund.lines, ctx, line=line)
        return refund

    def _lines(self, lines, ctx: ImportContext, *, line: int) -> dict:
        if not isinstance(lines, dict):
            raise ArchiveError(
                _("%(what)s, ligne %(line)s : valeur de « %(field)s » invalide (%(value)s).")
                % {"what": self.name, "line": line, "field": "lines", "value": str(lines)[:40]}
            )
        mapped = {}
        for source_id, quantity in lines.items():
            try:
                source = int(source_id)
            except (TypeError, ValueError):
                source = None
            target = ctx.target(
                "order_lines", source, what=f"{self.name}.lines", line=line, required=True
            )
            if target is None:
                raise ArchiveError(
                    _("%(what)s, ligne %(line)s : référence à %(entity)s n° %(id)s inconnue.")
                    % {
                        "what": f"{self.name}.lines",
                        "line": line,
                        "entity": "order_lines",
                        "id": source_id,
                    }
                )
            mapped[str(target)] = quantity
        return mapped


ENTITIES: list[Entity] = [
    Orders(),
    SellerOrders(),
    OrderLines(),
    OrderEvents(),
    Payments(),
    Refunds(),
]
