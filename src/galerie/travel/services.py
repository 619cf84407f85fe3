"""Travel writes and the rules of a booking: what a trip line's details must be, the booking
made when an order is placed, confirmed when paid, cancelled when closed, and past departures
taken off sale.

Seats are the departure offer's stock: orders.services reserves and releases them with the
order's other lines (inventory.stock_reserve / stock_release), these functions never touch them.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from galerie.core import clock
from galerie.sellers.models import Offer
from galerie.sellers.services import product_offer_summary_refresh
from galerie.travel.errors import BookingError
from galerie.travel.limits import CHILD_AGE_LIMIT, NAME_MAX, TRAVELLERS_MAX
from galerie.travel.models import (
    Booking,
    BookingStatus,
    Departure,
    Traveller,
    TravellerKind,
    TravelOption,
)
from galerie.travel.pricing import booking_price, options_of

OLDEST = dt.date(1900, 1, 1)


def _count(value, *, field: str, minimum: int) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not (minimum <= value <= TRAVELLERS_MAX)
    ):
        message = (
            _("Le nombre d'adultes doit être compris entre %(min)d et %(max)d.")
            if field == "adults"
            else _("Le nombre d'enfants doit être compris entre %(min)d et %(max)d.")
        )
        raise BookingError(
            message % {"min": minimum, "max": TRAVELLERS_MAX}, code="bad_travellers", field=field
        )
    return value


def age_on(*, birth_date: dt.date, day: dt.date) -> int:
    """Age in whole years on `day` (a 29 February birthday counts from 1 March)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def traveller_kind(*, birth_date: dt.date, starts_on: dt.date) -> str:
    """A child is under 12 on the departure date, an adult 12 or over."""
    if age_on(birth_date=birth_date, day=starts_on) < CHILD_AGE_LIMIT:
        return TravellerKind.CHILD
    return TravellerKind.ADULT


