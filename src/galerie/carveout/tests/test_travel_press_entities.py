"""The travel and press entity files: exported from a storefront's scope, imported against a
second set of products, offers and orders (what the earlier entity files would have created),
row for row."""

import datetime as dt
import json
import uuid

import pytest
from django.db import transaction

from galerie.carveout.archive import ArchiveError, dumps
from galerie.carveout.entities import press, travel
from galerie.carveout.entities.base import ImportContext, timestamps_kept
from galerie.carveout.export import scope_build
from galerie.carveout.importer import _import_entity
from galerie.carveout.models import ArchiveImport
from galerie.catalog.models import Product
from galerie.orders.models import Order, OrderLine, SellerOrder
from galerie.orders.services import order_place
from galerie.payments.models import Payment
from galerie.payments.renewals import renewal_key, renewal_retries_run, renewals_run
from galerie.sellers.models import Offer
from galerie.subscriptions.models import (
    AttemptOutcome,
    RenewalAttempt,
    Subscription,
    SubscriptionStatus,
    SubscriptionTerm,
    TermStatus,
)
from galerie.testing.factories import (
    make_category,
    make_seller,
    make_storefront,
    make_subscription_offer,
    make_trip,
)
from galerie.testing.subscriptions import (
    ADDRESS,
    order_pay_by_transfer,
    saved_card_make,
    subscription_buy,
)
from galerie.travel.models import Booking, Departure, TravelOption, TravelPackage
from galerie.travel.tests.conftest import travellers

pytestmark = pytest.mark.django_db

ENTITIES = [*travel.ENTITIES, *press.ENTITIES]


class Reader:
    """The rows of an archive's entity files, as the import reads them (JSON, 1-based lines)."""

    def __init__(self, files: dict[str, list[dict]]):
        self.files = {
            name: [json.loads(dumps(row)) for row in rows] for name, rows in files.items()
        }

    def rows(self, name):
        return enumerate(self.files.get(name, []), start=1)

    def count(self, name):
        return len(self.files.get(name, []))


def clone(obj, **changes):
    copy = type(obj).objects.get(pk=obj.pk)
    copy.pk = None
    copy._state.adding = True
    for name, value in changes.items():
        setattr(copy, name, value)
    copy.save()
    return copy


@pytest.fixture
def source():
    """A storefront that sold a trip (two adults, seats paid) and a press subscription renewed
    once on its saved card."""
    storefront = make_storefront("source")
    shelf = make_category("Presse")
    storefront.categories.add(shelf)
    operator = make_seller("Galerie", is_operator=True, slug="galerie-operateur")
    departure = make_trip(seller=operator)
    make_trip(seller=operator, product=departure.offer.product, seats=4)  # a second date
    storefront.categories.add(departure.offer.product.category)
    trip_order = order_place(
        storefront=storefront,
        email="voyageur@example.fr",
        lines=[(departure.offer_id, 2)],
        details={
            departure.offer_id: {
                "adults": 2,
                "children": 0,
                "options": ["single_room"],
                "travellers": travellers(2, on=departure.starts_on),
            }
        },
        delivery_choices={},
        shipping_address=dict(ADDRESS),
        billing_address=dict(ADDRESS),
        idempotency_key="trip-order",
    )
    order_pay_by_transfer(trip_order)
    plan_offer = make_subscription_offer(category=shelf)
    subscription = subscription_buy(
        offer=plan_offer, storefront=storefront, card=saved_card_make(), auto_renew=True
    )
    renewals_run(today=subscription.ends_on - dt.timedelta(days=2))
    subscription.refresh_from_db()
    assert subscription.terms.count() == 2 and subscription.status == SubscriptionStatus.ACTIVE
    return storefront


def export(storefront) -> dict[str, list[dict]]:
    scope = scope_build(storefront=storefront, cutoff=dt.date(2000, 1, 1))
    return {entity.name: list(entity.export_rows(scope)) for entity in ENTITIES}


