"""The customers and orders entity files: exported from a storefront, imported into another one
(here in the same database, which is the hard case: every unique value collides), they give the
customers the same orders, numbers and totals.

The other domains' entity files (storefront, catalogue, sellers, press) are stood in for by
`SelfMapped` entities that map each source id onto a target row, so that these tests depend on
this module's entities alone and keep passing whatever the other files become.
"""

import datetime as dt
import re
import uuid
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Model
from django.test import Client

from galerie.accounts.forms import PasswordResetForm
from galerie.accounts.models import Address
from galerie.carveout import export as export_module
from galerie.carveout import importer as importer_module
from galerie.carveout.archive import ArchiveError, ArchiveWriter
from galerie.carveout.entities import customers, ledger, orders
from galerie.carveout.entities.base import Entity, ImportContext, Scope
from galerie.carveout.export import storefront_export
from galerie.carveout.importer import storefront_import
from galerie.carveout.models import ArchiveImport, ImportedRecord
from galerie.carveout.totals import storefront_totals
from galerie.carveout.verify import storefront_verify
from galerie.catalog.models import Category, Product
from galerie.orders.models import Order, OrderEvent, OrderLine, SellerOrder
from galerie.orders.services import (
    order_mark_paid,
    order_place,
    seller_order_accept,
    seller_order_ship,
)
from galerie.orders.tests.conftest import ADDRESS
from galerie.payments.models import Payment, PaymentMethod, PaymentStatus, Refund
from galerie.payments.refunds import order_refund
from galerie.pricing.models import DeliveryMethod, VatExemption
from galerie.sellers.models import Offer, Seller
from galerie.storefronts.models import Storefront
from galerie.testing.factories import make_offer, make_seller, make_storefront

pytestmark = pytest.mark.django_db
User = get_user_model()


class SelfMapped(Entity):
    """Stands in for another domain's entity file: rows are bare ids, each mapped to `onto`'s
    id for it or to itself (the row the target already holds)."""

    def __init__(self, name, model, onto=None):
        self.name, self.model, self.onto = name, model, onto or {}

    def queryset(self, scope):
        if self.model is Storefront:
            return Storefront.objects.filter(pk=scope.storefront.pk)
        return self.model.objects.all()

    def export_rows(self, scope):
        for pk in self.queryset(scope).order_by("pk").values_list("pk", flat=True):
            yield {"id": pk}

    def schema(self):
        return {"title": self.name}

    def timestamped_models(self):
        return ()

    def save_batch(self, objects, ctx):
        assert objects == []  # every row is mapped

    def match(self, rows, ctx):
        matched = {row["id"]: self.onto.get(row["id"], row["id"]) for row in rows}
        if self.model is Storefront:
            ctx.archive_import.storefront_id = next(iter(matched.values()))
            ctx.archive_import.save(update_fields=["storefront"])
        return matched


@pytest.fixture
def storefront():
    return make_storefront("culture")


@pytest.fixture
def place(storefront):
    def _place(lines, **kw):
        kw.setdefault("delivery_choices", {})
        return order_place(
            lines=lines,
            storefront=storefront,
            shipping_address=ADDRESS,
            billing_address=ADDRESS,
            **kw,
        )

    return _place


@pytest.fixture
def target():
    return make_storefront("repreneur")


@pytest.fixture
def entities(monkeypatch, storefront, target):
    """Archive files in import order: stand-ins, then customers, orders and the ledger."""
    listed = [
        SelfMapped("storefronts", Storefront, onto={storefront.pk: target.pk}),
        SelfMapped("categories", Category),
        SelfMapped("products", Product),
        SelfMapped("sellers", Seller),
        SelfMapped("delivery_methods", DeliveryMethod),
        SelfMapped("offers", Offer),
        *customers.ENTITIES,
        *orders.ENTITIES,
        *ledger.ENTITIES,  # the storefront's slice of the ledger: verify checks its balances
    ]
    for module in (export_module, importer_module):
        monkeypatch.setattr(module, "ENTITIES", listed)
    monkeypatch.setattr(importer_module, "ENTITY_NAMES", {entity.name for entity in listed})
    return listed


