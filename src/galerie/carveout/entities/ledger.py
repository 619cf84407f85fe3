"""ledger entities of the storefront archive: the storefront's slice of the ledger.

The slice is every journal line whose storefront is the exported one (a line carries its
storefront, seller and category, so the economics reports read it alone). The cut-off date
splits it in two:

- `ledger_history`: before the cut-off, the lines folded per month × entry kind × account ×
  seller × category into one net amount each — the opening balances of every account at the
  cut-off, month by month so that the storefront's monthly P&L (and its GMV and refunds, read
  from the entry kinds) survives to the cent. The import posts one entry per (month, kind),
  "Reprise — historique …", dated on the month's last day (the day before the cut-off in the
  cut-off's own month).
- `ledger_entries` and `ledger_lines`: every entry dated on or after the cut-off that has a line
  of the storefront, with those lines only, kept as they were (date, label, kind, order); the
  target numbers them in its own journals and keeps the source's piece number as reference.
  The entries of an order still open at the cut-off (`ledger_open_orders`) come in full too,
  whatever their date, and the history leaves their lines out: a refund on the target reads
  what the order's sale still holds from the entries that carry the order
  (galerie.ledger.postings.refund_plan), which a monthly total cannot say.

`ledger_accounts` lists the accounts the slice uses: a mall account is the target's account of
the same code, a seller's sub-account the target's sub-account of the mapped seller.

What the slice does not hold stays with the source: entries without a storefront (payouts to
sellers, the payment provider's settlements) and other storefronts' lines. So a buyer's 467100
and 511200 are "collected for sellers" and "due from the provider" as this storefront's sales made
them, without the payouts and settlements that the source's mall made for all its storefronts:
`ledger_balances` (the manifest's figures) says exactly what comes over. If an entry mixed
storefronts and its slice does not balance, the import balances it on 471000 (suspense, with no
storefront) and the manifest counts such entries under "ledger".

The import writes through `galerie.ledger.services.journal_import` (bulk, gapless numbers, account
and monthly totals kept), never `journal_post` per entry: 200,000 orders' entries take seconds.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Sum, Value, When
from django.utils.translation import gettext as _

from galerie.carveout.archive import ArchiveError
from galerie.carveout.entities.base import (
    Entity,
    ImportContext,
    Scope,
    archive_values,
    field_value,
)
from galerie.core.money import CENT
from galerie.ledger import chart
from galerie.ledger.errors import LedgerError
from galerie.ledger.models import (
    Account,
    AccountKind,
    EntryKind,
    JournalEntry,
    JournalLine,
    LedgerTotal,
)
from galerie.ledger.selectors import ledger_aggregate
from galerie.ledger.services import (
    EntrySpec,
    LineSpec,
    account_ensure,
    journal_import,
    seller_subaccount,
)
from galerie.reporting.periods import month_label
from galerie.storefronts.models import Storefront

ZERO = Decimal("0.00")
READER = "ledger_reader"  # ctx.extra: the open archive, kept by preflight for the bulk passes
HISTORY_CHUNK = 20_000  # lines per journal_import call while the history goes in
_KINDS = frozenset(EntryKind.values)
# An order with no entry in this many days before the cut-off is settled: the 14-day withdrawal
# period runs from delivery, so add the time to ship (a trip's or a subscription's delivery
# comes later still), for the goods to come back and for the return to be checked and refunded.
# Anything younger may still be refunded on the target, which then needs its sale entries.
OPEN_ORDER_DAYS = 90
_HISTORY_KEYS = ("month", "entry_kind", "account_id", "seller_id", "category_id")


def ledger_open_orders(scope: Scope) -> models.QuerySet:
    """The storefront's orders still open at the cut-off: those with a journal entry of any kind
    carrying the order dated on or after cutoff − OPEN_ORDER_DAYS — so every order captured or
    refunded after the cut-off too. Their entries travel in full (ledger_entries), never folded
    into the history, whatever their date. A queryset, used as a subquery (200,000 orders)."""
    since = scope.cutoff - datetime.timedelta(days=OPEN_ORDER_DAYS)
    recent = JournalEntry.objects.filter(order_id__isnull=False, date__gte=since)
    return scope.orders().filter(pk__in=recent.values("order_id"))


def _carried_lines(scope: Scope) -> models.QuerySet:
    """The slice's lines that travel with their entries (ledger_lines): dated on or after the
    cut-off, or of an entry of an order open at the cut-off. The history holds all the others."""
    open_orders = ledger_open_orders(scope).values("pk")
    return JournalLine.objects.filter(storefront=scope.storefront).filter(
        Q(date__gte=scope.cutoff) | Q(entry__order_id__in=open_orders)
    )


def ledger_balances(*, storefront) -> dict[str, str]:
    """Debit − credit per general account number over the storefront's slice of the ledger,
    as exact strings; accounts that balance to zero are left out (the target may never have
    held them). The same figures on source and target prove the books arrived whole."""
    rows = ledger_aggregate(group_by=["account"], storefront_ids=[storefront.pk])
    return {
        row["account_number"]: str(row["debit"] - row["credit"])
        for row in rows
        if row["debit"] != row["credit"]
    }


def _cents(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def _sides(net: Decimal) -> tuple[Decimal, Decimal]:
    return (net, ZERO) if net > 0 else (ZERO, -net)


def _target_storefront_id(ctx: ImportContext) -> int:
    """The storefront the archive became here (an archive holds one storefront)."""
    mapped = set(ctx.maps.get("storefronts", {}).values())
    if len(mapped) == 1:
        return mapped.pop()
    if ctx.archive_import.storefront_id:
        return ctx.archive_import.storefront_id
    raise ArchiveError(_("Le grand livre de l'archive ne trouve pas sa boutique importée."))


def _cutoff(ctx: ImportContext) -> datetime.date:
    try:
        return datetime.date.fromisoformat(ctx.manifest["cutoff"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ArchiveError(_("Le manifeste n'indique pas de date de coupure lisible.")) from exc


def _dimension(ctx: ImportContext, entity: str, source_id, *, unknown: list) -> int | None:
    """A line's seller or category on the target; one the archive does not carry is dropped
    (the line still counts for the storefront) and counted in the report."""
    if source_id is None:
        return None
    target = ctx.maps.get(entity, {}).get(source_id)
    if target is None:
        unknown.append((entity, source_id))
    return target


def _account(ctx: ImportContext, source_id, *, what: str, line: int) -> Account:
    """The target account of an archive account id (the accounts, a few hundred, cached)."""
    target = ctx.target("ledger_accounts", source_id, what=what, line=line)
    cache = ctx.extra.setdefault("ledger_accounts_cache", {})
    if target not in cache:
        cache.update(Account.objects.in_bulk(ctx.maps["ledger_accounts"].values()))
    return cache[target]


def _balanced(lines: list[LineSpec], *, storefront_id: int, what: str) -> bool:
    """Add the suspense line that balances a slice whose other lines stayed behind; False if
    one was needed (the entry then carries no storefront: the suspense line belongs to none)."""
    gap = sum((Decimal(s.debit) - Decimal(s.credit) for s in lines), ZERO)
    if not gap:
        return True
    debit, credit = _sides(-gap)
    lines.append(LineSpec(account=chart.SUSPENSE, debit=debit, credit=credit, label=what[:200]))
    return False


def _post(specs: list[EntrySpec], *, what: str) -> list[JournalEntry]:
    try:
        return journal_import(entries=specs)
    except LedgerError as exc:
        raise ArchiveError(f"{what} : {exc.message}") from exc


def _unknown_note(ctx: ImportContext, entity: str, unknown: list) -> None:
    if unknown:
        kinds = sorted({name for name, _pk in unknown})
        ctx.note(
            entity,
            _(
                "%(n)s ligne(s) sans leur vendeur ou catégorie (absents de l'archive : "
                "%(what)s) : elles comptent pour la boutique, sans cette ventilation."
            )
            % {"n": len(unknown), "what": ", ".join(kinds)},
        )


class LedgerAccounts(Entity):
    name = "ledger_accounts"
    model = Account
    fields = ("code", "number", "aux_number", "name", "kind")
    refs = {"seller": "sellers"}
    description = (
        "Les comptes utilisés par la tranche de grand livre de la boutique : comptes de la "
        "galerie (par code) et sous-comptes de vendeurs (compte général + vendeur)."
    )

    def queryset(self, scope: Scope) -> models.QuerySet:
        used = LedgerTotal.objects.filter(storefront=scope.storefront).values("account_id")
        return Account.objects.filter(pk__in=used)

    def timestamped_models(self):
        return ()

    def preflight(self, reader, ctx: ImportContext) -> None:
        """Refuse an archive whose mall account means something else here (another kind or
        number, or a seller's sub-account): its P&L would land in other columns."""
        ctx.extra[READER] = reader
        rows = [(line, row) for line, row in reader.rows(self.name) if row.get("seller") is None]
        existing = {
            a.code: a
            for a in Account.objects.filter(code__in=[row.get("code") for _l, row in rows])
        }
        for line, row in rows:
            here = existing.get(row.get("code"))
            definition = chart.CHART.get(row.get("code"))
            expected = (
                (here.number, here.kind, here.seller_id)
                if here is not None
                else (definition.number, str(definition.kind), None)
                if definition is not None
                else None
            )
            if expected is not None and expected != (row.get("number"), row.get("kind"), None):
                raise ArchiveError(
                    _(
                        "ledger_accounts, ligne %(line)s : le compte %(code)s existe ici avec un "
                        "autre sens (numéro %(number)s, nature %(kind)s)."
                    )
                    % {
                        "line": line,
                        "code": row.get("code"),
                        "number": expected[0],
                        "kind": expected[1],
                    }
                )
            if row.get("kind") not in AccountKind.values:
                raise ArchiveError(
                    _("ledger_accounts, ligne %(line)s : nature de compte « %(kind)s » inconnue.")
                    % {"line": line, "kind": row.get("kind")}
                )

    def _target_seller(self, row: dict, ctx: ImportContext) -> int:
        seller = ctx.maps.get("sellers", {}).get(row["seller"])
        if seller is None:
            raise ArchiveError(
                _("ledger_accounts : le compte %(code)s est celui d'un vendeur hors de l'archive.")
                % {"code": row.get("code")}
            )
        return seller

    def match(self, rows: list[dict], ctx: ImportContext) -> dict[int, int]:
        mall = {row["code"]: row["id"] for row in rows if row.get("seller") is None}
        found = {
            mall[code]: pk
            for code, pk in Account.objects.filter(code__in=mall, seller__isnull=True).values_list(
                "code", "pk"
            )
        }
        for row in rows:
            if row.get("seller") is None:
                continue
            target = Account.objects.filter(
                number=row["number"], seller_id=self._target_seller(row, ctx)
            ).first()
            if target is not None:
                found[row["id"]] = target.pk
        return found

    def build(self, row: dict, ctx: ImportContext, *, line: int) -> models.Model:
        values = {
            name: field_value(Account, name, row, what=self.name, line=line) for name in self.fields
        }
        try:
            if row.get("seller") is None:
                return account_ensure(**values)
            return seller_subaccount(
                number=values["number"],
                seller_id=self._target_seller(row, ctx),
                kind=values["kind"],
            )
        except LedgerError as exc:
            raise ArchiveError(f"{self.name}, ligne {line} : {exc.message}") from exc

    def save_batch(self, objects, ctx: ImportContext) -> None:
        """Nothing left to save: `build` found or created each account through the ledger."""


class LedgerHistory(Entity):
    name = "ledger_history"
    model = JournalLine
    fields = ("month", "debit", "credit")
    refs = {"account": "ledger_accounts", "seller": "sellers", "category": "categories"}
    description = (
        "Avant la date de coupure : le solde net de la boutique par mois, type d'écriture, "
        "compte, vendeur et catégorie (un seul côté renseigné), trié par mois puis type. "
        "Chaque couple (mois, type) s'importe en une écriture « Reprise — historique »."
    )

    def extra_schema(self) -> dict:
        return {
            "entry_kind": {
                "type": "string",
                "enum": list(EntryKind.values),
                "description": "type des écritures cumulées (encaissement, remboursement…)",
            }
        }

    def queryset(self, scope: Scope) -> models.QuerySet:
        # For the progress bar: about one row per monthly total of the storefront.
        return LedgerTotal.objects.filter(
            storefront=scope.storefront, month__lt=scope.cutoff.replace(day=1)
        )

    def _groups(self, scope: Scope) -> Iterator[dict]:
        """The history's net sums, sorted by month then kind: the monthly totals (the lines of
        the cut-off's own month up to the day before it), less the lines that travel in full
        before the cut-off (open orders' entries, aggregated the same way: a few months' worth)."""
        keys = _HISTORY_KEYS
        carried: dict[tuple, tuple[Decimal, Decimal]] = {
            tuple(row[k] for k in keys): (_cents(row["d"]), _cents(row["c"]))
            for row in _carried_lines(scope)
            .filter(date__lt=scope.cutoff)
            .annotate(entry_kind=F("entry__kind"))
            .values(*keys)
            .annotate(d=Sum("debit"), c=Sum("credit"))
            .order_by()
        }
        for record in self._whole_groups(scope):
            debit, credit = carried.pop(tuple(record[k] for k in keys), (ZERO, ZERO))
            yield {**record, "d": _cents(record["d"]) - debit, "c": _cents(record["c"]) - credit}
        if carried:
            # Every line is in its month's total (ledger_check): a line left over means the
            # totals disagree with the lines, and the history would not be exact.
            raise ArchiveError(
                _(
                    "Les totaux mensuels du grand livre ne correspondent pas à ses lignes "
                    "(lancez ledger_check) : l'historique ne peut pas être exporté exact."
                )
            )

    def _whole_groups(self, scope: Scope) -> Iterator[dict]:
        keys = _HISTORY_KEYS
        whole = (
            LedgerTotal.objects.filter(
                storefront=scope.storefront, month__lt=scope.cutoff.replace(day=1)
            )
            .values(*keys)
            .annotate(d=Sum("debit"), c=Sum("credit"))
            .order_by(*keys)
        )
        yield from whole.iterator(chunk_size=5000)
        if scope.cutoff.day != 1:  # the cut-off's month up to the day before it: from the lines
            partial = (
                JournalLine.objects.filter(
                    storefront=scope.storefront,
                    month=scope.cutoff.replace(day=1),
                    date__lt=scope.cutoff,
                )
                .annotate(entry_kind=F("entry__kind"))
                .values(*keys)
                .annotate(d=Sum("debit"), c=Sum("credit"))
                .order_by(*keys)
            )
            yield from partial.iterator(chunk_size=5000)

    def export_rows(self, scope: Scope) -> Iterator[dict]:
        number, group, gap, unbalanced = 0, None, ZERO, 0
        for record in self._groups(scope):
            net = _cents(record["d"]) - _cents(record["c"])
            if not net:
                continue
            key = (record["month"], record["entry_kind"])
            if key != group:
                unbalanced += bool(gap)
                group, gap = key, ZERO
            gap += net
            number += 1
            debit, credit = _sides(net)
            yield {
                "id": number,
                "month": record["month"],
                "entry_kind": record["entry_kind"],
                "account": record["account_id"],
                "seller": record["seller_id"],
                "category": record["category_id"],
                "debit": debit,
                "credit": credit,
            }
        scope.extra["ledger_unbalanced_history"] = unbalanced + bool(gap)

    def manifest_extra(self, scope: Scope) -> dict:
        return {
            "ledger": {
                "cutoff": scope.cutoff.isoformat(),
                "history": _(
                    "Avant la coupure : soldes nets par mois, type d'écriture, compte, vendeur "
                    "et catégorie ; après, et pour les commandes encore ouvertes à la coupure : "
                    "chaque écriture avec les lignes de la boutique."
                ),
                "stays_with_source": _(
                    "Les écritures sans boutique (versements aux vendeurs, virements du "
                    "prestataire de paiement) et les lignes des autres boutiques restent chez "
                    "le cédant."
                ),
                "unbalanced_history_months": scope.extra.get("ledger_unbalanced_history", 0),
                "unbalanced_entries": scope.extra.get("ledger_unbalanced_entries", 0),
                "suspense_account": chart.SUSPENSE,
            }
        }

    def timestamped_models(self):
        return ()

    def preflight(self, reader, ctx: ImportContext) -> None:
        ctx.extra[READER] = reader

    def match(self, rows: list[dict], ctx: ImportContext) -> dict[int, int]:
        if "ledger_history_ids" not in ctx.extra:
            ctx.extra["ledger_history_ids"] = self._import_all(ctx)
        return {}

    def _import_all(self, ctx: ImportContext) -> dict[int, int]:
        """Post the whole history, one entry per (month, kind), streaming the file (sorted by
        month then kind). Returns archive row id → target line id."""
        reader = ctx.extra[READER]
        cutoff = _cutoff(ctx)
        storefront_id = _target_storefront_id(ctx)
        name = ctx.archive_import.source_storefront
        ids: dict[int, int] = {}
        unknown: list = []
        pending: list[tuple[EntrySpec, list[int]]] = []
        pending_lines = 0
        group_key, group_rows, seen = None, [], set()
        unbalanced = 0

        def close_group():
            nonlocal pending_lines, unbalanced
            if not group_rows:
                return
            month, kind = group_key
            last_day = (month.replace(day=28) + datetime.timedelta(days=4)).replace(
                day=1
            ) - datetime.timedelta(days=1)
            date = min(last_day, cutoff - datetime.timedelta(days=1))
            label = f"Reprise — historique {name} {month_label(month)}"
            lines = [
                LineSpec(
                    account=_account(ctx, row.get("account"), what="ledger_history", line=line),
                    debit=row.get("debit", "0"),
                    credit=row.get("credit", "0"),
                    seller_id=_dimension(ctx, "sellers", row.get("seller"), unknown=unknown),
                    category_id=_dimension(ctx, "categories", row.get("category"), unknown=unknown),
                    storefront_id=storefront_id,
                )
                for line, row in group_rows
            ]
            balanced = _balanced(lines, storefront_id=storefront_id, what=label)
            unbalanced += not balanced
            spec = EntrySpec(
                journal=chart.JOURNAL_MISC,
                date=date,
                label=label,
                lines=lines,
                reference=f"REPRISE-{month:%Y-%m}",
                kind=kind,
                storefront_id=storefront_id if balanced else None,
            )
            pending.append((spec, [row["id"] for _line, row in group_rows]))
            pending_lines += len(lines)

        def flush():
            nonlocal pending_lines
            if not pending:
                return
            posted = _post([spec for spec, _ids in pending], what=self.name)
            lines: dict[int, list[int]] = {}
            for entry_id, pk in (
                JournalLine.objects.filter(entry_id__in=[entry.pk for entry in posted])
                .order_by("entry_id", "pk")
                .values_list("entry_id", "pk")
            ):
                lines.setdefault(entry_id, []).append(pk)
            for entry, (_spec, row_ids) in zip(posted, pending, strict=True):
                # Lines keep the order given (the suspense line, if any, comes last).
                ids.update(zip(row_ids, lines[entry.pk], strict=False))
            pending.clear()
            pending_lines = 0

        for line, row in reader.rows(self.name):
            if not isinstance(row.get("id"), int) or row["id"] in seen:
                raise ArchiveError(
                    _("%(member)s, ligne %(line)s : « id » entier et unique attendu.")
                    % {"member": f"data/{self.name}.jsonl", "line": line}
                )
            seen.add(row["id"])
            month = field_value(JournalLine, "month", row, what=self.name, line=line)
            kind = row.get("entry_kind")
            if kind not in _KINDS or month.day != 1 or month >= cutoff:
                raise ArchiveError(
                    _("%(what)s, ligne %(line)s : mois ou type d'écriture invalide.")
                    % {"what": self.name, "line": line}
                )
            key = (month, kind)
            if key != group_key:
                if group_key is not None and key < group_key:
                    raise ArchiveError(
                        _("%(what)s, ligne %(line)s : lignes non triées par mois puis type.")
                        % {"what": self.name, "line": line}
                    )
                close_group()
                group_key, group_rows = key, []
                if pending_lines >= HISTORY_CHUNK:
                    flush()
            group_rows.append((line, row))
        close_group()
        flush()
        _unknown_note(ctx, self.name, unknown)
        if unbalanced:
            ctx.note(
                self.name,
                _("%(n)s mois équilibré(s) sur le compte d'attente %(account)s.")
                % {"n": unbalanced, "account": chart.SUSPENSE},
            )
        return ids

    def build(self, row: dict, ctx: ImportContext, *, line: int) -> models.Model:
        return _Saved(ctx.extra["ledger_history_ids"][row["id"]])

    def save_batch(self, objects, ctx: ImportContext) -> None:
        """Nothing left to save: the whole history went in on the first batch."""

    def finalize(self, ctx: ImportContext) -> None:
        """Record where the storefront's detailed ledger starts: its payments captured before
        have their sale inside the history (ledger-check reads it)."""
        Storefront.objects.filter(pk=_target_storefront_id(ctx)).update(
            ledger_detail_from=_cutoff(ctx)
        )


# The idempotency keys of the entries that the target's own code looks up again ("capture:<payment
# id>" for ledger-check, a replayed capture or refund): the id they name, mapped to the target's.
_KEY_ENTITIES = {
    "capture": "payments",
    "cogs": "payments",
    "fee": "payments",
    "refund": "refunds",
    "cogs-back": "refunds",
    "cost-back": "refunds",
    "parcel": "seller_orders",
}


def _key_mapped(key: str | None, ctx: ImportContext) -> str | None:
    """The source key with its id mapped (None for a key the target never looks up)."""
    prefix, sep, source = (key or "").rpartition(":")
    entity = _KEY_ENTITIES.get(prefix)
    if not sep or entity is None or not source.isdigit():
        return None
    target = ctx.maps.get(entity, {}).get(int(source))
    return f"{prefix}:{target}" if target is not None else None


class LedgerEntries(Entity):
    name = "ledger_entries"
    model = JournalEntry
    fields = ("date", "label", "reference", "kind", "order_ref", "idempotency_key")
    refs = {"storefront": "storefronts", "reverses": "ledger_entries"}
    batch_size = 2000
    description = (
        "Chaque écriture datée du jour de coupure ou après qui porte une ligne de la boutique, "
        "et, quelle que soit leur date, celles des commandes encore ouvertes à la coupure "
        f"(une écriture dans les {OPEN_ORDER_DAYS} jours qui la précèdent ; « order » "
        "renseigné). "
        "« piece » est son numéro chez le cédant (référence de l'écriture importée), "
        "« reference » sa pièce justificative d'origine ; ses lignes suivent dans ledger_lines."
    )

    def extra_schema(self) -> dict:
        return {
            "journal": {"type": "string", "description": "code du journal (VE, BQ, OD)"},
            "piece": {"type": "string", "description": "numéro d'écriture chez le cédant"},
            "order": {
                "type": ["integer", "null"],
                "description": "id → orders.jsonl (toujours renseigné avant la date de coupure)",
            },
        }

    def queryset(self, scope: Scope) -> models.QuerySet:
        return JournalEntry.objects.filter(pk__in=_carried_lines(scope).values("entry_id"))

    def export_rows(self, scope: Scope) -> Iterator[dict]:
        kept = Exists(_carried_lines(scope).filter(entry_id=OuterRef("reverses_id")))
        rows = (
            self.queryset(scope)
            .annotate(
                reverses_kept=Case(
                    When(reverses__isnull=True, then=Value(False)),
                    default=kept,
                    output_field=models.BooleanField(),
                )
            )
            .order_by("pk")
            .values_list(
                "pk",
                "journal__code",
                "number",
                "date",
                "label",
                "reference",
                "kind",
                "order_id",
                "order_ref",
                "idempotency_key",
                "storefront_id",
                "reverses_id",
                "reverses_kept",
            )
        )
        names = ["id", "journal", "number", "date", "label", "reference", "kind", "order",
                 "order_ref", "idempotency_key", "storefront", "reverses",
                 "reverses_kept"]  # fmt: skip
        for values in rows.iterator(chunk_size=2000):
            row = dict(zip(names, values, strict=True))
            row["piece"] = f"{row['journal']}{row.pop('number'):06d}"
            if row["storefront"] != scope.storefront.pk:
                row["storefront"] = None  # another storefront's entry: the slice only
            if not row.pop("reverses_kept"):
                row["reverses"] = None  # reverses an entry the archive does not carry
            yield row

    def timestamped_models(self):
        return ()  # "validée le" is the day the target took the entry in

    def preflight(self, reader, ctx: ImportContext) -> None:
        ctx.extra[READER] = reader

    def build(self, row: dict, ctx: ImportContext, *, line: int) -> models.Model:
        values = {
            name: field_value(JournalEntry, name, row, what=self.name, line=line)
            for name in self.fields
        }
        if values["kind"] not in _KINDS or not isinstance(row.get("journal"), str):
            raise ArchiveError(
                _("%(what)s, ligne %(line)s : journal ou type d'écriture invalide.")
                % {"what": self.name, "line": line}
            )
        if values["date"] < _cutoff(ctx):
            # Only an open order's entries come in full before the cut-off (the history left
            # them out); the order must have come over, or a refund here would not find them.
            if row.get("order") is None:
                raise ArchiveError(
                    _("%(what)s, ligne %(line)s : écriture antérieure à la date de coupure.")
                    % {"what": self.name, "line": line}
                )
            ctx.target("orders", row["order"], what=self.name, line=line)
        return _PendingEntry(line=line, row=row, **values)

    def _lines_of(self, ctx: ImportContext, source_id: int, *, line: int) -> list[tuple]:
        """The archive's lines of one entry, read alongside the entries (both files are sorted
        by entry)."""
        stream = ctx.extra.get("ledger_lines_stream")
        if stream is None:
            stream = ctx.extra["ledger_lines_stream"] = _Peekable(
                ctx.extra[READER].rows("ledger_lines")
            )
        found = []
        while (head := stream.peek()) is not None and head[1].get("entry") == source_id:
            found.append(next(stream))
        if not found:
            raise ArchiveError(
                _(
                    "%(what)s, ligne %(line)s : écriture sans ligne dans ledger_lines (ou lignes "
                    "non triées par écriture)."
                )  # fmt: skip
                % {"what": self.name, "line": line}
            )
        return found

    def save_batch(self, objects: list["_PendingEntry"], ctx: ImportContext) -> None:
        storefront_id = _target_storefront_id(ctx)
        orders = ctx.maps.get("orders", {})
        entries_map = ctx.maps.get(self.name, {})
        unknown: list = []
        specs: list[tuple[EntrySpec, JournalEntry]] = []
        in_chunk: set[int] = set()
        posted_here: dict[int, int] = {}
        unbalanced = 0

        def flush():
            if not specs:
                return
            posted = _post([spec for spec, _obj in specs], what=self.name)
            for entry, (_spec, obj) in zip(posted, specs, strict=True):
                obj.pk = entry.pk
                posted_here[obj.row["id"]] = entry.pk
            specs.clear()
            in_chunk.clear()

        for obj in objects:
            line, row = obj.line, obj.row
            reverses = row.get("reverses")
            if reverses is not None and reverses in in_chunk:
                flush()  # the reversed entry must exist before its reversal is inserted
            lines = [
                LineSpec(
                    account=_account(ctx, lrow.get("account"), what="ledger_lines", line=lline),
                    debit=lrow.get("debit", "0"),
                    credit=lrow.get("credit", "0"),
                    label=str(lrow.get("label") or "")[:200],
                    seller_id=_dimension(ctx, "sellers", lrow.get("seller"), unknown=unknown),
                    category_id=_dimension(
                        ctx, "categories", lrow.get("category"), unknown=unknown
                    ),
                    storefront_id=storefront_id,
                )
                for lline, lrow in self._lines_of(ctx, row["id"], line=line)
            ]
            balanced = _balanced(lines, storefront_id=storefront_id, what=obj.label)
            unbalanced += not balanced
            order_id = orders.get(row.get("order"))
            mapped_storefront = ctx.maps.get("storefronts", {}).get(row.get("storefront"))
            spec = EntrySpec(
                journal=row["journal"],
                date=obj.date,
                label=obj.label,
                lines=lines,
                reference=str(row.get("piece") or obj.reference)[:100],
                kind=obj.kind,
                storefront_id=mapped_storefront if balanced else None,
                order_id=order_id,
                # The order keeps its number at the buyer's (Order.source_number).
                order_ref=obj.order_ref,
                idempotency_key=_key_mapped(row.get("idempotency_key"), ctx),
                reverses_id=(
                    posted_here.get(reverses) or entries_map.get(reverses)
                    if reverses is not None
                    else None
                ),
            )
            specs.append((spec, obj))
            in_chunk.add(row["id"])
        flush()
        _unknown_note(ctx, self.name, unknown)
        if unbalanced:
            ctx.note(
                self.name,
                _("%(n)s écriture(s) mêlant plusieurs boutiques équilibrée(s) sur %(account)s.")
                % {"n": unbalanced, "account": chart.SUSPENSE},
            )


class LedgerLines(Entity):
    name = "ledger_lines"
    model = JournalLine
    fields = ("debit", "credit", "label")
    refs = {
        "entry": "ledger_entries",
        "account": "ledger_accounts",
        "seller": "sellers",
        "category": "categories",
    }
    batch_size = 5000
    description = (
        "Les lignes de la boutique des écritures de ledger_entries, triées par écriture : une "
        "écriture qui mêlait plusieurs boutiques n'y garde que celles de la boutique."
    )

    def queryset(self, scope: Scope) -> models.QuerySet:
        return _carried_lines(scope)

    def export_rows(self, scope: Scope) -> Iterator[dict]:
        columns = ["pk", "entry_id", "account_id", "debit", "credit", "label", "seller_id",
                   "category_id"]  # fmt: skip
        rows = self.queryset(scope).order_by("entry_id", "pk").values_list(*columns)
        current, gap, unbalanced = None, ZERO, 0
        for pk, entry, account, debit, credit, label, seller, category in archive_values(
            rows, chunk_size=5000
        ):
            if entry != current:
                unbalanced += bool(gap)
                current, gap = entry, ZERO
            gap += Decimal(debit) - Decimal(credit)  # archive_values gives the decimal strings
            yield {
                "id": pk,
                "entry": entry,
                "account": account,
                "debit": debit,
                "credit": credit,
                "label": label,
                "seller": seller,
                "category": category,
            }
        scope.extra["ledger_unbalanced_entries"] = unbalanced + bool(gap)

    def timestamped_models(self):
        return ()

    def match(self, rows: list[dict], ctx: ImportContext) -> dict[int, int]:
        """Pair the archive's lines with those the entries pass wrote: same entry, same order
        (an entry's lines may straddle two batches: the count already paired carries over)."""
        entries = ctx.maps.get("ledger_entries", {})
        storefront_id = _target_storefront_id(ctx)
        wanted = {entries.get(row.get("entry")) for row in rows} - {None}
        targets: dict[int, list[int]] = {}
        for entry_id, pk in (
            JournalLine.objects.filter(entry_id__in=wanted, storefront_id=storefront_id)
            .order_by("entry_id", "pk")
            .values_list("entry_id", "pk")
        ):
            targets.setdefault(entry_id, []).append(pk)
        carry_entry, carry_count = ctx.extra.get("ledger_lines_carry", (None, 0))
        paired = {}
        for row in rows:
            entry_id = entries.get(row.get("entry"))
            if entry_id is None:
                raise ArchiveError(
                    _("ledger_lines : la ligne %(id)s renvoie à une écriture absente.")
                    % {"id": row.get("id")}
                )
            if entry_id != carry_entry:
                carry_entry, carry_count = entry_id, 0
            pks = targets.get(entry_id, [])
            if carry_count >= len(pks):
                raise ArchiveError(
                    _("ledger_lines : la ligne %(id)s ne correspond à aucune ligne importée.")
                    % {"id": row.get("id")}
                )
            paired[row["id"]] = pks[carry_count]
            carry_count += 1
        ctx.extra["ledger_lines_carry"] = (carry_entry, carry_count)
        ctx.extra["ledger_lines_paired"] = paired
        return {}

    def build(self, row: dict, ctx: ImportContext, *, line: int) -> models.Model:
        return _Saved(ctx.extra["ledger_lines_paired"][row["id"]])

    def save_batch(self, objects, ctx: ImportContext) -> None:
        """Nothing left to save: the lines went in with their entries."""


@dataclass
class _PendingEntry:
    """An archive entry checked by `build`, posted with its lines by `save_batch`."""

    line: int
    row: dict
    date: datetime.date
    label: str
    reference: str
    kind: str
    order_ref: str
    idempotency_key: str | None = None
    pk: int | None = None


class _Saved:
    """What `build` returns for a row already written by a bulk pass: only its target id
    (a model instance per line would cost more than the line's insert)."""

    __slots__ = ("pk",)

    def __init__(self, pk: int):
        self.pk = pk


class _Peekable:
    def __init__(self, iterator):
        self._iterator = iter(iterator)
        self._head = None
        self._done = False

    def peek(self):
        if self._head is None and not self._done:
            self._head = next(self._iterator, None)
            self._done = self._head is None
        return self._head

    def __iter__(self):
        return self

    def __next__(self):
        head = self.peek()
        if head is None:
            raise StopIteration
        self._head = None
        return head


ENTITIES: list[Entity] = [LedgerAccounts(), LedgerHistory(), LedgerEntries(), LedgerLines()]
