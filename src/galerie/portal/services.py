"""Writes of the seller portal and the seller API: the same functions serve both.

They wrap the owning apps' services (sellers.offer_publish/offer_update, pricing.book_price_check,
inventory.stock_adjust, orders' seller-order transitions) with the two things the portal adds:
the seller's right to act (its status) and the per-seller scoping of every id.
"""

from __future__ import annotations

import contextlib
import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from galerie.catalog.gtin import InvalidGTIN, normalize_gtin
from galerie.catalog.models import Product
from galerie.catalog.services import product_create
from galerie.core import clock
from galerie.core.bounds import bounds_check
from galerie.core.errors import DomainError, NotFound
from galerie.core.money import CENT, to_money
from galerie.core.outbox import task_enqueue_on_commit
from galerie.imports.models import ImportJob
from galerie.imports.services import import_job_create, import_job_resume
from galerie.imports.tasks import feed_import_task
from galerie.inventory.services import stock_adjust, stock_movements_record
from galerie.media.models import ProductImage
from galerie.media.services import product_image_add
from galerie.moderation.selectors import offer_withdrawn
from galerie.portal.errors import (
    BulkUpdateError,
    FeedUploadError,
    PortalError,
    ProductError,
    SellerCannotPublish,
)
from galerie.portal.locks import seller_offer_lock
from galerie.portal.selectors import seller_product
from galerie.pricing.limits import DELIVERY_BOUNDS
from galerie.pricing.models import DeliveryKind, DeliveryMethod
from galerie.pricing.services import book_price_check
from galerie.search.services import search_index_refresh
from galerie.sellers.limits import OFFER_PRICE_MAX, OFFER_STOCK_MAX
from galerie.sellers.models import Condition, Offer, Seller, SellerStatus
from galerie.sellers.services import (
    OfferError,
    offer_bounds_check,
    offer_prices_record,
    offer_publish,
    offer_update,
    product_offer_summary_refresh,
)

BULK_MAX_ROWS = 5000
BULK_MAX_BYTES = 2 * 1024 * 1024
# A Merchant Center feed of a large catalogue (a few hundred thousand rows) stays under this.
FEED_MAX_BYTES = settings.GALERIE_FEED_MAX_BYTES
FEED_EXTENSIONS = (".tsv", ".txt", ".csv", ".xml")


# --- The seller's right to act -----------------------------------------------------------------


def seller_can_publish_check(seller: Seller) -> None:
    """Only a verified seller creates or changes offers and settings (DSA art. 30)."""
    if seller.status == SellerStatus.VERIFIED:
        return
    if seller.status in (SellerStatus.SUSPENDED, SellerStatus.CLOSED):
        message = _(
            "Votre compte vendeur est %(s)s : vous ne pouvez ni publier ni modifier d'offre."
        ) % {"s": seller.get_status_display()}
    else:
        message = _("Votre compte vendeur n'est pas encore vérifié : vous ne pouvez pas vendre.")
    raise SellerCannotPublish(message)


# --- Offers ------------------------------------------------------------------------------------


def _check_sku_free(*, seller: Seller, sku: str, offer_id: int | None = None) -> None:
    if sku and Offer.objects.filter(seller=seller, sku=sku).exclude(pk=offer_id).exists():
        raise OfferError(
            _("La référence « %(s)s » est déjà utilisée par une autre de vos offres.") % {"s": sku},
            code="sku_taken",
            field="sku",
        )


@transaction.atomic
def portal_offer_create(
    *,
    seller: Seller,
    product: Product,
    price: Decimal,
    stock: int,
    condition: str = Condition.NEW,
    condition_note: str = "",
    delivery_price: Decimal = Decimal("0"),
    lead_time_days: int = 2,
    sku: str = "",
) -> Offer:
    """Publish a seller's offer: status, book law (loi Lang) and sku checked, then offer_publish."""
    seller_can_publish_check(seller)
    if not product.is_active:
        raise ProductError(_("Ce produit n'est plus proposé à la vente."), field="product")
    price = to_money(price)
    book_price_check(product=product, price=price, condition=condition)
    sku = (sku or "").strip()
    _check_sku_free(seller=seller, sku=sku)
    try:
        with transaction.atomic():
            return offer_publish(
                seller=seller,
                product=product,
                price=price,
                stock=stock,
                condition=condition,
                condition_note=(condition_note or "").strip(),
                delivery_price=delivery_price,
                lead_time_days=lead_time_days,
                sku=sku,
            )
    except IntegrityError as exc:  # a concurrent create took the sku
        raise OfferError(
            _("La référence « %(s)s » est déjà utilisée par une autre de vos offres.") % {"s": sku},
            code="sku_taken",
            field="sku",
        ) from exc