def _pay(order, *, method=PaymentMethod.TRANSFER):
    payment = Payment.objects.create(
        order=order,
        method=method,
        status=PaymentStatus.CAPTURED,
        amount=order.total,
        provider_ref=f"test-{order.number}",
        idempotency_key=f"renewal-{order.pk}",
    )
    return order_mark_paid(order=order, payment=payment), payment


@pytest.fixture
def shop(place, storefront):
    """The source storefront's year: a customer with two addresses and two orders (one paid,
    split between two sellers, one part shipped, a line refunded; one left unpaid, a
    subscription's renewal), a guest's order, and a line sold under the travel margin scheme."""
    alice = User.objects.create_user(
        "alice@example.fr", "Alice@Example.fr", "pw-alice-123", first_name="Alice"
    )
    Address.objects.create(
        user=alice,
        label="Maison",
        name="Alice Martin",
        line1="12 rue des Lilas",
        postcode="75011",
        city="Paris",
        is_default=True,
    )
    Address.objects.create(
        user=alice,
        label="Bureau",
        name="Alice Martin",
        line1="1 quai",
        postcode="69002",
        city="Lyon",
    )
    books, music = make_seller("Librairie"), make_seller("Disquaire")
    DeliveryMethod.objects.create(seller=books, name="Colissimo", fee=D("4.90"))
    DeliveryMethod.objects.create(seller=music, name="Lettre suivie", fee=D("2.50"))
    book = make_offer(price="19.90", seller=books, stock=50)
    disc = make_offer(price="12.00", seller=music, stock=50)
    paid = place(
        [(book.pk, 2), (disc.pk, 1)],
        user=alice,
        email="alice@example.fr",
        idempotency_key="alice-1",
    )
    paid, _payment = _pay(paid)
    so = paid.seller_orders.get(seller=books)
    seller_order_accept(seller_order=so)
    seller_order_ship(seller_order=so, carrier="Colissimo", tracking_number="6A123")
    book_line = paid.lines.get(offer=book)
    order_refund(order=paid, idempotency_key="refund-1", lines={book_line.pk: 1}, reason="abîmé")
    pending = place([(disc.pk, 1)], user=alice, email="alice@example.fr", idempotency_key="a-2")
    pending_line = pending.lines.get()
    pending_line.details = {"renews": 999, "term": 3}
    pending_line.save(update_fields=["details"])
    guest = place([(book.pk, 1)], email="invite@example.fr", idempotency_key="guest-1")
    guest, _ = _pay(guest)
    # A trip sold under the margin scheme: VAT on the margin, none on the customer's documents.
    OrderLine.objects.filter(order=guest).update(
        vat_exemption=VatExemption.TRAVEL_MARGIN, vat_amount=D("1.17")
    )
    return {"alice": alice, "paid": paid, "pending": pending, "guest": guest}


def _target_of(entity: str, source_id: int) -> int:
    return ImportedRecord.objects.get(entity=entity, source_id=source_id).target_id


def _values(instance: Model, skip: set[str]) -> dict:
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.attname not in skip
    }


