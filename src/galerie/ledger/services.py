"""Writes to the ledger: the one place where journal entries are posted.

Every function here must run inside the caller's `transaction.atomic()` block, so that the service
that moves money (capture, refund, payout) and its entry commit or roll back together.

Locks, always in this order: every journal row, by primary key (gapless numbering, and one
mall-wide ledger lock so that a transaction posting to two journals — a capture and its payment
fee — can never deadlock with another), then the touched accounts by primary key (their stored
totals). Ledger posts therefore serialise until commit: post the entries as the last writes of the
caller's transaction, and take no other lock after them.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import connection, models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from galerie.core import clock
from galerie.core.money import CENT, format_money
from galerie.ledger import chart
from galerie.ledger.errors import LedgerError
from galerie.ledger.models import (
    Account,
    AccountKind,
    EntryKind,
    Journal,
    JournalEntry,
    JournalLine,
    LedgerTotal,
)
from galerie.sellers.models import Seller

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LineSpec:
    """One line to post. `account` is an Account or its code (chart codes are created on demand).
    `storefront_id` defaults to the entry's storefront."""

    account: Account | str
    debit: Decimal | int | str = ZERO
    credit: Decimal | int | str = ZERO
    label: str = ""
    seller_id: int | None = None
    category_id: int | None = None
    storefront_id: int | None = None


@dataclass(frozen=True)
class EntrySpec:
    """One entry for `journal_import`: what `journal_post` takes, as data. `reverses_id` is the
    id of an entry already in the ledger."""

    journal: str
    date: datetime.date
    label: str
    lines: Sequence[LineSpec]
    reference: str = ""
    kind: str = EntryKind.MANUAL
    storefront_id: int | None = None
    order_id: int | None = None
    order_ref: str = ""
    reverses_id: int | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True)
class SaleSplit:
    """One slice of a captured (or refunded) payment: one seller, one category (None for delivery).

    amount: what the customer paid (or gets back) for this slice, VAT included.
    vat: the output VAT inside `amount` — the operator's own sales only (a third-party seller
        collects and declares its own VAT).
    commission, commission_vat: what the operator charges a third-party seller for this slice,
        excl. VAT and its VAT (on a refund: the part of the commission given back).
    is_delivery: delivery fees rather than goods (the operator books them to 7085).
    """

    seller_id: int
    amount: Decimal | int | str
    category_id: int | None = None
    vat: Decimal | int | str = ZERO
    commission: Decimal | int | str = ZERO
    commission_vat: Decimal | int | str = ZERO
    is_delivery: bool = False


# ---------------------------------------------------------------------------------------------
# Amounts and accounts


def _amount(value, *, what: str) -> Decimal:
    """An exact, non-negative amount in cents. Floats and fractions of a cent are refused, not
    rounded: the caller rounds (galerie.core.money.to_money) and owns the rounding difference."""
    if isinstance(value, float | bool):
        raise LedgerError(f"{what} : un montant s'exprime en Decimal, jamais en float.")
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise LedgerError(f"{what} : « {value} » n'est pas un montant.") from exc
    if not amount.is_finite():
        raise LedgerError(f"{what} : « {value} » n'est pas un montant.")
    if amount != amount.quantize(CENT):
        raise LedgerError(f"{what} : {value} € n'est pas arrondi au centime.")
    if amount < 0:
        raise LedgerError(f"{what} : montant négatif ({value} €) refusé.")
    return amount.quantize(CENT)


def account_get(*, code: str) -> Account:
    """The account with this code; an account of the chart is created the first time it is used."""
    try:
        return Account.objects.get(code=code)
    except Account.DoesNotExist:
        definition = chart.CHART.get(code)
        if definition is None:
            raise LedgerError(f"Compte comptable inconnu « {code} ».", field="account") from None
        account, _created = Account.objects.get_or_create(
            code=code,
            defaults={"number": code, "name": definition.name, "kind": definition.kind},
        )
        return account


def account_ensure(
    *, code: str, number: str, name: str, kind: str, aux_number: str = ""
) -> Account:
    """The mall account of this code; created as described when the target has none and the
    chart does not define it (an account another installation used, e.g. a fixed-cost account).
    Never renamed or changed after."""
    if code in chart.CHART:
        return account_get(code=code)
    account, _created = Account.objects.get_or_create(
        code=code,
        defaults={
            "number": number,
            "aux_number": aux_number,
            "name": name[:200],
            "kind": kind,
        },
    )
    return account


