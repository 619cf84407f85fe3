"""press entities of the storefront archive: the subscription plans of its offers, the
subscriptions sold on it with their terms, the issues served and the renewal charges tried.

Saved cards stay behind (they are the source's payment provider's tokens, see the manifest's
`left_out`): a subscription row says `saved_card_left_out` when it had one. Imported, such a
subscription keeps its status, dates and tacit renewal, without a card. The target's daily run
(`payments.renewals.subscriptions_daily`) then handles it as it handles any subscription whose
customer removed the card: the loi Chatel notice goes out as due, the renewal order is placed two
days before the term ends, its charge is recorded as `no_card` and the dunning e-mail asks the
customer to pay on the order's page (a payment link) until the last payable day; unpaid by then,
the renewal is cancelled and the subscription ends with its last paid term. A renewal already
being dunned at the cut-over continues the same way from its next attempt. Nothing is charged
without a card the target's own provider holds.

The terms come after the order lines: a renewal line's details name the subscription it renews
(`{"renews": id, "term": n}`) by its *source* id, and the renewal order's and its charges'
idempotency keys embed it (`payments.renewals.renewal_key`). The details are rewritten to the new
subscription id when the term that line pays is imported, the keys once every term is in
(`SubscriptionTerms.finalize`), so that the target's next renewal of that subscription finds
its own order again and never meets another subscription's.
"""

import re
import uuid

from django.db import models
from django.utils.translation import gettext as _

from galerie.carveout.archive import ArchiveError
from galerie.carveout.entities.base import Entity, ImportContext, Scope
from galerie.carveout.entities.extension import ExtensionEntity, StrictEntity
from galerie.orders.models import Order, OrderLine
from galerie.payments.models import Payment
from galerie.payments.renewals import renewal_key
from galerie.subscriptions.models import (
    IssueFulfilment,
    RenewalAttempt,
    Subscription,
    SubscriptionPlan,
    SubscriptionTerm,
)

_ATTEMPT = re.compile(r"-(\d+)")


class SubscriptionPlans(ExtensionEntity):
    name = "subscription_plans"
    model = SubscriptionPlan
    fields = ("publication", "issues_per_year", "term_months", "first_issue_on", "medium")
    refs = {"offer": "offers"}
    extends = "offer"
    description = (
        "Formules d'abonnement : chacune prolonge une offre (offers.jsonl), dont le prix est "
        "celui d'une période."
    )

    def queryset(self, scope: Scope) -> models.QuerySet:
        return SubscriptionPlan.objects.filter(offer__product__in=scope.products().values("pk"))


class Subscriptions(StrictEntity):
    name = "subscriptions"
    model = Subscription
    fields = (
        "public_id",
        "email",
        "delivery_address",
        "status",
        "starts_on",
        "ends_on",
        "auto_renew",
        "renewal_notice_for",
        "renewal_notice_late_for",
        "terminated_at",
        "withdrawn_at",
        "ended_at",
        "created_at",
        "updated_at",
    )
    refs = {
        "plan": "subscription_plans",
        "seller": "sellers",
        "storefront": "storefronts",
        "user": "customers",
    }
    description = (
        "Abonnements vendus sur la boutique. La carte enregistrée n'est pas transmise "
        "(`saved_card_left_out`) : le renouvellement se règle alors par le lien de paiement "
        "de la commande de renouvellement."
    )

    def queryset(self, scope: Scope) -> models.QuerySet:
        return Subscription.objects.filter(storefront=scope.storefront)

    def export_rows(self, scope: Scope):
        names = ["id", *self.fields, *self.refs]
        columns = [*self.columns(), "saved_card_id"]
        queryset = self.queryset(scope).order_by("pk").values_list(*columns)
        for values in queryset.iterator(chunk_size=2000):
            row = dict(zip(names, values[:-1], strict=True))
            row["saved_card_left_out"] = values[-1] is not None
            yield row

    def extra_schema(self) -> dict:
        return {
            "saved_card_left_out": {
                "type": "boolean",
                "description": "la source renouvelait par une carte enregistrée, non transmise",
            }
        }

    def save_batch(self, objects: list[models.Model], ctx: ImportContext) -> None:
        """A public id the target already gives another subscription (the same archive imported
        into its own database) gets a fresh one: links in e-mails sent by the source stop
        working for that subscription, which the report says."""
        taken = set(
            Subscription.objects.filter(
                public_id__in=[obj.public_id for obj in objects]
            ).values_list("public_id", flat=True)
        )
        for obj in objects:
            if obj.public_id in taken:
                old, obj.public_id = obj.public_id, uuid.uuid4()
                ctx.note(
                    self.name,
                    _("Identifiant public %(old)s déjà pris : l'abonnement reçoit %(new)s.")
                    % {"old": old, "new": obj.public_id},
                )
        super().save_batch(objects, ctx)

    def after_create(self, pairs: list[tuple[dict, models.Model]], ctx: ImportContext) -> None:
        summary = ctx.report.setdefault(self.name, {})
        cardless = sum(1 for row, _obj in pairs if row.get("saved_card_left_out"))
        if cardless:
            summary["saved_card_left_out"] = summary.get("saved_card_left_out", 0) + cardless

    def finalize(self, ctx: ImportContext) -> None:
        cardless = ctx.report.get(self.name, {}).get("saved_card_left_out", 0)
        if cardless:
            ctx.note(
                self.name,
                _(
                    "%(n)s abonnement(s) sans leur carte enregistrée : leur prochain "
                    "renouvellement se réglera par le lien de paiement de la commande."
                )
                % {"n": cardless},
            )