def test_round_trip_into_the_same_database_keeps_every_field_apart_from_ids(
    shop, storefront, target, entities, tmp_path
):
    # Given the source's archive (its customer's first name blanked since: a gap to fill)
    storefront_export(storefront=storefront, path=tmp_path / "shop.zip")
    User.objects.filter(pk=shop["alice"].pk).update(first_name="")
    source_orders = list(Order.objects.filter(storefront=storefront).order_by("pk"))

    # When it is imported into another storefront of the same database
    result = storefront_import(path=tmp_path / "shop.zip")

    # Then every order is there again, field for field, apart from ids and dedup keys
    assert Order.objects.filter(storefront=target).count() == len(source_orders)
    for source in source_orders:
        copy = Order.objects.get(pk=_target_of("orders", source.pk))
        skip = {"id", "storefront_id", "public_id", "idempotency_key", "request_hash"}
        skip |= {"source_number"}
        assert _values(copy, skip) == _values(source, skip)
        assert copy.number == source.number and copy.source_number == source.number
        assert copy.public_id != source.public_id  # taken here: a fresh one
        assert copy.idempotency_key is None and copy.request_hash == ""
        assert copy.storefront == target and copy.user_id == source.user_id
        for part in source.seller_orders.all():
            twin = SellerOrder.objects.get(pk=_target_of("seller_orders", part.pk))
            skip = {"id", "order_id", "source_invoice_number"}
            assert _values(twin, skip) == _values(part, skip)
            assert twin.order == copy and twin.invoice_number == part.invoice_number
        for line in source.lines.all():
            twin = OrderLine.objects.get(pk=_target_of("order_lines", line.pk))
            skip = {"id", "order_id", "seller_order_id", "details"}
            assert _values(twin, skip) == _values(line, skip)
            assert twin.seller_order_id == _target_of("seller_orders", line.seller_order_id)
        for event in source.events.all():
            twin = OrderEvent.objects.get(order=copy, pk=_target_of("order_events", event.pk))
            skip = {"id", "order_id", "seller_order_id", "actor_id"}
            assert _values(twin, skip) == _values(event, skip)
    # Renewal lines keep the source's subscription id (the press file maps it with the terms)
    pending_copy = Order.objects.get(pk=_target_of("orders", shop["pending"].pk))
    assert pending_copy.lines.get().details == {"renews": 999, "term": 3}
    # Payments: a provider reference taken here gets a suffix, saved card and key stay behind
    payment = Payment.objects.get(order=shop["paid"])
    copy_payment = Payment.objects.get(pk=_target_of("payments", payment.pk))
    assert copy_payment.provider_ref == f"{payment.provider_ref}~{result.archive_import.pk}"
    assert copy_payment.idempotency_key is None and copy_payment.saved_card_id is None
    skip = {"id", "order_id", "provider_ref", "idempotency_key", "saved_card_id"}
    assert _values(copy_payment, skip) == _values(payment, skip)
    # The refund's lines name the target's order lines; its key names the import
    refund = Refund.objects.get(order=shop["paid"])
    copy_refund = Refund.objects.get(pk=_target_of("refunds", refund.pk))
    ((source_line, quantity),) = refund.lines.items()
    assert copy_refund.lines == {str(_target_of("order_lines", int(source_line))): quantity}
    assert copy_refund.payment == copy_payment
    assert copy_refund.order_id == _target_of("orders", refund.order_id)
    assert copy_refund.idempotency_key == f"import-{result.archive_import.pk}:refund-1"
    skip = {"id", "order_id", "payment_id", "lines", "idempotency_key", "actor_id"}
    assert _values(copy_refund, skip) == _values(refund, skip)
    # The customer was matched by e-mail (its case aside), reported, and only its gap filled
    alice = User.objects.get(pk=shop["alice"].pk)
    assert User.objects.filter(email__iexact="alice@example.fr").count() == 1
    assert alice.first_name == "Alice" and alice.check_password("pw-alice-123")
    assert result.report["customers"]["merged"] == 1
    assert any("alice@example.fr" in note.lower() for note in result.report["customers"]["notes"])
    # Its addresses were already there: none added twice, one default still
    assert alice.addresses.count() == 2 and alice.addresses.filter(is_default=True).count() == 1
    assert result.report["addresses"] == {"created": 0, "merged": 2}
    notes = " ".join(result.report["orders"]["notes"])
    assert shop["paid"].number in notes and "déjà pris" in notes


def test_totals_and_vat_per_rate_are_the_same_after_import(
    shop, storefront, target, entities, tmp_path
):
    # Given a storefront with a refund, delivery fees split by rate and a margin-scheme line
    manifest = storefront_export(storefront=storefront, path=tmp_path / "shop.zip")
    totals = manifest["totals"]
    rates = totals["vat_by_rate"]
    assert rates["20/travel_margin"]["vat"] == "1.17"  # its own row, never mixed with 20 %
    delivered = sum(
        (
            D(p["ttc"])
            for so in SellerOrder.objects.filter(order__storefront=storefront)
            for p in so.delivery_vat
        ),
        D("0"),
    )
    assert delivered > 0
    lines = sum(
        OrderLine.objects.filter(order__storefront=storefront).values_list("line_total", flat=True),
        D("0"),
    )
    assert sum(D(row["ttc"]) for row in rates.values()) == lines + delivered

    # When the archive is imported
    storefront_import(path=tmp_path / "shop.zip")

    # Then the target storefront's figures are the manifest's, and verify agrees
    assert storefront_totals(storefront=target) == totals
    found, checks = storefront_verify(path=tmp_path / "shop.zip")
    assert found == target
    assert [check for check in checks if not check.ok] == []