def seller_subaccount(*, number: str, seller_id: int, kind: str, name: str = "") -> Account:
    """The seller's sub-account of the general account `number` (467100: its payable), created
    on first use with the auxiliary number V000042 and the code 467100-V000042.
    Precondition: like `seller_payable_account`, inside a transaction holding the ledger lock."""
    if number == chart.SELLER_PAYABLES:
        return seller_payable_account(seller_id=seller_id)
    account = Account.objects.filter(number=number, seller_id=seller_id).first()
    if account is not None:
        return account
    seller = Seller.objects.filter(pk=seller_id).first()
    if seller is None:
        raise LedgerError(f"Vendeur inconnu (id {seller_id}).", field="seller_id")
    account, _created = Account.objects.get_or_create(
        code=f"{number}-{chart.seller_aux_number(seller_id)}",
        defaults={
            "number": number,
            "aux_number": chart.seller_aux_number(seller_id),
            "name": (name or seller.legal_name or seller.name)[:200],
            "kind": kind,
            "seller_id": seller_id,
        },
    )
    return account


def seller_payable_account(*, seller_id: int) -> Account:
    """The seller's sub-account of 467100 (what the mall owes it), created on first use.
    Creating it inserts a unique key that concurrent creators wait on: the posting helpers call
    this while holding the ledger lock, and so should any other caller inside a transaction."""
    account = Account.objects.filter(number=chart.SELLER_PAYABLES, seller_id=seller_id).first()
    if account is not None:
        return account
    seller = Seller.objects.filter(pk=seller_id).first()
    if seller is None:
        raise LedgerError(f"Vendeur inconnu (id {seller_id}).", field="seller_id")
    if seller.is_operator:
        raise LedgerError(
            "L'opérateur n'a pas de compte de vendeur tiers : ses ventes sont ses produits.",
            field="seller_id",
        )
    account, _created = Account.objects.get_or_create(
        code=chart.seller_account_code(seller_id),
        defaults={
            "number": chart.SELLER_PAYABLES,
            "aux_number": chart.seller_aux_number(seller_id),
            "name": (seller.legal_name or seller.name)[:200],
            "kind": AccountKind.LIABILITY,
            "seller_id": seller_id,
        },
    )
    return account


def _require_atomic() -> None:
    if not connection.in_atomic_block:
        raise LedgerError(
            "Une écriture se passe dans la transaction du service qui déplace l'argent "
            "(transaction.atomic).",
            code="ledger_no_transaction",
        )


def _ledger_lock() -> dict[str, Journal]:
    """Lock every journal row in primary-key order: the ledger's one lock, taken first."""
    journals = {j.code: j for j in Journal.objects.select_for_update().order_by("pk")}
    if not set(chart.JOURNALS) <= set(journals):
        # Migration 0002 seeds them; a flushed database (transactional tests) needs them again.
        for code, name in chart.JOURNALS.items():
            Journal.objects.get_or_create(code=code, defaults={"name": name})
        journals = {j.code: j for j in Journal.objects.select_for_update().order_by("pk")}
    return journals


def _storefront_id(storefront) -> int | None:
    if storefront is None or isinstance(storefront, int):
        return storefront
    return storefront.pk


# ---------------------------------------------------------------------------------------------
# Posting


_ENTRY_KINDS = frozenset(EntryKind.values)


def _entry_checked(
    *, date: datetime.date, label: str, kind: str, lines: Sequence[LineSpec]
) -> tuple[str, list[tuple[LineSpec, Decimal, Decimal]], Decimal]:
    """(label, [(spec, debit, credit)], total) of an entry that may be posted, or LedgerError:
    a date without time, a label, a known kind, two lines or more, each with one positive side
    in cents, debits = credits."""
    if isinstance(date, datetime.datetime) or not isinstance(date, datetime.date):
        raise LedgerError("La date comptable doit être une date (sans heure).", field="date")
    label = (label or "").strip()
    if not label:
        raise LedgerError("Une écriture a un libellé.", field="label")
    if kind not in _ENTRY_KINDS:
        raise LedgerError(f"Type d'écriture inconnu « {kind} ».", field="kind")
    if len(lines) < 2:
        raise LedgerError("Une écriture compte au moins deux lignes.", field="lines")
    checked = []
    total_debit = total_credit = ZERO
    for position, spec in enumerate(lines, start=1):
        what = f"Ligne {position}"
        debit = _amount(spec.debit, what=what)
        credit = _amount(spec.credit, what=what)
        if debit and credit:
            raise LedgerError(f"{what} : un montant au débit OU au crédit, pas les deux.")
        if not debit and not credit:
            raise LedgerError(f"{what} : montant nul.")
        total_debit += debit
        total_credit += credit
        checked.append((spec, debit, credit))
    if total_debit != total_credit:
        raise LedgerError(
            f"Écriture déséquilibrée : débit {total_debit} € ≠ crédit {total_credit} € "
            f"(écart {total_debit - total_credit} €).",
            code="ledger_unbalanced",
        )
    return label, checked, total_debit


