"""The back office's home and menu (galerie.reporting.backoffice) through HTTP: each to-do tile's
count and the filtered list it opens, what each role sees, the menu's French sections."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from galerie.core import clock
from galerie.core.money import format_money
from galerie.core.roles import roles_sync
from galerie.imports.models import ImportJob, ImportStatus
from galerie.orders.models import Order
from galerie.orders.selectors import day_bounds, orders_placed_on
from galerie.orders.services import seller_order_accept
from galerie.payments.services import payment_start, payment_transfer_mark_received
from galerie.payouts.models import PayoutRun
from galerie.payouts.selectors import payout_runs_failed
from galerie.reporting.backoffice import PILOTAGE, SECTIONS
from galerie.sellers.models import SellerStatus
from galerie.testing.factories import make_offer, make_seller

pytestmark = pytest.mark.django_db

CATALOGUE, SELLERS, SUPPORT, FINANCE = (
    "Gestion du catalogue",
    "Gestion des vendeurs",
    "Service client",
    "Finance",
)
TILES = ["orders-today", "seller-orders-to-accept", "sellers-applied", "imports-failed"]
ALL_TILES = [*TILES, "payouts-failed"]


@pytest.fixture(autouse=True)
def _roles():
    roles_sync()  # a transactional test's flush earlier in the run removes the groups


def _client(role: str | None = None, *, superuser: bool = False) -> Client:
    users = get_user_model().objects
    if superuser:
        user = users.create_superuser("root", "root@example.fr", "pw-123456789")
    else:
        name = f"staff-{role or 'none'}"
        user = users.create_user(name, f"{name}@example.fr", "pw-123456789", is_staff=True)
        if role:
            user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client


def _paid(place, price="10.00"):
    order = place([(make_offer(price=price, stock=5).pk, 1)])
    payment = payment_start(order=order, method="transfer", return_url="/").payment
    payment_transfer_mark_received(payment=payment)
    return Order.objects.get(pk=order.pk)


@pytest.fixture
def to_do(place):
    """One of each thing to do, next to a similar thing that needs nothing."""
    paid_today = _paid(place, "10.00")  # its seller order waits for acceptance
    accepted = _paid(place, "20.00").seller_orders.get()
    seller_order_accept(seller_order=accepted)
    unpaid_today = place([(make_offer(price="7.00", stock=5).pk, 1)])
    yesterday = place([(make_offer(price="99.00", stock=5).pk, 1)])
    Order.objects.filter(pk=yesterday.pk).update(
        created_at=day_bounds(clock.localdate())[0] - dt.timedelta(minutes=5)
    )
    applied = make_seller("Candidat", status=SellerStatus.APPLIED)
    failed = ImportJob.objects.create(
        seller=applied, path="/flux.tsv", status=ImportStatus.FAILED, message="Colonne manquante"
    )
    ImportJob.objects.create(seller=applied, path="/ok.tsv", status=ImportStatus.DONE)
    today = clock.localdate()
    PayoutRun.objects.create(
        as_of=today - dt.timedelta(days=14),
        holdback_percent=Decimal("10"),
        completed_at=timezone.now(),
    )
    unpaid_run = PayoutRun.objects.create(
        as_of=today - dt.timedelta(days=7),
        holdback_percent=Decimal("10"),
        completed_at=timezone.now(),
        notes="Vendeur Alpha : 12,00 € dus mais aucun IBAN enregistré.",
    )
    return {
        "orders-today": {paid_today.pk, accepted.order_id, unpaid_today.pk},
        "seller-orders-to-accept": {paid_today.seller_orders.get().pk},
        "sellers-applied": {applied.pk},
        "imports-failed": {failed.pk},
        "payouts-failed": {unpaid_run.pk},
        "paid": [paid_today, accepted.order],
    }


def _tiles(html: str) -> dict[str, tuple[int, str]]:
    """key → (count, link) of each tile on the home."""
    found = re.findall(
        r'<li class="tile tile-([a-z-]+)[^"]*">\s*<a href="([^"]+)">'
        r'<strong class="tile-count">([\d\s\u202f\xa0]+)</strong>',
        html,
    )
    return {
        key: (int(re.sub(r"\D", "", count)), href.replace("&amp;", "&"))
        for key, href, count in found
    }


def test_home_counts_each_thing_to_do_and_links_to_exactly_those_rows(to_do):
    client = _client(superuser=True)

    response = client.get("/admin/")

    assert response.status_code == 200
    html = response.content.decode()
    tiles = _tiles(html)
    assert list(tiles) == ALL_TILES
    for key in ALL_TILES:
        count, url = tiles[key]
        assert count == len(to_do[key]), key
        listing = client.get(url)
        assert listing.status_code == 200, (key, url)
        assert "?e=1" not in listing.get("Location", "")
        assert {obj.pk for obj in listing.context["cl"].result_list} == to_do[key], key
    paid_total = sum(order.total for order in to_do["paid"])
    assert f"Payées : 2, soit {format_money(paid_total)}" in html


def test_home_for_an_empty_mall_says_there_is_nothing_to_do():
    html = _client(superuser=True).get("/admin/").content.decode()
    assert {key: count for key, (count, _url) in _tiles(html).items()} == dict.fromkeys(
        ALL_TILES, 0
    )
    assert f"Payées : 0, soit {format_money(Decimal('0'))}" in html


@pytest.mark.parametrize(
    ("role", "tiles", "pilotage"),
    [
        (CATALOGUE, ["sellers-applied", "imports-failed"], False),
        (SELLERS, ["sellers-applied", "imports-failed"], False),
        (SUPPORT, ["orders-today", "seller-orders-to-accept", "sellers-applied"], False),
        (FINANCE, [*TILES[:3], "payouts-failed"], True),
        (None, [], False),
    ],
)  # fmt: skip
def test_each_role_sees_the_tiles_of_the_lists_it_may_open(to_do, role, tiles, pilotage):
    client = _client(role)

    html = client.get("/admin/").content.decode()

    shown = _tiles(html)
    assert list(shown) == tiles
    for _count, url in shown.values():
        assert client.get(url).status_code == 200
    assert ('href="/admin/pilotage/"' in html) is pilotage
    if role is None:
        assert "À traiter" not in html


def test_home_queries_stay_few(to_do, django_assert_max_num_queries):
    client = _client(superuser=True)
    client.get("/admin/")  # session and permissions warmed up
    # Session and user, one aggregate over the day's orders, one count per other tile (two for
    # the payout runs), the recent actions.
    with django_assert_max_num_queries(9):
        assert client.get("/admin/").status_code == 200


# ----------------------------------------------------------------------------- the menu

SECTION_NAMES = [
    "Catalogue",
    "Vendeurs",
    "Commandes",
    "Argent",
    "Rapports",
    "Boutiques",
    "Comptes",
    "Système",
]


def _captions(html: str) -> list[str]:
    return re.findall(r'<a href="/admin/rubrique/[a-z]+/" class="section">([^<]+)</a>', html)


def test_home_groups_the_models_by_task_under_french_headings():
    client = _client(superuser=True)

    html = client.get("/admin/").content.decode()

    assert _captions(html) == SECTION_NAMES
    assert "Task Result" not in html and "Tasks Database" not in html
    assert "Authentication" not in html and "Authentification et autorisation" not in html
    assert "Tâches en arrière-plan" in html
    argent = html.split('class="section">Argent</a>')[1].split("</table>")[0]
    assert argent.index("Campagnes de versements") < argent.index("Écritures")
    rapports = html.split('class="section">Rapports</a>')[1].split("</table>")[0]
    assert '<a href="/admin/pilotage/">Pilotage économique</a>' in rapports


def test_every_registered_model_has_its_place_in_a_section():
    placed = {label for _slug, _name, labels in SECTIONS for label in labels}
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered - placed == set()
    assert placed - registered == {PILOTAGE}


def test_the_menu_beside_a_list_has_the_sections_and_the_dashboard_for_finance():
    html = _client(FINANCE).get("/admin/orders/order/").content.decode()
    sidebar = html.split('id="nav-sidebar"')[1].split("</nav>")[0]
    assert _captions(sidebar) == ["Vendeurs", "Commandes", "Argent", "Rapports"]
    assert '<a href="/admin/pilotage/">Pilotage économique</a>' in sidebar
    support = _client(SUPPORT).get("/admin/orders/order/").content.decode()
    assert "Pilotage économique" not in support


def test_a_section_page_lists_its_models_and_refuses_an_unknown_or_forbidden_one():
    finance = _client(FINANCE)
    page = finance.get("/admin/rubrique/argent/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Campagnes de versements" in html and "Règles de commission" in html
    assert finance.get("/admin/rubrique/inconnue/").status_code == 404
    assert finance.get("/admin/rubrique/catalogue/").status_code == 404  # nothing it may see


def test_an_app_page_keeps_its_own_french_name():
    html = _client(superuser=True).get("/admin/ledger/").content.decode()
    assert "Comptabilité" in html and "Écritures" in html


def test_anonymous_visitors_are_sent_to_the_login():
    for url in ("/admin/", "/admin/rubrique/argent/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


# ----------------------------------------------------------------------------- the selectors


def test_orders_of_the_day_run_from_midnight_to_midnight_in_the_mall_time_zone(place):
    day = dt.date(2026, 3, 29)  # clocks go forward in Paris: a 23-hour day
    start, end = day_bounds(day)
    assert end.astimezone(dt.UTC) - start.astimezone(dt.UTC) == dt.timedelta(hours=23)
    moments = {
        "before": start - dt.timedelta(seconds=1),
        "first": start,
        "last": end - dt.timedelta(seconds=1),
        "after": end,
    }
    for moment in moments.values():
        order = place([(make_offer(price="5.00", stock=5).pk, 1)])
        Order.objects.filter(pk=order.pk).update(created_at=moment)

    day_orders = orders_placed_on(day=day)

    assert (day_orders.placed, day_orders.paid, day_orders.paid_total) == (2, 0, Decimal("0.00"))


def test_a_payout_run_that_paid_everyone_settles_the_failed_runs_before_it():
    today = clock.localdate()

    def run(days_ago, notes="", completed=True):
        return PayoutRun.objects.create(
            as_of=today - dt.timedelta(days=days_ago),
            holdback_percent=Decimal("0"),
            completed_at=timezone.now() if completed else None,
            notes=notes,
        )

    old = run(21, "Alpha : aucun IBAN")
    assert set(payout_runs_failed()) == {old}
    run(14)  # paid everyone it owed
    assert set(payout_runs_failed()) == set()
    unpaid = run(7, "Beta : compte insuffisant")
    interrupted = run(0, completed=False)
    assert set(payout_runs_failed()) == {unpaid, interrupted}