def _name(value, *, field: str, label: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text or len(text) > NAME_MAX or "\x00" in text:
        raise BookingError(
            _("%(label)s : indiquez de 1 à %(max)d caractères.")
            % {"label": label, "max": NAME_MAX},
            code="traveller_name",
            field=field,
        )
    return text


def _birth_date(value, *, field: str, number: int) -> dt.date:
    try:
        birth = (
            dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
        )
    except ValueError:
        birth = None
    if birth is None:
        raise BookingError(
            _("Voyageur %(n)d : date de naissance invalide (format AAAA-MM-JJ).") % {"n": number},
            code="traveller_birth_date",
            field=field,
        )
    if birth > clock.localdate() or birth < OLDEST:
        raise BookingError(
            _("Voyageur %(n)d : la date de naissance ne peut être dans le futur ni avant 1900.")
            % {"n": number},
            code="traveller_birth_date",
            field=field,
        )
    return birth


def _travellers_clean(raw, *, departure: Departure, adults: int, children: int) -> list[dict]:
    if not isinstance(raw, list) or len(raw) != adults + children:
        raise BookingError(
            ngettext("Indiquez %(n)d voyageur.", "Indiquez %(n)d voyageurs.", adults + children)
            % {"n": adults + children},
            code="travellers_mismatch",
            field="travellers",
        )
    cleaned = []
    for index, item in enumerate(raw):
        number, prefix = index + 1, f"travellers.{index}"
        if not isinstance(item, dict):
            raise BookingError(
                _("Voyageur %(n)d : nom, prénom et date de naissance attendus.") % {"n": number},
                code="travellers_mismatch",
                field=prefix,
            )
        first = _name(
            item.get("first_name"),
            field=f"{prefix}.first_name",
            label=_("Voyageur %(n)d, prénom") % {"n": number},
        )
        last = _name(
            item.get("last_name"),
            field=f"{prefix}.last_name",
            label=_("Voyageur %(n)d, nom") % {"n": number},
        )
        birth = _birth_date(item.get("birth_date"), field=f"{prefix}.birth_date", number=number)
        kind = traveller_kind(birth_date=birth, starts_on=departure.starts_on)
        if item.get("kind", kind) != kind:
            raise BookingError(
                _(
                    "Voyageur %(n)d : né(e) le %(d)s, il ou elle voyage comme %(k)s (un enfant a "
                    "moins de %(age)d ans le jour du départ, un adulte %(age)d ans ou plus)."
                )
                % {
                    "n": number,
                    "d": birth.strftime("%d/%m/%Y"),
                    "k": TravellerKind(kind).label,
                    "age": CHILD_AGE_LIMIT,
                },
                code="traveller_kind",
                field=f"{prefix}.birth_date",
            )
        cleaned.append(
            {"kind": kind, "first_name": first, "last_name": last, "birth_date": birth.isoformat()}
        )
    found_children = sum(1 for t in cleaned if t["kind"] == TravellerKind.CHILD)
    if found_children != children:
        raise BookingError(
            _(
                "Les dates de naissance donnent %(a)d adulte(s) et %(c)d enfant(s), la réservation "
                "en compte %(ea)d et %(ec)d (un enfant a moins de %(age)d ans le jour du départ, "
                "un adulte %(age)d ans ou plus)."
            )
            % {
                "a": len(cleaned) - found_children,
                "c": found_children,
                "ea": adults,
                "ec": children,
                "age": CHILD_AGE_LIMIT,
            },
            code="travellers_mismatch",
            field="travellers",
        )
    return cleaned


def booking_details_clean(
    *,
    departure: Departure,
    details,
    require_travellers: bool,
    options: dict[str, TravelOption] | None = None,
) -> dict:
    """The details of a trip line, checked against `departure`, in their stored shape:
    {"adults", "children", "options": [codes], "travellers": [...]} ("travellers" only when
    given). Raises BookingError (code, field) on the first problem. `options` (the product's,
    {code: option}) may be given pre-loaded to save a query. A child is under 12 on the
    departure date, an adult 12 or over; each traveller's kind follows their birth date."""
    if not isinstance(details, dict):
        raise BookingError(
            _("Les détails du voyage sont attendus (adultes, enfants, options)."),
            code="bad_travellers",
            field="details",
        )
    adults = _count(details.get("adults"), field="adults", minimum=1)
    children = _count(details.get("children", 0), field="children", minimum=0)
    if children and departure.child_price is None:
        raise BookingError(
            _("Ce départ n'accepte pas d'enfants (moins de %(age)d ans le jour du départ).")
            % {"age": CHILD_AGE_LIMIT},
            code="children_not_allowed",
            field="children",
        )
    if adults + children > TRAVELLERS_MAX:
        raise BookingError(
            _("Une réservation compte au plus %(max)d voyageurs.") % {"max": TRAVELLERS_MAX},
            code="bad_travellers",
            field="children",
        )
    raw_options = details.get("options", [])
    if not isinstance(raw_options, list) or not all(isinstance(c, str) for c in raw_options):
        raise BookingError(
            _("Les options sont une liste de codes."), code="unknown_option", field="options"
        )
    if options is None:
        options = options_of(product_ids=[departure.offer.product_id])[departure.offer.product_id]
    for code in raw_options:
        if code not in options:
            raise BookingError(
                _("Option inconnue pour ce voyage : « %(c)s ».") % {"c": code[:40]},
                code="unknown_option",
                field="options",
            )
    cleaned = {"adults": adults, "children": children, "options": sorted(set(raw_options))}
    raw_travellers = details.get("travellers")
    if raw_travellers is None:
        if require_travellers:
            raise BookingError(
                _("Indiquez le nom, le prénom et la date de naissance de chaque voyageur."),
                code="travellers_required",
                field="travellers",
            )
        return cleaned
    cleaned["travellers"] = _travellers_clean(
        raw_travellers, departure=departure, adults=adults, children=children
    )
    return cleaned


# --- Bookings, called by orders.services ---------------------------------------------------------


def bookings_create(*, order) -> list[Booking]:
    """A Booking and its Travellers for each trip line of a just-placed `order`, from the
    line's details (already checked by the quote: travellers given, counts matching).
    Precondition: inside order placement's transaction, after the order lines exist.
    Idempotent: a line that has its booking is left alone."""
    lines = list(
        order.lines.filter(offer__departure__isnull=False, booking__isnull=True).select_related(
            "offer__departure"
        )
    )
    if not lines:
        return []
    options = options_of(product_ids={line.offer.product_id for line in lines})
    bookings, travellers = [], []
    for line in lines:
        departure = line.offer.departure
        details = booking_details_clean(
            departure=departure,
            details=line.details,
            require_travellers=True,
            options=options[line.offer.product_id],
        )
        price = booking_price(
            departure=departure, details=details, options=options[line.offer.product_id]
        )
        booking = Booking.objects.create(
            order_line=line,
            departure=departure,
            adults=details["adults"],
            children=details["children"],
            options=details["options"],
            purchase_cost=price.purchase_cost,
        )
        bookings.append(booking)
        travellers += [
            Traveller(
                booking=booking,
                kind=t["kind"],
                first_name=t["first_name"],
                last_name=t["last_name"],
                birth_date=dt.date.fromisoformat(t["birth_date"]),
            )
            for t in details["travellers"]
        ]
    Traveller.objects.bulk_create(travellers)
    return bookings


def bookings_confirm(*, order) -> int:
    """The order is paid: its pending bookings are confirmed (idempotent)."""
    return Booking.objects.filter(
        order_line__order_id=order.pk, status=BookingStatus.PENDING
    ).update(status=BookingStatus.CONFIRMED)


def bookings_cancel_for_order(*, order) -> int:
    """The order is closed (unpaid and expired, payment refused, cancelled): its bookings are
    cancelled; the seats come back with the order's stock release. Idempotent."""
    return (
        Booking.objects.filter(order_line__order_id=order.pk)
        .exclude(status=BookingStatus.CANCELLED)
        .update(status=BookingStatus.CANCELLED, cancelled_at=clock.now())
    )


# --- Departures ----------------------------------------------------------------------------------


@transaction.atomic
def departures_close_past(*, today: dt.date | None = None) -> int:
    """Take off sale the offers of departures on or before `today` (a trip leaving today can no
    longer be booked), refreshing their products' summaries (best price, in stock, offer count)
    like any offer change. Returns how many offers were closed; running it twice closes none."""
    today = today or clock.localdate()
    past = Offer.objects.filter(is_active=True, departure__starts_on__lte=today)
    rows = list(past.values_list("pk", "product_id"))
    if not rows:
        return 0
    Offer.objects.filter(pk__in=[pk for pk, _product in rows]).update(
        is_active=False, updated_at=clock.now()
    )
    product_offer_summary_refresh(product_ids={product for _pk, product in rows})
    return len(rows)