def journal_post(
    *,
    journal: str,
    date: datetime.date,
    label: str,
    lines: Sequence[LineSpec],
    reference: str = "",
    storefront=None,
    idempotency_key: str | None = None,
    kind: str = EntryKind.MANUAL,
    order_id: int | None = None,
    order_ref: str = "",
    reverses: JournalEntry | None = None,
) -> JournalEntry:
    """Post one balanced entry and update the stored account totals.

    Refuses (LedgerError, nothing written) an entry with fewer than two lines, a negative amount,
    a line with both or neither side, an amount not rounded to the cent, or debits ≠ credits.
    With an `idempotency_key` already used, returns the entry posted under it instead of posting
    again (a retried capture posts once); reusing a key for a different entry is refused.
    Precondition: runs inside the caller's transaction.atomic().
    """
    _require_atomic()
    if idempotency_key is not None and not idempotency_key.strip():
        raise LedgerError("Clé d'idempotence vide.", field="idempotency_key")
    label, checked, total_debit = _entry_checked(date=date, label=label, kind=kind, lines=lines)
    storefront_id = _storefront_id(storefront)

    with transaction.atomic():
        journal_row = _ledger_lock().get(journal)
        if journal_row is None:
            raise LedgerError(f"Journal inconnu « {journal} ».", field="journal")
        if idempotency_key is not None:
            existing = (
                JournalEntry.objects.select_related("journal")
                .filter(idempotency_key=idempotency_key)
                .first()
            )
            if existing is not None:
                return _same_entry_or_error(existing, journal=journal, total=total_debit)
        codes = {spec.account for spec, _d, _c in checked if not isinstance(spec.account, Account)}
        accounts = {account.code: account for account in Account.objects.filter(code__in=codes)}
        for code in sorted(codes - set(accounts)):
            accounts[code] = account_get(code=code)

        journal_row.last_number += 1
        journal_row.save(update_fields=["last_number"])
        entry = JournalEntry.objects.create(
            journal=journal_row,
            number=journal_row.last_number,
            date=date,
            label=label[:200],
            reference=reference[:100],
            kind=kind,
            storefront_id=storefront_id,
            order_id=order_id,
            order_ref=order_ref[:100],
            idempotency_key=idempotency_key,
            reverses=reverses,
        )
        rows = []
        totals: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
        for spec, debit, credit in checked:
            account = spec.account if isinstance(spec.account, Account) else accounts[spec.account]
            rows.append(
                JournalLine(
                    entry=entry,
                    account=account,
                    debit=debit,
                    credit=credit,
                    label=(spec.label or label)[:200],
                    date=date,
                    month=date.replace(day=1),
                    storefront_id=spec.storefront_id or storefront_id,
                    seller_id=spec.seller_id,
                    category_id=spec.category_id,
                )
            )
            totals[account.pk][0] += debit
            totals[account.pk][1] += credit
        JournalLine.objects.bulk_create(rows)
        _account_totals_add(totals)
        _monthly_totals_add(rows, entry_kind=kind)
    return entry


def _account_totals_add(totals: dict[int, list[Decimal]]) -> None:
    """Add debits and credits to the accounts' stored totals, in primary-key order."""
    for account_pk in sorted(totals):
        debit, credit = totals[account_pk]
        Account.objects.filter(pk=account_pk).update(
            debit_total=F("debit_total") + debit, credit_total=F("credit_total") + credit
        )