def second_set(storefront) -> tuple[dict, object]:
    """What the catalogue, sellers, customers and orders files would have created in this same
    database: new products, offers, orders and lines (keys suffixed as on a collision), and
    their id maps."""
    target = make_storefront("cible")
    target.categories.set(storefront.categories.all())
    maps = {name: {} for name in ("products", "offers", "orders", "seller_orders", "order_lines")}
    maps["storefronts"] = {storefront.pk: target.pk}
    orders = Order.objects.filter(storefront=storefront)
    products = Product.objects.filter(offers__order_lines__order__in=orders).distinct()
    for product in products:
        maps["products"][product.pk] = clone(product, slug=f"{product.slug}-copie", gtin=None).pk
    for offer in Offer.objects.filter(product__in=products):
        maps["offers"][offer.pk] = clone(offer, product_id=maps["products"][offer.product_id]).pk
    sellers = {offer.seller_id for offer in Offer.objects.filter(product__in=products)}
    maps["sellers"] = {pk: pk for pk in sellers}
    users = orders.exclude(user=None).values_list("user_id", flat=True)
    maps["customers"] = {pk: pk for pk in users}
    for order in orders:
        key = f"{order.idempotency_key}~copie" if order.idempotency_key else None
        copy = clone(order, storefront=target, public_id=uuid.uuid4(), idempotency_key=key)
        maps["orders"][order.pk] = copy.pk
        for payment in order.payments.all():
            clone(
                payment,
                order=copy,
                saved_card=None,
                provider_ref=f"{payment.provider_ref}~copie",
                idempotency_key=payment.idempotency_key and f"{payment.idempotency_key}~copie",
            )
    for part in SellerOrder.objects.filter(order__in=orders):
        maps["seller_orders"][part.pk] = clone(part, order_id=maps["orders"][part.order_id]).pk
    for line in OrderLine.objects.filter(order__in=orders):
        maps["order_lines"][line.pk] = clone(
            line,
            order_id=maps["orders"][line.order_id],
            seller_order_id=maps["seller_orders"][line.seller_order_id],
            offer_id=maps["offers"].get(line.offer_id),
            product_id=maps["products"].get(line.product_id),
        ).pk
    return maps, target


def import_rows(files, maps, entities=ENTITIES) -> ImportContext:
    archive_import = ArchiveImport.objects.create(
        source_installation=uuid.uuid4(), source_storefront="source", manifest_sha256="0" * 64
    )
    ctx = ImportContext(archive_import=archive_import, manifest={}, maps=dict(maps))
    reader = Reader(files)
    for entity in entities:
        with transaction.atomic(), timestamps_kept(*entity.timestamped_models()):
            _import_entity(entity, reader, ctx, None)
    for entity in entities:
        entity.finalize(ctx)
    return ctx


def assert_rows_equal(entity, files, ctx, *, but=()):
    """Each imported row holds the source row's values, its references mapped."""
    fields = [name for name in entity.fields if name not in but]
    refs = [f"{ref}_id" for ref in entity.refs]
    assert files[entity.name], entity.name
    for row in files[entity.name]:
        source = entity.model.objects.values(*fields, *refs).get(pk=row["id"])
        target_id = ctx.maps[entity.name][row["id"]]
        assert target_id != row["id"]
        created = entity.model.objects.values(*fields, *refs).get(pk=target_id)
        for name in fields:
            assert created[name] == source[name], (entity.name, name)
        for ref, other in entity.refs.items():
            expected = ctx.maps[other].get(source[f"{ref}_id"])
            assert created[f"{ref}_id"] == expected, (entity.name, ref)


def test_travel_and_press_rows_come_back_equal_apart_from_their_ids(source):
    files = export(source)
    maps, target = second_set(source)

    ctx = import_rows(files, maps)

    for entity in travel.ENTITIES:
        assert_rows_equal(entity, files, ctx)
    for entity in press.ENTITIES:
        but = ("public_id",) if entity.name == "subscriptions" else ()
        assert_rows_equal(entity, files, ctx, but=but)
    assert {name: len(rows) for name, rows in files.items()} == {
        "travel_packages": 1,
        "travel_options": 1,
        "departures": 2,
        "bookings": 1,
        "travellers": 2,
        "subscription_plans": 1,
        "subscriptions": 1,
        "subscription_terms": 2,
        "issue_fulfilments": 12,
        "renewal_attempts": 1,
    }
    assert all(ctx.report[name]["created"] == len(rows) for name, rows in files.items())


def test_departures_keep_their_capacity_and_the_seats_left_on_their_offer(source):
    files = export(source)
    maps, _target = second_set(source)

    ctx = import_rows(files, maps)

    for row in files["departures"]:
        before = Departure.objects.select_related("offer").get(pk=row["id"])
        after = Departure.objects.select_related("offer").get(pk=ctx.maps["departures"][row["id"]])
        assert after.offer_id == maps["offers"][before.offer_id]
        assert (after.capacity, after.offer.stock) == (before.capacity, before.offer.stock)
    booked = Booking.objects.get(pk=ctx.maps["bookings"][files["bookings"][0]["id"]])
    assert (booked.departure.capacity, booked.departure.offer.stock) == (10, 8)
    assert sorted(booked.travellers.values_list("first_name", "last_name")) == [
        ("Adulte0", "Martin"),
        ("Adulte1", "Martin"),
    ]


