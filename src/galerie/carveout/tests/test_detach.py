"""Detaching a sold storefront on the source: notice pages, no new orders, feeds, the final
payout, and the GDPR notice to its customers."""

# ruff: noqa: F811  (fixtures imported from the orders and payouts tests are parameters here)

import datetime as dt
import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from galerie.carveout.entities.notices import TransferNotices
from galerie.carveout.export import scope_build
from galerie.carveout.models import TransferNotice
from galerie.orders.models import Order
from galerie.orders.tests.conftest import address, place, storefront  # noqa: F401
from galerie.payouts.models import Payout
from galerie.payouts.tests.conftest import deliver, mall, pay  # noqa: F401
from galerie.storefronts.errors import StorefrontDetached
from galerie.storefronts.models import Storefront
from galerie.testing.factories import make_offer, make_product, make_storefront

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def _detach(slug="culture", *args):
    out = io.StringIO()
    call_command("detach_storefront", slug, "--new-owner", "Maison Dupont", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def shop(storefront, mall):
    """The culture storefront shows books (seller A's offer); tech shows music (seller B)."""
    storefront.categories.set([mall["books"]])
    make_storefront("tech", categories=[mall["music"]])
    return storefront


# --- the storefront closes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/produit/un-livre/", "/panier/", "/commande/adresse/", "/recherche/?q=x"]
)
def test_every_page_answers_410_naming_the_new_owner(client, shop, path):
    _detach("culture", "--url", "https://dupont.example/")
    response = client.get(path, HTTP_HOST="culture.localhost")
    assert response.status_code == 410
    html = response.content.decode()
    assert "Maison Dupont" in html and "a changé de propriétaire" in html
    assert 'href="https://dupont.example/"' in html