class SubscriptionTerms(StrictEntity):
    name = "subscription_terms"
    model = SubscriptionTerm
    fields = ("number", "starts_on", "ends_on", "status")
    refs = {"subscription": "subscriptions", "order_line": "order_lines"}
    description = "Périodes d'abonnement, chacune payée par une ligne de commande."

    def queryset(self, scope: Scope) -> models.QuerySet:
        return SubscriptionTerm.objects.filter(subscription__storefront=scope.storefront)

    def build(self, row: dict, ctx: ImportContext, *, line: int) -> models.Model:
        ctx.extra.setdefault(_LINES, {})[row["id"]] = line
        return super().build(row, ctx, line=line)

    def after_create(self, pairs: list[tuple[dict, models.Model]], ctx: ImportContext) -> None:
        """Point the renewal lines these terms are paid by at the imported subscription (the
        same transaction as the terms: a resumed import never sees one without the other)."""
        lines_of = ctx.extra.get(_LINES, {})
        paid_by = {obj.order_line_id: (row, obj) for row, obj in pairs if obj.order_line_id}
        renewals = [
            line
            for line in OrderLine.objects.filter(pk__in=list(paid_by)).only("pk", "details")
            if isinstance(line.details, dict) and "renews" in line.details
        ]
        for line in renewals:
            row, term = paid_by[line.pk]
            renews, number = line.details.get("renews"), line.details.get("term")
            if renews != row["subscription"] or number != row["number"]:
                raise ArchiveError(
                    _(
                        "%(what)s, ligne %(line)s : la ligne de commande n° %(order_line)s "
                        "renouvelle l'abonnement n° %(renews)s (période %(term)s), pas celui-ci."
                    )
                    % {
                        "what": self.name,
                        "line": lines_of.get(row["id"], "?"),
                        "order_line": row["order_line"],
                        "renews": renews,
                        "term": number,
                    }
                )
            line.details = {**line.details, "renews": term.subscription_id}
        OrderLine.objects.bulk_update(renewals, ["details"])
        for row, _obj in pairs:
            lines_of.pop(row["id"], None)

    def finalize(self, ctx: ImportContext) -> None:
        """Rename the renewal orders' and charges' idempotency keys after the new subscription
        ids. All at once, once every term is in: the archive's own keys are what a new key
        most often meets (source subscription 7 renamed 9 while source 5 becomes 7)."""
        sources = {target: source for source, target in ctx.maps.get("subscriptions", {}).items()}
        term_ids = list(ctx.maps.get(self.name, {}).values())
        renewals = {}  # order id → (source subscription, target subscription, term number)
        for chunk in _chunks(term_ids):
            terms = SubscriptionTerm.objects.filter(
                pk__in=chunk, number__gt=1, order_line__isnull=False
            ).values_list("subscription_id", "number", "order_line__order_id")
            for subscription_id, number, order_id in terms:
                if subscription_id in sources:
                    renewals[order_id] = (sources[subscription_id], subscription_id, number)
        if not renewals:
            return
        _keys_rename(Order, "pk", renewals, ctx)
        _keys_rename(Payment, "order_id", renewals, ctx)