def test_a_subscription_takes_its_terms_fulfilments_and_attempts_along(source):
    files = export(source)
    maps, target = second_set(source)
    before = Subscription.objects.get(storefront=source)

    ctx = import_rows(files, maps)

    after = Subscription.objects.get(pk=ctx.maps["subscriptions"][before.pk])
    assert (
        after.storefront == target and after.plan.offer_id == maps["offers"][before.plan.offer_id]
    )
    assert list(after.terms.values_list("number", "status", "starts_on", "ends_on")) == list(
        before.terms.values_list("number", "status", "starts_on", "ends_on")
    )
    assert list(after.fulfilments.values_list("issue_date", "status", "term__number")) == list(
        before.fulfilments.values_list("issue_date", "status", "term__number")
    )
    assert not after.fulfilments.exclude(term__subscription=after).exists()
    assert list(
        RenewalAttempt.objects.filter(term__subscription=after).values_list(
            "term__number", "number", "outcome", "created_at"
        )
    ) == list(
        RenewalAttempt.objects.filter(term__subscription=before).values_list(
            "term__number", "number", "outcome", "created_at"
        )
    )
    # Same database: the public id is taken, so it gets a fresh one and the report says so.
    assert after.public_id != before.public_id
    assert str(before.public_id) in " ".join(ctx.report["subscriptions"]["notes"])


def test_renewal_lines_and_keys_name_the_imported_subscription(source):
    files = export(source)
    maps, _target = second_set(source)
    before = Subscription.objects.get(storefront=source)
    renewal = before.terms.get(number=2).order_line

    ctx = import_rows(files, maps)

    after_id = ctx.maps["subscriptions"][before.pk]
    line = OrderLine.objects.get(pk=maps["order_lines"][renewal.pk])
    assert line.details == {"renews": after_id, "term": 2}
    assert SubscriptionTerm.objects.get(subscription_id=after_id, number=2).order_line == line
    assert line.order.idempotency_key == renewal_key(subscription_id=after_id, term=2)
    assert list(
        Payment.objects.filter(order=line.order).values_list("idempotency_key", flat=True)
    ) == [renewal_key(subscription_id=after_id, term=2, attempt=1)]
    # The source's own renewal is untouched.
    renewal.refresh_from_db()
    assert renewal.details == {"renews": before.pk, "term": 2}
    assert renewal.order.idempotency_key == renewal_key(subscription_id=before.pk, term=2)


def test_a_renewal_key_another_row_holds_is_left_and_reported(source):
    files = export(source)
    maps, _target = second_set(source)
    before = Subscription.objects.get(storefront=source)
    next_id = max(Subscription.objects.values_list("pk", flat=True)) + 1
    squatter = clone(
        Order.objects.get(storefront=source, idempotency_key="trip-order"),
        public_id=uuid.uuid4(),
        idempotency_key=renewal_key(subscription_id=next_id, term=2),
    )

    ctx = import_rows(files, maps)

    assert ctx.maps["subscriptions"][before.pk] == next_id
    renewal = OrderLine.objects.get(
        pk=maps["order_lines"][before.terms.get(number=2).order_line_id]
    ).order
    assert renewal.idempotency_key == f"{renewal_key(subscription_id=before.pk, term=2)}~copie"
    squatter.refresh_from_db()
    assert squatter.idempotency_key == renewal_key(subscription_id=next_id, term=2)
    assert any("déjà prise" in note for note in ctx.report["subscription_terms"]["notes"])


def test_a_subscription_renewed_by_card_renews_by_payment_link_once_imported(
    source, django_capture_on_commit_callbacks, mailoutbox
):
    files = export(source)
    maps, target = second_set(source)
    before = Subscription.objects.get(storefront=source)
    assert files["subscriptions"][0]["saved_card_left_out"] is True

    ctx = import_rows(files, maps)
    after = Subscription.objects.get(pk=ctx.maps["subscriptions"][before.pk])
    assert after.saved_card is None and after.auto_renew
    assert ctx.report["subscriptions"]["saved_card_left_out"] == 1
    assert any("lien de paiement" in note for note in ctx.report["subscriptions"]["notes"])

    with django_capture_on_commit_callbacks(execute=True):
        report = renewals_run(today=after.ends_on - dt.timedelta(days=2))
        renewal_retries_run(today=after.ends_on)

    # Both share this database: the source's renewal is charged on its card, the copy's asks.
    assert (report.placed, report.charged, report.no_card) == (2, 1, 1)
    term = after.terms.get(number=3)
    assert term.status == TermStatus.PENDING
    assert term.order_line.order.storefront == target
    assert term.order_line.details == {"renews": after.pk, "term": 3}
    assert list(term.attempts.values_list("outcome", flat=True)) == [AttemptOutcome.NO_CARD]
    assert [mail.to for mail in mailoutbox if "réglez le renouvellement" in mail.subject] == [
        [after.email]
    ]


