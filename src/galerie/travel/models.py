"""Travel packages: a product's departures (each one an offer whose stock is its seats left),
its priced options, its cancellation fee schedule, and the bookings with their travellers.

A departure is an `Offer` extension: the offer's price is the adult fare and its stock the seats
still for sale, so a seat is reserved, released on expiry and raced for exactly like a unit of
stock (inventory.stock_reserve). The booking is the order line's travel part.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from galerie.core.money import MONEY_FIELD
from galerie.travel.cancellation import cancellation_tiers_validate


def default_cancellation_tiers() -> list[dict]:
    """Fee (% of the price) by days left before departure: the first tier whose `days_before`
    the cancellation date still reaches applies (30 % until D-30, 50 % until D-8, then 90 %)."""
    return [
        {"days_before": 30, "percent": 30},
        {"days_before": 8, "percent": 50},
        {"days_before": 0, "percent": 90},
    ]


class TravelPackage(models.Model):
    product = models.OneToOneField(
        "catalog.Product",
        on_delete=models.CASCADE,
        related_name="travel",
        verbose_name=_("produit"),
    )
    destination = models.CharField(_("destination"), max_length=120, blank=True)
    cancellation_tiers = models.JSONField(
        _("barème d'annulation"), default=default_cancellation_tiers
    )

    class Meta:
        verbose_name = _("voyage à forfait")
        verbose_name_plural = _("voyages à forfait")

    def __str__(self) -> str:
        return str(self.product)

    def clean(self) -> None:
        super().clean()
        try:
            cancellation_tiers_validate(self.cancellation_tiers)
        except ValidationError as exc:
            raise ValidationError({"cancellation_tiers": exc.error_list}) from exc


class TravelOption(models.Model):
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="travel_options"
    )
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("libellé"), max_length=120)
    price = models.DecimalField(_("prix TTC"), **MONEY_FIELD)
    per_traveller = models.BooleanField(
        _("par voyageur"), default=False, help_text=_("Sinon, un prix par réservation.")
    )

    class Meta:
        verbose_name = _("option de voyage")
        verbose_name_plural = _("options de voyage")
        ordering = ["product", "code"]
        constraints = [
            models.UniqueConstraint(fields=["product", "code"], name="traveloption_code"),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="traveloption_price"),
        ]

    def __str__(self) -> str:
        return self.label


class Departure(models.Model):
    offer = models.OneToOneField(
        "sellers.Offer", on_delete=models.CASCADE, related_name="departure", verbose_name=_("offre")
    )
    starts_on = models.DateField(_("date de départ"), db_index=True)
    duration_days = models.PositiveSmallIntegerField(_("durée (jours)"))
    capacity = models.PositiveIntegerField(_("places"))
    child_price = models.DecimalField(
        _("prix enfant TTC"),
        null=True,
        blank=True,
        help_text=_("Vide : pas d'enfants."),
        **MONEY_FIELD,
    )
    # What the operator pays its suppliers (TTC) per traveller: the margin scheme's VAT is on
    # the price minus this cost, so it must be known per departure.
    cost_adult = models.DecimalField(
        _("coût d'achat adulte TTC"), null=True, blank=True, **MONEY_FIELD
    )
    cost_child = models.DecimalField(
        _("coût d'achat enfant TTC"), null=True, blank=True, **MONEY_FIELD
    )

    class Meta:
        verbose_name = _("départ")
        verbose_name_plural = _("départs")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_days__gte=1), name="departure_duration"
            ),
            models.CheckConstraint(
                condition=models.Q(child_price__isnull=True) | models.Q(child_price__gt=0),
                name="departure_child_price",
            ),
            models.CheckConstraint(
                condition=(models.Q(cost_adult__isnull=True) | models.Q(cost_adult__gte=0))
                & (models.Q(cost_child__isnull=True) | models.Q(cost_child__gte=0)),
                name="departure_costs",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer.product} — {self.starts_on:%d/%m/%Y}"


class BookingStatus(models.TextChoices):
    PENDING = "pending", _("en attente de paiement")
    CONFIRMED = "confirmed", _("confirmée")
    CANCELLED = "cancelled", _("annulée")


class Booking(models.Model):
    order_line = models.OneToOneField(
        "orders.OrderLine", on_delete=models.CASCADE, related_name="booking"
    )
    departure = models.ForeignKey(Departure, on_delete=models.PROTECT, related_name="bookings")
    adults = models.PositiveSmallIntegerField(_("adultes"))
    children = models.PositiveSmallIntegerField(_("enfants"), default=0)
    options = models.JSONField(_("options"), default=list, blank=True)
    purchase_cost = models.DecimalField(_("coût d'achat TTC"), null=True, blank=True, **MONEY_FIELD)
    status = models.CharField(
        _("statut"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.PENDING
    )
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    cancellation_fee = models.DecimalField(_("frais d'annulation"), default=0, **MONEY_FIELD)

    class Meta:
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")
        constraints = [
            models.CheckConstraint(condition=models.Q(adults__gte=1), name="booking_one_adult"),
        ]

    def __str__(self) -> str:
        return f"{self.departure} × {self.adults + self.children}"


class TravellerKind(models.TextChoices):
    ADULT = "adult", _("adulte")
    CHILD = "child", _("enfant")


class Traveller(models.Model):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="travellers")
    kind = models.CharField(_("type"), max_length=5, choices=TravellerKind.choices)
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    birth_date = models.DateField(_("date de naissance"))

    class Meta:
        verbose_name = _("voyageur")
        verbose_name_plural = _("voyageurs")
        ordering = ["booking", "pk"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"