_LINES = "subscription_terms.lines"  # ctx.extra: term source id → line in its file


def _chunks(ids: list[int], size: int = 5000):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _renewal_key_for(key: str | None, *, source_id: int, target_id: int, term: int) -> str | None:
    """The source's renewal key (an order's, or a charge attempt's with its number) as the
    target names it; None if `key` is not one. A suffix the orders file added on a collision
    goes: the new subscription id makes the key unique again."""
    prefix = renewal_key(subscription_id=source_id, term=term)
    if not key or not key.startswith(prefix):
        return None
    rest = key[len(prefix) :]
    if rest[:1].isdigit():
        return None  # renewal-5-12 is not renewal-5-1
    attempt = _ATTEMPT.match(rest)
    return renewal_key(
        subscription_id=target_id, term=term, attempt=int(attempt.group(1)) if attempt else None
    )


def _keys_rename(model, order_field: str, renewals: dict, ctx: ImportContext) -> None:
    """Give `model`'s rows of the renewal orders their target renewal keys. A key held by a row
    this rename does not move stays where it is, and the row that wanted it keeps its own
    (reported). The moving rows go through a temporary key first: one may want the key that
    another one gives up."""
    old = {}  # pk → current key
    new = {}  # pk → target key
    for chunk in _chunks(list(renewals)):
        rows = model.objects.filter(**{f"{order_field}__in": chunk}).values_list(
            "pk", order_field, "idempotency_key"
        )
        for pk, order_id, key in rows:
            source_id, target_id, term = renewals[order_id]
            wanted = _renewal_key_for(key, source_id=source_id, target_id=target_id, term=term)
            if wanted is not None and wanted != key:
                old[pk], new[pk] = key, wanted
    while new:
        holders = {}
        for chunk in _chunks(list(new.values())):
            holders.update(
                model.objects.filter(idempotency_key__in=chunk).values_list("idempotency_key", "pk")
            )
        blocked = [pk for pk, key in new.items() if holders.get(key, pk) not in new]
        if not blocked:
            break
        for pk in blocked:
            ctx.note(
                "subscription_terms",
                _("Clé de renouvellement %(key)s déjà prise : %(old)s reste inchangée.")
                % {"key": new.pop(pk), "old": old[pk]},
            )
    if not new:
        return
    moving = [
        obj
        for chunk in _chunks(list(new))
        for obj in model.objects.filter(pk__in=chunk).only("pk", "idempotency_key")
    ]
    for obj in moving:
        obj.idempotency_key = f"carveout-{ctx.archive_import.pk}-{model.__name__}-{obj.pk}"
    model.objects.bulk_update(moving, ["idempotency_key"], batch_size=1000)
    for obj in moving:
        obj.idempotency_key = new[obj.pk]
    model.objects.bulk_update(moving, ["idempotency_key"], batch_size=1000)


class IssueFulfilments(StrictEntity):
    name = "issue_fulfilments"
    model = IssueFulfilment
    fields = ("issue_date", "status", "shipped_at")
    refs = {"subscription": "subscriptions", "term": "subscription_terms", "seller": "sellers"}
    description = "Numéros à servir (ou servis) d'une période payée."

    def queryset(self, scope: Scope) -> models.QuerySet:
        return IssueFulfilment.objects.filter(subscription__storefront=scope.storefront)


class RenewalAttempts(StrictEntity):
    name = "renewal_attempts"
    model = RenewalAttempt
    fields = ("number", "outcome", "code", "created_at")
    refs = {"term": "subscription_terms"}
    description = "Tentatives de prélèvement d'un renouvellement, avec leur résultat."

    def queryset(self, scope: Scope) -> models.QuerySet:
        return RenewalAttempt.objects.filter(term__subscription__storefront=scope.storefront)


ENTITIES: list[Entity] = [
    SubscriptionPlans(),
    Subscriptions(),
    SubscriptionTerms(),
    IssueFulfilments(),
    RenewalAttempts(),
]