def test_rows_that_extend_what_the_target_already_has_are_matched_not_duplicated(source):
    files = export(source)
    maps, _target = second_set(source)
    # The catalogue and sellers files matched the products and offers with the source's own.
    maps["products"] = {pk: pk for pk in maps["products"]}
    maps["offers"] = {pk: pk for pk in maps["offers"]}
    Departure.objects.update(cost_adult=None)
    TravelPackage.objects.update(destination="")
    counts = (
        TravelPackage.objects.count(),
        TravelOption.objects.count(),
        Departure.objects.count(),
    )
    extensions = [
        entity
        for entity in ENTITIES
        if entity.name in ("travel_packages", "travel_options", "departures", "subscription_plans")
    ]
    files["departures"][0].update(cost_adult="650.00", cost_child="1.00")

    ctx = import_rows(files, maps, entities=extensions)

    assert (
        TravelPackage.objects.count(),
        TravelOption.objects.count(),
        Departure.objects.count(),
    ) == counts
    for entity in extensions:
        summary = ctx.report[entity.name]
        assert (summary["created"], summary["merged"]) == (0, len(files[entity.name]))
        assert ctx.maps[entity.name] == {row["id"]: row["id"] for row in files[entity.name]}
    first = Departure.objects.get(pk=files["departures"][0]["id"])
    # A gap is filled, a value the target holds is kept.
    assert (str(first.cost_adult), str(first.cost_child)) == ("650.00", "400.00")
    assert TravelPackage.objects.get().destination == "Lisbonne"
    assert any("cost_adult" in note for note in ctx.report["departures"]["notes"])


def test_a_reference_the_archive_never_defined_is_refused_with_its_file_and_line(source):
    files = export(source)
    maps, _target = second_set(source)
    files["travellers"][1]["booking"] = 999_999

    with pytest.raises(ArchiveError, match=r"travellers\.booking, ligne 2 .*bookings n° 999999"):
        import_rows(files, maps)


def test_a_nullable_reference_that_does_not_resolve_is_refused_too(source):
    files = export(source)
    maps, target = second_set(source)
    del maps["order_lines"][files["subscription_terms"][1]["order_line"]]

    with pytest.raises(ArchiveError, match=r"subscription_terms\.order_line, ligne 2"):
        import_rows(files, maps)
    # The file's transaction wrote none of its terms (the subscriptions before it are in).
    imported = Subscription.objects.get(storefront=target)
    assert not imported.terms.exists()


def test_a_renewal_line_that_renews_another_subscription_is_refused(source):
    files = export(source)
    maps, _target = second_set(source)
    renewal = Subscription.objects.get(storefront=source).terms.get(number=2).order_line
    OrderLine.objects.filter(pk=maps["order_lines"][renewal.pk]).update(
        details={"renews": 424242, "term": 2}
    )

    with pytest.raises(ArchiveError, match=r"subscription_terms, ligne 2 .*n° 424242"):
        import_rows(files, maps)


def test_renewal_keys_rename_along_a_chain_of_ids_through_the_archives_own_keys(source):
    """In an empty target, source subscription 101 may become 102 while source 100 becomes 101:
    the key renewal-101-2 changes hands within the same rename."""
    from galerie.carveout.entities.press import _keys_rename

    template = Order.objects.get(storefront=source, idempotency_key="trip-order")
    first, second = (
        clone(template, public_id=uuid.uuid4(), idempotency_key=f"renewal-{pk}-2")
        for pk in (900_100, 900_101)
    )
    ctx = ImportContext(
        archive_import=ArchiveImport.objects.create(
            source_installation=uuid.uuid4(), source_storefront="source", manifest_sha256="1" * 64
        ),
        manifest={},
    )

    _keys_rename(
        Order, "pk", {first.pk: (900_100, 900_101, 2), second.pk: (900_101, 900_102, 2)}, ctx
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.idempotency_key, second.idempotency_key) == (
        "renewal-900101-2",
        "renewal-900102-2",
    )
    assert "subscription_terms" not in ctx.report