def _monthly_totals_add(lines: Iterable[JournalLine], *, entry_kind: str) -> None:
    """Add the lines to the monthly totals. Runs under the ledger lock: read-then-write is safe."""
    sums: dict[tuple, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for line in lines:
        key = (line.month, line.account_id, line.storefront_id, line.seller_id, line.category_id)
        sums[key][0] += line.debit
        sums[key][1] += line.credit
    for (month, account_id, storefront_id, seller_id, category_id), (debit, credit) in sorted(
        sums.items(), key=lambda item: [(v is None, v) for v in item[0]]
    ):
        key = {
            "month": month,
            "account_id": account_id,
            "storefront_id": storefront_id,
            "seller_id": seller_id,
            "category_id": category_id,
            "entry_kind": entry_kind,
        }
        updated = LedgerTotal.objects.filter(**key).update(
            debit=F("debit") + debit, credit=F("credit") + credit
        )
        if not updated:
            LedgerTotal.objects.create(**key, debit=debit, credit=credit)


_TOTAL_KEY = ("month", "account_id", "storefront_id", "seller_id", "category_id", "entry_kind")


def _monthly_totals_add_many(sums: dict[tuple, list[Decimal]]) -> None:
    """`_monthly_totals_add` for many keys at once (keys in `_TOTAL_KEY` order): one read of the
    rows concerned, then one bulk update and one bulk insert. Under the ledger lock."""
    if not sums:
        return
    storefronts = {key[2] for key in sums}
    wanted = models.Q(storefront_id__in=[pk for pk in storefronts if pk is not None])
    if None in storefronts:
        wanted |= models.Q(storefront__isnull=True)
    existing = {}
    candidates = LedgerTotal.objects.filter(
        wanted,
        month__in={key[0] for key in sums},
        account_id__in={key[1] for key in sums},
        entry_kind__in={key[5] for key in sums},
    ).order_by("pk")
    for total in candidates:
        existing.setdefault(tuple(getattr(total, name) for name in _TOTAL_KEY), total)
    changed, new = [], []
    for key, (debit, credit) in sums.items():
        total = existing.get(key)
        if total is None:
            new.append(LedgerTotal(**dict(zip(_TOTAL_KEY, key, strict=True)), debit=debit,
                                   credit=credit))  # fmt: skip
        else:
            total.debit += debit
            total.credit += credit
            changed.append(total)
    if changed:
        # One prepared UPDATE run per row: bulk_update's CASE WHEN per row costs more than this.
        quote = connection.ops.quote_name
        sql = (
            f"UPDATE {quote(LedgerTotal._meta.db_table)} SET {quote('debit')} = %s, "  # noqa: S608
            f"{quote('credit')} = %s WHERE {quote('id')} = %s"
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, [(t.debit, t.credit, t.pk) for t in changed])
    LedgerTotal.objects.bulk_create(new, batch_size=500)


_ENTRY_COLUMNS = ("journal", "number", "date", "label", "reference", "kind", "storefront",
                  "order_id", "order_ref", "idempotency_key", "reverses", "created_at")  # fmt: skip
_LINE_COLUMNS = ("entry", "account", "debit", "credit", "label", "date", "month", "storefront",
                 "seller", "category")  # fmt: skip


def _insert_many(model, names: Sequence[str], rows: list[tuple]) -> None:
    """INSERT rows (values in `names` order, already in database form) with one prepared
    statement: no model instances, which cost more than the insert itself at a million lines."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    # Table and column names come from the model's meta, values go as parameters.
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(names))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def journal_import(*, entries: Sequence[EntrySpec]) -> list[JournalEntry]:
    """Post many entries at once — the bulk path of an archive taken in (a storefront's ledger
    moving between installations), where `journal_post` per entry would take hours.

    Every entry is checked as `journal_post` checks it, before anything is written (LedgerError
    naming the entry's position). Then, under the ledger lock, the entries take the next gapless
    numbers of their journals in the order given, entries and lines are inserted in bulk (lines
    in the order given, so an entry's lines get increasing ids), and the accounts' totals and the
    monthly totals are added by aggregation — so `ledger_check` holds.
    Accounts must exist (LineSpec.account an Account, or a code of the chart). The caller makes
    the import itself idempotent; an entry's `idempotency_key` is stored as given (the key the
    target's code would look it up by). Returns the entries (saved, with their
    ids), in the order given.
    Precondition: inside the caller's transaction.atomic()."""
    _require_atomic()
    if not entries:
        return []
    checked_entries = []
    for position, spec in enumerate(entries, start=1):
        try:
            label, checked, _total = _entry_checked(
                date=spec.date, label=spec.label, kind=spec.kind, lines=spec.lines
            )
        except LedgerError as exc:
            raise LedgerError(f"Écriture {position} : {exc}", code=exc.code) from exc
        checked_entries.append((spec, label, checked))
    ops = connection.ops
    with transaction.atomic():
        journals = _ledger_lock()
        unknown = sorted({spec.journal for spec in entries} - set(journals))
        if unknown:
            raise LedgerError(f"Journal inconnu « {', '.join(unknown)} ».", field="journal")
        codes = {
            line.account
            for _spec, _label, checked in checked_entries
            for line, _d, _c in checked
            if not isinstance(line.account, Account)
        }
        accounts = {account.code: account for account in Account.objects.filter(code__in=codes)}
        for code in sorted(codes - set(accounts)):
            accounts[code] = account_get(code=code)

        stamp = ops.adapt_datetimefield_value(clock.now())
        days: dict[datetime.date, object] = {}

        def day(value: datetime.date):
            if value not in days:
                days[value] = ops.adapt_datefield_value(value)
            return days[value]

        new_entries, entry_rows, first = [], [], {}
        for spec, label, _checked in checked_entries:
            journal_row = journals[spec.journal]
            first.setdefault(journal_row.pk, journal_row.last_number + 1)
            journal_row.last_number += 1
            entry = JournalEntry(
                journal=journal_row,
                number=journal_row.last_number,
                date=spec.date,
                label=label[:200],
                reference=spec.reference[:100],
                kind=spec.kind,
                storefront_id=spec.storefront_id,
                order_id=spec.order_id,
                order_ref=spec.order_ref[:100],
                reverses_id=spec.reverses_id,
            )
            new_entries.append(entry)
            entry_rows.append((journal_row.pk, entry.number, day(spec.date), entry.label,
                               entry.reference, entry.kind, entry.storefront_id, entry.order_id,
                               entry.order_ref, spec.idempotency_key, entry.reverses_id,
                               stamp))  # fmt: skip
        touched = [journals[code] for code in sorted({spec.journal for spec in entries})]
        Journal.objects.bulk_update(touched, ["last_number"])
        _insert_many(JournalEntry, _ENTRY_COLUMNS, entry_rows)
        ids = {}
        for journal in touched:  # (journal, number) is unique: it finds the new rows' ids
            ids.update(
                ((journal_id, number), pk)
                for journal_id, number, pk in JournalEntry.objects.filter(
                    journal=journal, number__range=(first[journal.pk], journal.last_number)
                ).values_list("journal_id", "number", "pk")
            )
        for entry in new_entries:
            entry.pk = ids[(entry.journal_id, entry.number)]
            entry._state.adding = False

        line_rows = []
        totals: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
        monthly: dict[tuple, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
        for entry, (spec, label, checked) in zip(new_entries, checked_entries, strict=True):
            month = spec.date.replace(day=1)
            for line, debit, credit in checked:
                account = (
                    line.account if isinstance(line.account, Account) else accounts[line.account]
                )
                storefront_id = line.storefront_id or spec.storefront_id
                line_rows.append((entry.pk, account.pk, debit, credit,
                                  (line.label or label)[:200], day(spec.date), day(month),
                                  storefront_id, line.seller_id, line.category_id))  # fmt: skip
                totals[account.pk][0] += debit
                totals[account.pk][1] += credit
                key = (month, account.pk, storefront_id, line.seller_id, line.category_id,
                       spec.kind)  # fmt: skip
                monthly[key][0] += debit
                monthly[key][1] += credit
        _insert_many(JournalLine, _LINE_COLUMNS, line_rows)
        _account_totals_add(totals)
        _monthly_totals_add_many(monthly)
    return new_entries


def _same_entry_or_error(entry: JournalEntry, *, journal: str, total: Decimal) -> JournalEntry:
    posted_total = sum((line.debit for line in entry.lines.all()), ZERO)
    if entry.journal.code != journal or posted_total != total:
        raise LedgerError(
            f"La clé d'idempotence « {entry.idempotency_key} » a déjà servi pour l'écriture "
            f"{entry.piece_number} ({posted_total} €) : elle ne peut servir à une autre.",
            code="ledger_idempotency_conflict",
        )
    return entry


def journal_reverse(
    *, entry: JournalEntry, date: datetime.date, label: str, idempotency_key: str | None = None
) -> JournalEntry:
    """Post the mirror of `entry` (debits become credits) in the same journal, linked to it.
    An entry is reversed at most once, and a reversal is not itself reversed: post a new entry."""
    _require_atomic()
    _ledger_lock()  # two simultaneous reversals: the second one sees the first
    if entry.reverses_id is not None:
        raise LedgerError(
            "Une contre-passation ne se contre-passe pas : passez une nouvelle écriture.",
            code="ledger_reverse_reversal",
        )
    if JournalEntry.objects.filter(reverses=entry).exists():
        raise LedgerError(
            f"L'écriture {entry.piece_number} est déjà contre-passée.",
            code="ledger_already_reversed",
        )
    lines = [
        LineSpec(
            account=line.account,
            debit=line.credit,
            credit=line.debit,
            label=line.label,
            seller_id=line.seller_id,
            category_id=line.category_id,
            storefront_id=line.storefront_id,
        )
        for line in entry.lines.select_related("account")
    ]
    return journal_post(
        journal=entry.journal.code,
        date=date,
        label=label,
        lines=lines,
        reference=entry.reference or entry.piece_number,
        storefront=entry.storefront_id,
        idempotency_key=idempotency_key,
        kind=EntryKind.REVERSAL,
        order_id=entry.order_id,
        order_ref=entry.order_ref,
        reverses=entry,
    )


# ---------------------------------------------------------------------------------------------
# Money flows: called by payments, orders and payouts with plain data (ids and amounts)


_VIA_ACCOUNT = {
    "provider": chart.PROVIDER_CLEARING,
    "bank": chart.BANK,
    "customer": chart.CUSTOMERS,
}


def _operator_ids(seller_ids: Iterable[int]) -> set[int]:
    wanted = set(seller_ids)
    found = dict(Seller.objects.filter(pk__in=wanted).values_list("pk", "is_operator"))
    missing = wanted - set(found)
    if missing:
        raise LedgerError(
            f"Vendeur inconnu (id {', '.join(map(str, sorted(missing)))}).", field="splits"
        )
    return {pk for pk, is_operator in found.items() if is_operator}


def _sale_lines(*, splits: Sequence[SaleSplit], via: str, refund: bool) -> list[LineSpec]:
    """Lines of a capture, or their mirror for a refund, merged per (account, seller, category)."""
    if via not in _VIA_ACCOUNT:
        raise LedgerError(f"Moyen d'encaissement inconnu « {via} ».", field="via")
    if not splits:
        raise LedgerError("Aucun montant à comptabiliser.", field="splits")
    operators = _operator_ids(s.seller_id for s in splits)
    sums: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for position, split in enumerate(splits, start=1):
        what = f"Part {position} (vendeur {split.seller_id})"
        amount = _amount(split.amount, what=what)
        vat = _amount(split.vat, what=f"{what}, TVA")
        commission = _amount(split.commission, what=f"{what}, commission")
        commission_vat = _amount(split.commission_vat, what=f"{what}, TVA sur commission")
        if amount == 0:
            raise LedgerError(f"{what} : montant nul.", field="splits")
        key = (split.seller_id, split.category_id)
        sums[(_VIA_ACCOUNT[via], *key)] += amount
        if split.seller_id in operators:
            if commission or commission_vat:
                raise LedgerError(
                    f"{what} : l'opérateur ne se facture pas de commission.", field="splits"
                )
            if vat >= amount:
                raise LedgerError(f"{what} : la TVA dépasse le montant.", field="splits")
            if split.is_delivery:
                revenue = chart.DELIVERY_REBATES if refund else chart.DELIVERY_REVENUE
            else:
                revenue = chart.OWN_SALES_REBATES if refund else chart.OWN_SALES
            sums[(revenue, *key)] += amount - vat
            sums[(chart.VAT_COLLECTED, *key)] += vat
        else:
            if vat:
                raise LedgerError(
                    f"{what} : la TVA d'un vendeur tiers n'est pas collectée par la galerie.",
                    field="splits",
                )
            if commission + commission_vat > amount:
                raise LedgerError(
                    f"{what} : la commission ({commission + commission_vat} € TTC) dépasse le "
                    f"montant ({amount} €).",
                    field="splits",
                )
            payable = seller_payable_account(seller_id=split.seller_id)
            sums[(payable, *key)] += amount - commission - commission_vat
            sums[(chart.COMMISSION_REBATES if refund else chart.COMMISSION_REVENUE, *key)] += (
                commission
            )
            sums[(chart.VAT_COLLECTED, *key)] += commission_vat

    lines = []
    for (account, seller_id, category_id), amount in sums.items():
        if not amount:
            continue
        is_cash = account == _VIA_ACCOUNT[via]
        # A capture debits the cash side and credits the rest; a refund is the mirror image.
        on_debit = is_cash != refund
        lines.append(
            LineSpec(
                account=account,
                debit=amount if on_debit else ZERO,
                credit=ZERO if on_debit else amount,
                seller_id=seller_id,
                category_id=category_id,
            )
        )
    return lines


def ledger_post_capture(
    *,
    date: datetime.date,
    storefront_id: int | None,
    splits: Sequence[SaleSplit],
    order_id: int | None = None,
    order_ref: str = "",
    reference: str = "",
    label: str = "",
    idempotency_key: str | None = None,
    via: str = "provider",
) -> JournalEntry:
    """A customer payment captured (journal VE).

    Dr provider clearing 511200 (or 411000 for an order paid later by bank transfer, via="customer",
    or 512000 via="bank") for the whole amount; Cr each third-party seller's 467100 sub-account net
    of commission incl. VAT, Cr 706000 commissions excl. VAT, Cr 445710 the VAT on commissions; for
    the operator's own lines Cr 707000 (7085 delivery) excl. VAT and Cr 445710 the output VAT.
    Each line carries its seller and category so reports group by them.
    Preconditions: inside the transaction that marks the payment captured; the splits add up to the
    captured amount; commissions are the frozen ones of the order lines. Give an idempotency key
    (e.g. "capture:<payment id>") so that a retried capture posts once.
    """
    _require_atomic()
    _ledger_lock()  # before creating a seller's sub-account: its unique key is a lock too
    lines = _sale_lines(splits=splits, via=via, refund=False)
    return journal_post(
        journal=chart.JOURNAL_SALES,
        date=date,
        label=label or f"Encaissement commande {order_ref or order_id or ''}".strip(),
        lines=lines,
        reference=reference or order_ref,
        storefront=storefront_id,
        idempotency_key=idempotency_key,
        kind=EntryKind.CAPTURE,
        order_id=order_id,
        order_ref=order_ref,
    )


def ledger_post_refund(
    *,
    date: datetime.date,
    storefront_id: int | None,
    splits: Sequence[SaleSplit],
    order_id: int | None = None,
    order_ref: str = "",
    reference: str = "",
    label: str = "",
    idempotency_key: str | None = None,
    via: str = "provider",
) -> JournalEntry:
    """A refund to the customer (journal VE): the mirror of a capture for the refunded slices.

    Cr provider clearing (or bank, via="bank") the refunded amount; Dr the seller's payable net of
    the commission given back, Dr 709600 the commission given back excl. VAT and Dr 445710 its VAT;
    for the operator's own lines Dr 709700 (709800 delivery) excl. VAT and Dr 445710 the VAT.
    Preconditions: each split's amount, vat and commission are the refunded parts (the commission
    given back pro rata is computed by the caller from the frozen commission); inside the refund's
    transaction; idempotency key e.g. "refund:<refund id>".
    """
    _require_atomic()
    _ledger_lock()
    lines = _sale_lines(splits=splits, via=via, refund=True)
    return journal_post(
        journal=chart.JOURNAL_SALES,
        date=date,
        label=label or f"Remboursement commande {order_ref or order_id or ''}".strip(),
        lines=lines,
        reference=reference or order_ref,
        storefront=storefront_id,
        idempotency_key=idempotency_key,
        kind=EntryKind.REFUND,
        order_id=order_id,
        order_ref=order_ref,
    )


def ledger_post_payout(
    *,
    date: datetime.date,
    seller_id: int,
    amount: Decimal,
    reference: str = "",
    label: str = "",
    idempotency_key: str | None = None,
) -> JournalEntry:
    """A transfer to a seller (journal BQ): Dr the seller's 467100 sub-account, Cr bank 512000.

    Refuses to pay more than the seller's payable balance (read under the account's row lock).
    Preconditions: inside the payout run's transaction; idempotency key e.g. "payout:<payout id>"
    so that running the payout twice pays nobody twice.
    """
    _require_atomic()
    value = _amount(amount, what="Versement")
    if not value:
        raise LedgerError("Versement : montant nul.", field="amount")
    _ledger_lock()
    account = seller_payable_account(seller_id=seller_id)
    if (
        idempotency_key is None
        or not JournalEntry.objects.filter(idempotency_key=idempotency_key).exists()
    ):
        locked = Account.objects.select_for_update().get(pk=account.pk)
        owed = locked.credit_total - locked.debit_total
        if value > owed:
            raise LedgerError(
                _("Versement de %(value)s refusé : la galerie ne doit que %(owed)s à ce vendeur.")
                % {"value": format_money(value), "owed": format_money(owed)},
                code="ledger_payout_exceeds_balance",
                field="amount",
            )
    return journal_post(
        journal=chart.JOURNAL_BANK,
        date=date,
        label=label or f"Versement vendeur {account.name}",
        lines=[
            LineSpec(account=account, debit=value, seller_id=seller_id),
            LineSpec(account=chart.BANK, credit=value, seller_id=seller_id),
        ],
        reference=reference,
        idempotency_key=idempotency_key,
        kind=EntryKind.PAYOUT,
    )


def ledger_post_payment_fee(
    *,
    date: datetime.date,
    amount: Decimal,
    vat: Decimal = ZERO,
    storefront_id: int | None = None,
    order_id: int | None = None,
    order_ref: str = "",
    reference: str = "",
    label: str = "",
    idempotency_key: str | None = None,
) -> JournalEntry:
    """The payment provider's fee, withheld from what it owes us (journal BQ):
    Dr 627000 the fee excl. VAT, Dr 445660 its deductible VAT (often none), Cr provider clearing.
    Preconditions: inside the transaction that records the fee; idempotency key e.g.
    "fee:<payment id>"."""
    fee = _amount(amount, what="Frais de paiement")
    fee_vat = _amount(vat, what="TVA sur frais de paiement")
    lines = [LineSpec(account=chart.PAYMENT_FEES, debit=fee)]
    if fee_vat:
        lines.append(LineSpec(account=chart.VAT_DEDUCTIBLE, debit=fee_vat))
    lines.append(LineSpec(account=chart.PROVIDER_CLEARING, credit=fee + fee_vat))
    return journal_post(
        journal=chart.JOURNAL_BANK,
        date=date,
        label=label or f"Frais de paiement {order_ref or order_id or ''}".strip(),
        lines=lines,
        reference=reference or order_ref,
        storefront=storefront_id,
        idempotency_key=idempotency_key,
        kind=EntryKind.PAYMENT_FEE,
        order_id=order_id,
        order_ref=order_ref,
    )


def ledger_post_provider_settlement(
    *,
    date: datetime.date,
    amount: Decimal,
    reference: str = "",
    idempotency_key: str | None = None,
) -> JournalEntry:
    """The payment provider transfers collected funds to the bank: Dr 512000, Cr 511200."""
    value = _amount(amount, what="Virement du prestataire")
    return journal_post(
        journal=chart.JOURNAL_BANK,
        date=date,
        label="Virement du prestataire de paiement",
        lines=[
            LineSpec(account=chart.BANK, debit=value),
            LineSpec(account=chart.PROVIDER_CLEARING, credit=value),
        ],
        reference=reference,
        idempotency_key=idempotency_key,
        kind=EntryKind.SETTLEMENT,
    )


def ledger_post_customer_receipt(
    *,
    date: datetime.date,
    amount: Decimal,
    storefront_id: int | None = None,
    order_id: int | None = None,
    order_ref: str = "",
    reference: str = "",
    idempotency_key: str | None = None,
) -> JournalEntry:
    """A customer's bank transfer received for an order captured with via="customer":
    Dr 512000, Cr 411000."""
    value = _amount(amount, what="Virement client")
    return journal_post(
        journal=chart.JOURNAL_BANK,
        date=date,
        label=f"Virement client reçu {order_ref or order_id or ''}".strip(),
        lines=[
            LineSpec(account=chart.BANK, debit=value),
            LineSpec(account=chart.CUSTOMERS, credit=value),
        ],
        reference=reference or order_ref,
        storefront=storefront_id,
        idempotency_key=idempotency_key,
        kind=EntryKind.RECEIPT,
        order_id=order_id,
        order_ref=order_ref,
    )
