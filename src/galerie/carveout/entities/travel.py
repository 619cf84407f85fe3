"""travel entities of the storefront archive: the trips of its products, their departures, and
the bookings of its orders with their travellers.

A departure extends an offer: its seats left are the offer's stock (the `offers` file), its
capacity is its own. The travellers' names and birth dates are personal data of the customers
who booked on this storefront, so they go with the bookings.
"""

from django.db import models

from galerie.carveout.entities.base import Entity, ImportContext, Scope
from galerie.carveout.entities.extension import ExtensionEntity, StrictEntity
from galerie.travel.models import Booking, Departure, Traveller, TravelOption, TravelPackage


class TravelPackages(ExtensionEntity):
    name = "travel_packages"
    model = TravelPackage
    fields = ("destination", "cancellation_tiers")
    refs = {"product": "products"}
    extends = "product"
    gap_fields = ("destination",)
    description = "Voyages à forfait : la destination et le barème d'annulation d'un produit."

    def queryset(self, scope: Scope) -> models.QuerySet:
        return TravelPackage.objects.filter(product__in=scope.products().values("pk"))


class TravelOptions(StrictEntity):
    name = "travel_options"
    model = TravelOption
    fields = ("code", "label", "price", "per_traveller")
    refs = {"product": "products"}
    description = "Options payantes d'un voyage (chambre individuelle, assurance…), par code."

    def queryset(self, scope: Scope) -> models.QuerySet:
        return TravelOption.objects.filter(product__in=scope.products().values("pk"))

    def match(self, rows: list[dict], ctx: ImportContext) -> dict[int, int]:
        """A product merged with one that already has an option of that code keeps its own
        (the code is what bookings name)."""
        products = ctx.maps.get("products", {})
        keys = {row["id"]: (products.get(row.get("product")), row.get("code")) for row in rows}
        existing = {
            (product_id, code): pk
            for pk, product_id, code in TravelOption.objects.filter(
                product_id__in={product for product, _code in keys.values() if product}
            ).values_list("pk", "product_id", "code")
        }
        return {source: existing[key] for source, key in keys.items() if key in existing}


class Departures(ExtensionEntity):
    name = "departures"
    model = Departure
    fields = ("starts_on", "duration_days", "capacity", "child_price", "cost_adult", "cost_child")
    refs = {"offer": "offers"}
    extends = "offer"
    # The purchase costs make the margin scheme's VAT exact; a child fare left empty means
    # "no children", a decision the target's seller took, so it is not a gap.
    gap_fields = ("cost_adult", "cost_child")
    description = (
        "Départs d'un voyage : chacun prolonge une offre (offers.jsonl), dont le prix est le "
        "tarif adulte et le stock les places encore en vente ; `capacity` est le nombre total "
        "de places."
    )

    def queryset(self, scope: Scope) -> models.QuerySet:
        return Departure.objects.filter(offer__product__in=scope.products().values("pk"))


class Bookings(StrictEntity):
    name = "bookings"
    model = Booking
    fields = (
        "adults",
        "children",
        "options",
        "purchase_cost",
        "status",
        "cancelled_at",
        "cancellation_fee",
    )
    refs = {"order_line": "order_lines", "departure": "departures"}
    description = "Réservations : la part voyage d'une ligne de commande de la boutique."

    def queryset(self, scope: Scope) -> models.QuerySet:
        return Booking.objects.filter(order_line__order__in=scope.orders().values("pk"))


class Travellers(StrictEntity):
    name = "travellers"
    model = Traveller
    fields = ("kind", "first_name", "last_name", "birth_date")
    refs = {"booking": "bookings"}
    description = (
        "Voyageurs d'une réservation (données personnelles des clients qui ont réservé sur "
        "cette boutique)."
    )

    def queryset(self, scope: Scope) -> models.QuerySet:
        return Traveller.objects.filter(booking__order_line__order__in=scope.orders().values("pk"))


ENTITIES: list[Entity] = [
    TravelPackages(),
    TravelOptions(),
    Departures(),
    Bookings(),
    Travellers(),
]