def _money(html: str) -> list[str]:
    return re.findall(r"\d[\d\u202f\xa0 ]*,\d\d", html)


def test_imported_customer_sees_the_same_history_numbers_and_invoices(
    shop, storefront, target, entities, tmp_path
):
    # Given what the customer saw at the source (staff there, as it happens)
    alice, paid = shop["alice"], shop["paid"]
    User.objects.filter(pk=alice.pk).update(is_staff=True)
    source = Client()
    source.force_login(alice)
    history = source.get("/commandes/").content.decode()
    detail = source.get(paid.get_absolute_url()).content.decode()
    invoices = {
        part.invoice_number: source.get(f"/commandes/{paid.public_id}/facture/{part.pk}/")
        for part in paid.seller_orders.all()
    }
    storefront_export(storefront=storefront, path=tmp_path / "shop.zip")
    # … and a target where neither the account nor the order's public id exists
    User.objects.filter(pk=alice.pk).update(username="partie", email="partie@example.fr")
    link = paid.get_absolute_url()
    Order.objects.filter(pk=paid.pk).update(public_id=uuid.uuid4())

    # When the archive is imported
    result = storefront_import(path=tmp_path / "shop.zip")

    # Then a new plain account, without password, that « mot de passe oublié » reaches
    imported = User.objects.exclude(pk=alice.pk).get(email__iexact="alice@example.fr")
    assert imported.pk != alice.pk and imported.username == "alice@example.fr"
    assert not imported.has_usable_password() and not imported.is_staff
    assert list(PasswordResetForm().get_users("alice@example.fr")) == [imported]
    assert imported.addresses.count() == 2
    assert imported.addresses.get(is_default=True).label == "Maison"
    assert result.report["customers"]["created"] == 1
    # … sees the same order numbers and amounts, under the same link
    client = Client()
    client.force_login(imported)
    copy = Order.objects.get(pk=_target_of("orders", paid.pk))
    assert copy.get_absolute_url() == link
    new_history = client.get("/commandes/").content.decode()
    numbers = re.findall(r">(G\d{7})<", history)
    assert numbers and re.findall(r">(G\d{7})<", new_history) == numbers
    assert _money(new_history) == _money(history)
    new_detail = client.get(copy.get_absolute_url()).content.decode()
    assert paid.number in new_detail
    assert _money(new_detail) == _money(detail)
    for part in copy.seller_orders.all():
        page = client.get(f"/commandes/{copy.public_id}/facture/{part.pk}/")
        assert page.status_code == 200
        assert f"Facture {part.invoice_number}" in page.content.decode()
        assert _money(page.content.decode()) == _money(
            invoices[part.invoice_number].content.decode()
        )
    assert set(invoices) == {part.invoice_number for part in copy.seller_orders.all()}


def test_free_public_id_is_kept(shop, storefront, entities, tmp_path):
    storefront_export(storefront=storefront, path=tmp_path / "shop.zip")
    kept = shop["guest"].public_id
    Order.objects.filter(pk=shop["guest"].pk).update(public_id=uuid.uuid4())

    storefront_import(path=tmp_path / "shop.zip")

    assert Order.objects.get(pk=_target_of("orders", shop["guest"].pk)).public_id == kept


def test_importing_twice_changes_nothing(shop, storefront, entities, tmp_path):
    storefront_export(storefront=storefront, path=tmp_path / "shop.zip")
    storefront_import(path=tmp_path / "shop.zip")
    counts = [
        model.objects.count()
        for model in (User, Address, Order, SellerOrder, OrderLine, OrderEvent, Payment, Refund)
    ]

    again = storefront_import(path=tmp_path / "shop.zip")

    assert again.already_done
    assert counts == [
        model.objects.count()
        for model in (User, Address, Order, SellerOrder, OrderLine, OrderEvent, Payment, Refund)
    ]


