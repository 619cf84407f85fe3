"""Who downloads which document: a customer its own orders' only, a seller its own only."""

import uuid

import pytest
from django.contrib.auth.models import User
from django.test import Client

from galerie.invoicing.models import Invoice, InvoiceKind
from galerie.payments.refunds import order_refund
from galerie.sellers.models import SellerMember, SellerRole
from galerie.testing.factories import make_offer, make_seller, pay_by_transfer

pytestmark = pytest.mark.django_db


def _customer(name):
    user = User.objects.create_user(name, f"{name}@example.fr", "x")
    client = Client(HTTP_HOST="culture.localhost")
    client.force_login(user)
    return user, client


@pytest.fixture
def two_orders(place):
    """Alice's and Bob's paid orders, each from its own seller."""
    alice, alice_client = _customer("alice")
    bob, bob_client = _customer("bob")
    mine = pay_by_transfer(place([(make_offer(seller=make_seller()).pk, 1)], user=alice))
    theirs = pay_by_transfer(place([(make_offer(seller=make_seller()).pk, 1)], user=bob))
    return mine, theirs, alice_client


def test_order_page_link_opens_the_issued_invoice_with_its_downloads(two_orders):
    mine, _theirs, client = two_orders
    invoice = Invoice.objects.get(seller_order__order=mine)
    detail = client.get(mine.get_absolute_url()).content.decode()
    url = f"/commandes/{mine.public_id}/facture/{invoice.seller_order_id}/"
    assert url in detail
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and invoice.number in html
    assert f"/commandes/{mine.public_id}/factures/{invoice.pk}.pdf" in html
    xml = client.get(f"/commandes/{mine.public_id}/factures/{invoice.pk}.xml")
    assert xml.status_code == 200 and xml["Content-Type"] == "application/xml"
    assert invoice.number.encode() in xml.content
    assert f'filename="{invoice.number}.xml"' in xml["Content-Disposition"]


def test_credit_notes_are_listed_on_the_invoice_page_and_downloadable(two_orders):
    mine, _theirs, client = two_orders
    order_refund(order=mine, idempotency_key="back")
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    html = client.get(f"/commandes/{mine.public_id}/facture/{note.seller_order_id}/").content
    assert note.number in html.decode()
    xml = client.get(f"/commandes/{mine.public_id}/factures/{note.pk}.xml")
    assert xml.status_code == 200 and b"<ram:TypeCode>381</ram:TypeCode>" in xml.content


def test_someone_elses_invoice_is_not_found(two_orders):
    mine, theirs, client = two_orders
    theirs_invoice = Invoice.objects.get(seller_order__order=theirs)
    their_part = theirs_invoice.seller_order_id
    assert client.get(f"/commandes/{theirs.public_id}/facture/{their_part}/").status_code == 404
    for fmt in ("xml", "pdf"):
        # Their order, or their invoice under my order: never found (no PDF is rendered)
        foreign = f"/commandes/{theirs.public_id}/factures/{theirs_invoice.pk}.{fmt}"
        assert client.get(foreign).status_code == 404
        mixed = f"/commandes/{mine.public_id}/factures/{theirs_invoice.pk}.{fmt}"
        assert client.get(mixed).status_code == 404
        unknown = f"/commandes/{uuid.uuid4()}/factures/{theirs_invoice.pk}.{fmt}"
        assert client.get(unknown).status_code == 404
    assert Client().get(f"/commandes/{mine.public_id}/factures/1.xml").status_code == 404


def test_seller_lists_its_own_invoices_only(two_orders):
    mine, theirs, _client = two_orders
    own = Invoice.objects.get(seller_order__order=mine)
    other = Invoice.objects.get(seller_order__order=theirs)
    owner = User.objects.create_user("vendeur", "v@example.fr", "x")
    SellerMember.objects.create(seller=own.issuer, user=owner, role=SellerRole.OWNER)
    client = Client(HTTP_HOST="culture.localhost")
    client.force_login(owner)
    html = client.get("/vendeur/factures/").content.decode()
    assert own.number in html and f"/vendeur/factures/{own.pk}.xml" in html
    assert f"/vendeur/factures/{other.pk}." not in html
    assert client.get(f"/vendeur/factures/{own.pk}.xml").status_code == 200
    assert client.get(f"/vendeur/factures/{other.pk}.xml").status_code == 404
    assert client.get(f"/vendeur/factures/{other.pk}.pdf").status_code == 404


def test_finance_lists_invoices_read_only(two_orders):
    from django.contrib.auth.models import Group

    from galerie.core.roles import roles_sync

    roles_sync()
    mine, _theirs, _client = two_orders
    invoice = Invoice.objects.get(seller_order__order=mine)
    user = User.objects.create_user("compta", "c@example.fr", "x", is_staff=True)
    user.groups.add(Group.objects.get(name="Finance"))
    client = Client()
    client.force_login(user)
    listing = client.get("/admin/invoicing/invoice/")
    assert listing.status_code == 200 and invoice.number in listing.content.decode()
    change = client.get(f"/admin/invoicing/invoice/{invoice.pk}/change/")
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    xml = client.get(f"/admin/invoicing/invoice/{invoice.pk}/fichier/xml/")
    assert xml.status_code == 200 and invoice.number.encode() in xml.content
    assert client.post(f"/admin/invoicing/invoice/{invoice.pk}/delete/").status_code == 403