@transaction.atomic
def portal_offer_update(*, seller: Seller, offer_id: int, actor=None, **changes) -> Offer:
    """Change one of the seller's offers. Stock goes through inventory.stock_adjust (a movement
    is recorded); every other field through sellers.offer_update. Deactivating (alone) is allowed
    whatever the seller's status; anything else needs a verified seller, and a new book's price
    must respect the loi Lang."""
    offer = seller_offer_lock(seller=seller, offer_id=offer_id)
    # Taking an offer off sale is always allowed, even to a suspended seller.
    withdrawing = changes in ({"is_active": False}, {"stock": 0})
    if not withdrawing:
        seller_can_publish_check(seller)
    if changes.get("is_active") and not offer.is_active and offer_withdrawn(offer_id=offer.pk):
        # The operator withdrew it on a notice (DSA art. 17): only a reversed decision puts it
        # back on sale, and the seller's way there is the complaint (art. 20).
        raise OfferError(
            _(
                "Cette offre a été retirée à la suite d'un signalement de contenu illicite : "
                "contestez la décision depuis la page « Modération »."
            ),
            code="offer_withdrawn_by_moderation",
            field="is_active",
        )
    if "price" in changes:
        changes["price"] = to_money(changes["price"])
    if "sku" in changes:
        changes["sku"] = (changes["sku"] or "").strip()
        _check_sku_free(seller=seller, sku=changes["sku"], offer_id=offer.pk)
    if "condition_note" in changes:
        changes["condition_note"] = (changes["condition_note"] or "").strip()
    if not withdrawing and changes.get("is_active", offer.is_active):
        book_price_check(
            product=offer.product,
            price=changes.get("price", offer.price),
            condition=changes.get("condition", offer.condition),
        )
    stock = changes.pop("stock", None)
    if stock is not None:
        if not isinstance(stock, int) or isinstance(stock, bool) or stock < 0:
            raise OfferError(_("Le stock doit être un entier positif ou nul."), field="stock")
        offer_bounds_check(stock=stock)
        if stock != offer.stock:
            stock_adjust(
                offer=offer,
                delta=stock - offer.stock,
                reason=_("Stock mis à jour par le vendeur"),
                reference="portail",
                actor=actor if getattr(actor, "is_authenticated", False) else None,
            )
    if changes:
        offer = offer_update(offer=offer, **changes)
    return offer


# --- Products ----------------------------------------------------------------------------------


@transaction.atomic
def portal_product_create(*, seller: Seller, image=None, **fields) -> Product:
    """A seller creates a catalogue product that does not exist yet (then puts an offer on it);
    `fields` are those of `galerie.catalog.services.product_create`, `image` an optional
    uploaded picture (checked by `product_image_add`: refused, nothing is created)."""
    seller_can_publish_check(seller)
    with transaction.atomic():
        product = product_create(**fields)
        if image is not None:
            product_image_add(product=product, upload=image)
    search_index_refresh(product_ids=[product.pk])
    return product


def portal_product_image_add(
    *, seller: Seller, product_id: int, upload, alt: str = ""
) -> ProductImage:
    """A seller adds a picture to a product it has an offer on. The catalogue is shared: a
    seller never edits a product it does not sell (that is the back office's), and a product it
    sells is refused as unknown (404), like any other seller's record."""
    seller_can_publish_check(seller)
    product = seller_product(seller=seller, product_id=product_id)
    if product is None:
        raise NotFound(_("Produit introuvable parmi ceux que vous vendez."))
    return product_image_add(product=product, upload=upload, alt=alt)