def _archive(path, rows: dict[str, list[dict]]) -> None:
    with ArchiveWriter(path) as archive:
        for name, entity_rows in rows.items():
            with archive.entity(name) as out:
                for row in entity_rows:
                    out.write(row)
        archive.finish(
            {
                "format": "galerie-storefront-archive",
                "format_version": 1,
                "source_installation": str(uuid.uuid4()),
                "storefront": {"slug": "culture"},
                "entities": list(rows),
                "counts": {name: len(entity_rows) for name, entity_rows in rows.items()},
            }
        )


def test_a_part_of_an_unknown_order_is_refused_with_its_file_and_line(
    shop, storefront, entities, tmp_path
):
    # Given an archive whose second seller order names an order it does not hold
    scope = Scope(storefront=storefront, cutoff=dt.date(2026, 1, 1), category_ids=[])
    rows = {entity.name: list(entity.export_rows(scope)) for entity in entities}
    rows["seller_orders"][1]["order"] = 123456
    _archive(tmp_path / "bad.zip", rows)
    before = SellerOrder.objects.count()

    # When it is imported, then the error names the file and the line, and that file wrote nothing
    with pytest.raises(ArchiveError, match=r"seller_orders\.order, ligne 2 : .*orders n° 123456"):
        storefront_import(path=tmp_path / "bad.zip")
    assert SellerOrder.objects.count() == before
    assert not ArchiveImport.objects.filter(finished_at__isnull=False).exists()


def test_a_refund_of_an_unknown_line_is_refused(shop, storefront):
    # Given the entities imported by hand: every order line known but 55
    ctx = ImportContext(archive_import=ArchiveImport(pk=7), manifest={})
    ctx.maps = {
        "orders": {1: shop["paid"].pk},
        "payments": {2: Payment.objects.first().pk},
        "order_lines": {10: 100},
    }
    row = {
        "id": 3,
        "order": 1,
        "payment": 2,
        "amount": "5.00",
        "status": "succeeded",
        "request_hash": "x",
        "lines": {"10": 1, "55": 2},
        "reason": "",
        "provider_ref": "",
        "created_at": "2026-03-01T10:00:00+01:00",
        "idempotency_key": "k",
    }
    refunds = next(entity for entity in orders.ENTITIES if entity.name == "refunds")

    with pytest.raises(ArchiveError, match=r"refunds\.lines, ligne 4 : .*order_lines n° 55"):
        refunds.build(row, ctx, line=4)
    row["lines"] = {"10": 1}
    assert refunds.build(row, ctx, line=4).lines == {"100": 1}


def test_an_order_without_its_number_is_refused(shop, storefront):
    ctx = ImportContext(archive_import=ArchiveImport(pk=7), manifest={})
    ctx.maps = {"storefronts": {storefront.pk: storefront.pk}, "customers": {}}
    scope = Scope(storefront=storefront, cutoff=dt.date(2026, 1, 1), category_ids=[])
    entity = orders.ENTITIES[0]
    row = next(row for row in entity.export_rows(scope) if row["user"] is None)
    assert row["number"] == shop["guest"].number
    entity.build(dict(row), ctx, line=1)
    del row["number"]

    with pytest.raises(ArchiveError, match=r"orders, ligne 9 : valeur de « number »"):
        entity.build(row, ctx, line=9)


def test_part_with_an_issued_invoice_keeps_that_invoices_number(
    shop, storefront, entities, tmp_path
):
    # Given the paid order's parts invoiced at the source (galerie.invoicing)
    from galerie.invoicing.services import invoice_issue_for_order

    issued = {
        inv.seller_order_id: inv.number for inv in invoice_issue_for_order(order=shop["paid"])
    }
    storefront_export(storefront=storefront, path=tmp_path / "shop.zip")
    Order.objects.filter(pk=shop["paid"].pk).update(public_id=uuid.uuid4())
    # When the archive is imported
    storefront_import(path=tmp_path / "shop.zip")
    # Then each copied part carries the number of the invoice the customer holds
    for part_id, number in issued.items():
        copy = SellerOrder.objects.get(pk=_target_of("seller_orders", part_id))
        assert copy.source_invoice_number == number
        assert copy.invoice_number == number