def test_htmx_requests_get_the_notice_too(client, shop):
    _detach()
    response = client.get(
        "/categorie/livres/", HTTP_HOST="culture.localhost", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 410 and "Maison Dupont" in response.content.decode()


def test_notice_is_in_the_storefront_language(client, mall):
    make_storefront("tech", language="en", name="Tech")
    _detach("tech")
    response = client.get("/", HTTP_HOST="tech.localhost")
    html = response.content.decode()
    assert response.status_code == 410 and response["Content-Language"] == "en"
    assert "Tech has a new owner" in html and "Maison Dupont" in html


def test_api_on_the_storefront_host_answers_410_json(client, shop):
    _detach()
    response = client.post(
        "/api/checkout/orders",
        data={"email": "a@example.fr"},
        content_type="application/json",
        HTTP_HOST="culture.localhost",
    )
    assert response.status_code == 410
    body = response.json()
    assert body["code"] == "storefront_detached" and "Maison Dupont" in body["message"]


def test_order_placement_is_refused_even_with_a_storefront_loaded_before_the_sale(
    shop, mall, place
):
    stale = Storefront.objects.get(pk=shop.pk)
    _detach()
    with pytest.raises(StorefrontDetached) as refused:
        place([(mall["offer_a"].pk, 1)], storefront=stale)
    assert "Maison Dupont" in refused.value.message and refused.value.status == 410
    assert not Order.objects.exists()


def test_mall_lists_and_catalogue_api_leave_it_out(client, shop):
    _detach()
    assert "Culture" not in client.get("/", HTTP_HOST="localhost").content.decode()
    slugs = [s["slug"] for s in client.get("/api/storefronts", HTTP_HOST="localhost").json()]
    assert slugs == ["tech"]
    gone = client.get("/api/storefronts/culture/categories", HTTP_HOST="localhost")
    assert gone.status_code == 410 and gone.json()["code"] == "storefront_detached"


def test_export_offers_skips_offers_only_the_sold_storefront_showed(shop, mall):
    shared = make_offer(make_product(category=mall["music"]), seller=mall["a"], sku="A-MUSIC")
    mall["offer_a"].sku = "A-BOOK"
    mall["offer_a"].save()

    def exported():
        out = io.StringIO()
        call_command("export_offers", "--seller", mall["a"].slug, stdout=out)
        return out.getvalue()

    assert "A-BOOK" in exported()
    _detach()
    feed = exported()
    assert "A-BOOK" not in feed and shared.sku in feed


# --- open orders, force, the final payout, idempotence -------------------------------------------


def test_detach_is_refused_while_orders_are_open_and_nothing_changes(shop, mall, place, pay):
    place([(mall["offer_a"].pk, 1)])  # awaiting payment
    paid = place([(mall["offer_b"].pk, 1)])
    pay(paid)  # paid, not delivered
    with pytest.raises(CommandError) as refused:
        _detach()
    message = str(refused.value)
    assert "1 commande(s) en attente de paiement" in message
    assert "1 commande(s) vendeur payées, ni livrées ni annulées" in message
    assert "--force" in message
    shop.refresh_from_db()
    assert shop.detached_at is None and shop.is_active


def test_force_detaches_with_open_orders_and_keeps_them(shop, mall, place):
    order = place([(mall["offer_a"].pk, 1)])
    output = _detach("culture", "--force", "--cutoff", "2026-01-31")
    shop.refresh_from_db()
    assert shop.is_detached and not shop.is_active and shop.cutoff_date == dt.date(2026, 1, 31)
    assert "Fermée malgré : 1 commande(s) en attente de paiement" in output
    assert Order.objects.filter(pk=order.pk).exists()


def test_detach_runs_the_final_payout_for_its_sellers(shop, mall, place, pay, deliver):
    order = place([(mall["offer_a"].pk, 2)])
    pay(order)
    deliver(order.seller_orders.get(), days_ago=20)
    output = _detach()
    payout = Payout.objects.get(seller=mall["a"])
    assert payout.run.as_of == timezone.localdate()
    assert "1 versement(s) à ses vendeurs" in output and payout.reference in output
    # The holdback stays owed and is listed.
    assert "Encore dus" in output and "Alpha" in output


def test_detaching_twice_says_it_is_already_detached(shop):
    _detach()
    first = Storefront.objects.get(pk=shop.pk).detached_at
    output = _detach()
    assert "déjà cédée à Maison Dupont" in output
    assert Storefront.objects.get(pk=shop.pk).detached_at == first


def test_a_cutoff_in_the_future_or_a_bad_url_is_refused(shop):
    with pytest.raises(CommandError, match="futur"):
        _detach("culture", "--cutoff", "2999-01-01")
    with pytest.raises(CommandError, match="invalide"):
        _detach("culture", "--url", "javascript:alert(1)")
    assert not Storefront.objects.get(pk=shop.pk).is_detached


def test_the_database_refuses_a_detached_storefront_that_is_active(shop):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Storefront.objects.filter(pk=shop.pk).update(
            detached_at=timezone.now(), successor_name="X", is_active=True
        )


# --- the GDPR notice -----------------------------------------------------------------------------


@pytest.fixture
def customers(shop, mall, place):
    user = get_user_model().objects.create_user("camille", email="camille@example.fr")
    place([(mall["offer_a"].pk, 1)], email="camille@example.fr", user=user)
    place([(mall["offer_a"].pk, 1)], email="camille@example.fr", user=user)
    place([(mall["offer_a"].pk, 1)], email="Invite@Example.fr")  # a guest
    other = make_storefront("autre")
    place([(mall["offer_a"].pk, 1)], email="ailleurs@example.fr", storefront=other)
    return user


def _notify(*args):
    out = io.StringIO()
    call_command(
        "notify_storefront_customers",
        "culture",
        "--new-owner",
        "Maison Dupont",
        "--transfer-date",
        "2099-03-01",
        "--contact",
        "dpo@galerie.example",
        *args,
        stdout=out,
    )
    return out.getvalue()


def test_each_customer_is_told_once_by_the_task(
    settings, customers, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        output = _notify()
    assert "2 client(s) : 2 avis mis en file" in output
    notices = {n.email: n for n in TransferNotice.objects.all()}
    assert set(notices) == {"camille@example.fr", "invite@example.fr"}
    assert notices["camille@example.fr"].user == customers
    assert notices["invite@example.fr"].user is None
    assert all(n.sent_at is not None and n.queued_at is not None for n in notices.values())
    assert sorted(m.to[0] for m in mail.outbox) == ["camille@example.fr", "invite@example.fr"]
    message = mail.outbox[0]
    assert "Maison Dupont" in message.subject
    assert "1 mars 2099" in message.body and "opposer" in message.body
    assert "effacement" in message.body and "dpo@galerie.example" in message.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = _notify()
    assert "0 avis mis en file, 2 déjà prévenu(s)" in again
    assert TransferNotice.objects.count() == 2 and mail.outbox == []


def test_notice_is_queued_not_sent_inline(settings, customers, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        _notify()
    assert mail.outbox == []
    assert TransferNotice.objects.filter(sent_at__isnull=True).count() == 2


def test_notice_mail_is_in_the_storefront_language(
    settings, mall, place, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    tech = make_storefront("tech", language="en", name="Tech")
    place([(mall["offer_a"].pk, 1)], storefront=tech, email="kim@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "notify_storefront_customers", "tech", "--new-owner", "Dupont Ltd", stdout=io.StringIO()
        )
    [message] = mail.outbox
    assert "your data passes to Dupont Ltd" in message.subject
    assert "object" in message.body and "erasure" in message.body


def test_a_transfer_date_in_the_past_is_refused(customers):
    with pytest.raises(CommandError, match="avant"):
        call_command(
            "notify_storefront_customers", "culture", "--new-owner", "X", "--transfer-date",
            "2000-01-01", stdout=io.StringIO(),
        )  # fmt: skip
    assert not TransferNotice.objects.exists()


def test_archive_records_who_was_told_when(settings, customers, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        _notify()
    entity = TransferNotices()
    scope = scope_build(
        storefront=Storefront.objects.get(slug="culture"), cutoff=dt.date(2026, 1, 1)
    )
    rows = list(entity.export_rows(scope))
    assert {row["email"] for row in rows} == {"camille@example.fr", "invite@example.fr"}
    assert all(row["new_owner"] == "Maison Dupont" and row["sent_at"] for row in rows)
    summary = entity.manifest_extra(scope)["notices"]
    assert summary["customers"] == 2 and summary["told"] == 2 and summary["last_sent_at"]


def test_export_warns_when_customers_were_not_all_told(customers, tmp_path):
    err = io.StringIO()
    path = tmp_path / "culture.zip"
    call_command(
        "export_storefront", "culture", str(path), "--no-progress", stdout=io.StringIO(), stderr=err
    )
    assert "0 client(s) sur 2 ont été prévenus" in err.getvalue()
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["notices"] == {"customers": 2, "told": 0, "last_sent_at": None}