# --- Bulk price and stock update ---------------------------------------------------------------

ALL_OR_NOTHING = "all_or_nothing"
VALID_ROWS = "valid_rows"
BULK_MODES = (ALL_OR_NOTHING, VALID_ROWS)


@dataclass(frozen=True)
class BulkRowError:
    row: int
    column: str
    message: str


@dataclass
class BulkResult:
    mode: str
    rows: int = 0
    applied: int = 0
    errors: list[BulkRowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Planned:
    row: int
    column: str  # the identifying column, for errors raised while applying
    offer: Offer
    changes: dict


def _parse_price(raw: str) -> Decimal:
    text = raw.strip().replace("\u00a0", "").replace(" ", "").replace("€", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("« %(v)s » n'est pas un prix (exemple : 12,90).") % {"v": raw}) from None
    if not value.is_finite() or value <= 0:
        raise ValueError(_("Le prix doit être supérieur à 0 €."))
    # Before quantize: 1E+30 cannot be quantized to the cent (InvalidOperation).
    if value > OFFER_PRICE_MAX:
        raise ValueError(_("Le prix est trop élevé."))
    if value != value.quantize(CENT):
        raise ValueError(_("Le prix a au plus deux décimales."))
    return value


def _parse_stock(raw: str) -> int:
    text = raw.strip()
    if not text.isdigit():
        raise ValueError(_("« %(v)s » n'est pas un stock (entier positif ou nul).") % {"v": raw})
    value = int(text)
    if value > OFFER_STOCK_MAX:
        raise ValueError(_("Le stock est trop élevé."))
    return value


def _cell(row: dict, name: str) -> str:
    value = row.get(name)
    return "" if value is None else str(value).strip()


def _plan(*, seller: Seller, rows: list[tuple[int, dict]]) -> tuple[list[_Planned], list]:
    """Check every row (shape, offer lookup within the seller, book law) without writing."""
    errors: list[BulkRowError] = []
    skus = {_cell(r, "sku") for _n, r in rows if _cell(r, "sku")}
    gtins: dict[str, str] = {}
    for _n, r in rows:
        raw = _cell(r, "gtin")
        if raw and not _cell(r, "sku"):
            with contextlib.suppress(InvalidGTIN):
                gtins[raw] = normalize_gtin(raw)
    by_sku = {
        o.sku: o
        for o in Offer.objects.filter(seller=seller, sku__in=skus).select_related(
            "product__product_type"
        )
    }
    by_gtin: dict[str, list[Offer]] = {}
    for o in Offer.objects.filter(
        seller=seller, product__gtin__in=set(gtins.values())
    ).select_related("product__product_type"):
        by_gtin.setdefault(o.product.gtin, []).append(o)

    planned: list[_Planned] = []
    seen: dict[int, int] = {}
    for number, row in rows:
        sku, raw_gtin = _cell(row, "sku"), _cell(row, "gtin")
        offer = None
        if sku:
            column = "sku"
            offer = by_sku.get(sku)
            if offer is None:
                errors.append(
                    BulkRowError(
                        number,
                        "sku",
                        _("Aucune de vos offres n'a la référence « %(s)s ».") % {"s": sku},
                    )
                )
                continue
        elif raw_gtin:
            column = "gtin"
            if raw_gtin not in gtins:
                try:
                    normalize_gtin(raw_gtin)
                except InvalidGTIN as exc:
                    errors.append(BulkRowError(number, "gtin", str(exc)))
                    continue
            matches = by_gtin.get(gtins[raw_gtin], [])
            if not matches:
                errors.append(
                    BulkRowError(
                        number,
                        "gtin",
                        _("Aucune de vos offres ne porte le GTIN « %(g)s ».") % {"g": raw_gtin},
                    )
                )
                continue
            if len(matches) > 1:
                errors.append(
                    BulkRowError(
                        number,
                        "gtin",
                        _("Vous avez plusieurs offres sur ce GTIN : identifiez-les par « sku »."),
                    )
                )
                continue
            offer = matches[0]
        else:
            errors.append(BulkRowError(number, "sku", _("Indiquez « sku » ou « gtin ».")))
            continue
        if offer.pk in seen:
            errors.append(
                BulkRowError(
                    number,
                    column,
                    _("Offre déjà mise à jour à la ligne %(n)d.") % {"n": seen[offer.pk]},
                )
            )
            continue
        seen[offer.pk] = number
        changes: dict = {}
        bad = False
        for name, parse in (("price", _parse_price), ("stock", _parse_stock)):
            raw = _cell(row, name)
            if raw:
                try:
                    changes[name] = parse(raw)
                except ValueError as exc:
                    errors.append(BulkRowError(number, name, str(exc)))
                    bad = True
        if bad:
            continue
        if not changes:
            errors.append(BulkRowError(number, "price", _("Indiquez un prix ou un stock.")))
            continue
        message = _book_law_error(offer=offer, changes=changes)
        if message:
            errors.append(BulkRowError(number, "price", message))
            continue
        planned.append(_Planned(row=number, column=column, offer=offer, changes=changes))
    return planned, errors


def _book_law_error(*, offer: Offer, changes: dict) -> str | None:
    if not offer.is_active or changes == {"stock": 0}:
        return None  # an inactive offer, or one taken off sale, is not offered at that price
    try:
        book_price_check(
            product=offer.product,
            price=changes.get("price", offer.price),
            condition=offer.condition,
        )
    except DomainError as exc:
        return exc.message
    return None


def _apply(*, seller: Seller, planned: list[_Planned], actor) -> list[BulkRowError]:
    """Apply checked rows set-based, inside the caller's transaction.

    Per-row service calls cost ~40 ms a row (each refreshes the product summary twice), so a
    5,000-row file would time out: the offers are locked in primary-key order (the inventory's
    lock order), re-checked under the lock (book law), written with one prepared UPDATE, every stock
    change recorded as an inventory movement, and the product summaries refreshed once.
    Returns the rows refused by the re-check; those are left unchanged.
    """
    locked = {
        o.pk: o
        for o in Offer.objects.select_for_update(of=("self",))
        .filter(seller=seller, pk__in=[item.offer.pk for item in planned])
        .select_related("product__product_type")
        .order_by("pk")
    }
    now = clock.now()
    who = actor if getattr(actor, "is_authenticated", False) else None
    errors: list[BulkRowError] = []
    changed: list[Offer] = []
    repriced: list[tuple[int, Decimal]] = []
    stock_changes: list[tuple[int, int, int]] = []
    for item in planned:
        offer = locked.get(item.offer.pk)
        if offer is None:
            errors.append(BulkRowError(item.row, item.column, _("Offre introuvable.")))
            continue
        message = _book_law_error(offer=offer, changes=item.changes)
        if message:
            errors.append(BulkRowError(item.row, "price", message))
            continue
        regular = offer.price if offer.regular_price is None else offer.regular_price
        if "price" in item.changes and item.changes["price"] != regular:
            offer.price = item.changes["price"]
            # The seller's new price is its regular price: a promotion's hold ends (as in
            # sellers.offer_update) and promotions_apply puts it back on the new price.
            offer.regular_price = offer.reference_price = None
            repriced.append((offer.pk, offer.price))
        stock = item.changes.get("stock")
        if stock is not None and stock != offer.stock:
            stock_changes.append((offer.pk, offer.stock, stock))
            offer.stock = stock
        changed.append(offer)
    # One prepared UPDATE executed for every row: the ORM's per-statement cost (or bulk_update's
    # CASE WHEN, which grows with the batch) dominated the import time. Columns are the model's.
    if changed:
        qn = connection.ops.quote_name
        sets = "{p} = %s, {r} = %s, {f} = %s, {s} = %s, {u} = %s"
        sql = ("UPDATE {t} SET " + sets + " WHERE {pk} = %s").format(  # noqa: S608 (quoted model names only)
            t=qn(Offer._meta.db_table),
            p=qn(Offer._meta.get_field("price").column),
            r=qn(Offer._meta.get_field("regular_price").column),
            f=qn(Offer._meta.get_field("reference_price").column),
            s=qn(Offer._meta.get_field("stock").column),
            u=qn(Offer._meta.get_field("updated_at").column),
            pk=qn(Offer._meta.pk.column),
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                sql,
                [
                    (o.price, o.regular_price, o.reference_price, o.stock, now, o.pk)
                    for o in changed
                ],
            )
        offer_prices_record(prices=repriced, at=now)
    stock_movements_record(
        changes=stock_changes,
        reason=_("Mise à jour groupée par le vendeur"),
        reference="portail-import",
        actor=who,
    )
    if changed:
        product_offer_summary_refresh(product_ids={o.product_id for o in changed})
    return errors


def portal_offers_bulk_update(
    *, seller: Seller, rows: list[tuple[int, dict]], mode: str = ALL_OR_NOTHING, actor=None
) -> BulkResult:
    """Update price and/or stock of the seller's offers from rows of {sku|gtin, price, stock}.

    `rows` are (row number, cells) — the row number is what the report shows (the file's line,
    header being line 1, or the item's position in an API call). Modes:
    - ALL_OR_NOTHING: any faulty row → nothing is changed, every faulty row is reported;
    - VALID_ROWS: the valid rows are applied, the faulty ones reported and left unchanged.
    Each row is checked like a single edit (price > 0 with two decimals, stock an integer ≥ 0,
    the offer is the seller's, loi Lang for new books).
    """
    if mode not in BULK_MODES:
        raise BulkUpdateError(_("Mode de mise à jour inconnu."), field="mode")
    seller_can_publish_check(seller)
    if len(rows) > BULK_MAX_ROWS:
        raise BulkUpdateError(_("Trop de lignes : %(n)d au plus par envoi.") % {"n": BULK_MAX_ROWS})
    result = BulkResult(mode=mode, rows=len(rows))
    planned, result.errors = _plan(seller=seller, rows=rows)
    if mode == ALL_OR_NOTHING and result.errors:
        return result
    with transaction.atomic():
        late = _apply(seller=seller, planned=planned, actor=actor)
        if late and mode == ALL_OR_NOTHING:
            transaction.set_rollback(True)
            result.errors = late
            return result
    result.errors = sorted(result.errors + late, key=lambda e: e.row)
    result.applied = len(planned) - len(late)
    return result


BULK_COLUMNS = ("sku", "gtin", "price", "stock")
_HEADER_ALIASES = {"prix": "price", "ean": "gtin", "isbn": "gtin", "reference": "sku"}


def bulk_csv_rows(data: bytes) -> list[tuple[int, dict]]:
    """Read a CSV (comma, semicolon or tab; UTF-8 or Windows-1252) into numbered rows.

    Row numbers are the file's record numbers, the header being 1, as a spreadsheet shows them.
    Raises BulkUpdateError when the file as a whole is unusable.
    """
    if len(data) > BULK_MAX_BYTES:
        raise BulkUpdateError(_("Fichier trop volumineux (2 Mo au plus)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise BulkUpdateError(_("Le fichier doit être encodé en UTF-8.")) from None
    if "\x00" in text:
        raise BulkUpdateError(_("Ce fichier n'est pas un CSV (caractère nul)."))
    if not text.strip():
        raise BulkUpdateError(_("Le fichier est vide."))
    first_line = text.splitlines()[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [_HEADER_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in next(reader)]
        if not ({"sku", "gtin"} & set(header)) or not ({"price", "stock"} & set(header)):
            raise BulkUpdateError(
                _(
                    "En-tête attendu : une colonne « sku » ou « gtin », et « price » et/ou "
                    "« stock » (trouvé : %(h)s)."
                )
                % {"h": ", ".join(h for h in header if h) or "—"}
            )
        rows = []
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            rows.append(
                (number, {name: cells[i] for i, name in enumerate(header) if i < len(cells)})
            )
    except csv.Error as exc:
        raise BulkUpdateError(_("CSV illisible : %(e)s") % {"e": exc}) from None
    return rows


# --- Delivery methods --------------------------------------------------------------------------

DELIVERY_FIELDS = (
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


def _delivery_check(values: dict) -> None:
    if not (values.get("name") or "").strip():
        raise DomainError(_("Indiquez un nom."), code="delivery_invalid", field="name")
    if values["kind"] not in DeliveryKind.values:
        raise DomainError(_("Mode de calcul inconnu."), code="delivery_invalid", field="kind")
    if values["kind"] == DeliveryKind.FREE_ABOVE and values.get("free_above") is None:
        raise DomainError(
            _("Indiquez le montant à partir duquel la livraison est offerte."),
            code="delivery_invalid",
            field="free_above",
        )
    if values["delivery_days_max"] < values["delivery_days_min"]:
        raise DomainError(
            _("Le délai maximum doit être supérieur ou égal au délai minimum."),
            code="delivery_invalid",
            field="delivery_days_max",
        )


@transaction.atomic
def delivery_method_save(
    *, seller: Seller, method_id: int | None = None, **values
) -> DeliveryMethod:
    """Create (method_id None) or change one of the seller's delivery methods."""
    seller_can_publish_check(seller)
    unknown = set(values) - set(DELIVERY_FIELDS)
    if unknown:
        raise DomainError(
            _("Champs inconnus : %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    if method_id is None:
        method = DeliveryMethod(seller=seller)
    else:
        method = (
            DeliveryMethod.objects.select_for_update().filter(pk=method_id, seller=seller).first()
        )
        if method is None:
            raise NotFound(_("Mode de livraison introuvable."))
    # Before rounding to the cent: 1E+30 cannot be quantized (InvalidOperation).
    bounds_check(DELIVERY_BOUNDS, error=DomainError, **values)
    for name, value in values.items():
        if name in ("fee", "fee_per_kg") or (name == "free_above" and value is not None):
            value = to_money(value)
        setattr(method, name, value)
    method.name = (method.name or "").strip()
    _delivery_check({name: getattr(method, name) for name in DELIVERY_FIELDS})
    method.save()
    return method


@transaction.atomic
def delivery_method_delete(*, seller: Seller, method_id: int) -> None:
    """Placed orders keep their snapshot (label, fee); the link to the method is set to null."""
    seller_can_publish_check(seller)
    deleted, _detail = DeliveryMethod.objects.filter(pk=method_id, seller=seller).delete()
    if not deleted:
        raise NotFound(_("Mode de livraison introuvable."))


# --- Catalogue feed imports --------------------------------------------------------------------


def _feed_import_enqueue(job: ImportJob) -> None:
    # After commit: the worker must find the job row and the uploaded file.
    task_enqueue_on_commit(feed_import_task, job.pk)


@transaction.atomic
def portal_feed_import_start(*, seller: Seller, upload, full: bool = False) -> ImportJob:
    """Store a seller's Merchant Center feed as an import job and queue it in the background.

    The upload's shape (name, size, content) is the form's business; here: the seller's right to
    change its offers. `full` deactivates the seller's offers missing from the feed.
    """
    seller_can_publish_check(seller)
    if upload is None:
        raise FeedUploadError(_("Choisissez le fichier du flux."), field="file")
    job = import_job_create(seller=seller, upload=upload, full=bool(full))
    _feed_import_enqueue(job)
    return job


@transaction.atomic
def portal_feed_import_resume(*, seller: Seller, job_id: int) -> ImportJob:
    """Queue a failed job of the seller again (`import_job_resume`: failed → pending, once)."""
    seller_can_publish_check(seller)
    job = ImportJob.objects.filter(pk=job_id, seller=seller).first()
    if job is None:
        raise NotFound(_("Import introuvable."), code="import_not_found")
    if job.upload and not job.upload.storage.exists(job.upload.name):
        raise PortalError(
            _("Le fichier de cet import a été refusé puis supprimé : envoyez le flux corrigé."),
            code="import_file_gone",
        )
    if not import_job_resume(job=job):
        raise PortalError(_("Seul un import échoué peut être repris."), code="import_not_resumable")
    job.refresh_from_db()
    _feed_import_enqueue(job)
    return job
