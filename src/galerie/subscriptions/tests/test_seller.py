"""A seller's issues to ship, in the portal (/vendeur/abonnements/numeros/) and the seller API:
grouped by date, marked shipped in bulk, never another seller's."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from galerie.core import clock
from galerie.portal.auth import api_token_create
from galerie.sellers.models import SellerMember, SellerRole
from galerie.subscriptions.models import FulfilmentStatus, IssueFulfilment
from galerie.testing.factories import make_seller, make_subscription_offer

pytestmark = pytest.mark.django_db
Sched, Shipped = FulfilmentStatus.SCHEDULED, FulfilmentStatus.SHIPPED


@pytest.fixture
def sellers():
    return make_seller("Presse Mag"), make_seller("Autre Éditeur")


@pytest.fixture
def issues(sellers, press, make_customer, subscriber):
    """Each seller sells a weekly; two customers subscribe to the first, one to the second."""
    mine, theirs = sellers
    today = clock.localdate()
    weekly = make_subscription_offer(
        seller=mine, title="L'Hebdo", issues_per_year=52, first_issue_on=today, category=press
    )
    other = make_subscription_offer(
        seller=theirs, title="Le Voisin", issues_per_year=52, first_issue_on=today, category=press
    )
    subscriber(make_customer("ana"), weekly)
    subscriber(make_customer("ben"), weekly)
    subscriber(make_customer("cyd"), other)
    return weekly, other


def _member(seller, name):
    user = get_user_model().objects.create_user(name, f"{name}@example.fr", "pw-12345678")
    return SellerMember.objects.create(seller=seller, user=user, role=SellerRole.OWNER)


@pytest.fixture
def portal(sellers):
    client = Client(HTTP_HOST="localhost")
    client.force_login(_member(sellers[0], "mag").user)
    return client


@pytest.fixture
def api(sellers):
    secret = api_token_create(member=_member(sellers[0], "mag-api"), name="t").secret
    return Client(HTTP_HOST="localhost", headers={"Authorization": f"Bearer {secret}"})


def _mine(seller):
    return IssueFulfilment.objects.filter(seller=seller)


def test_the_page_groups_the_week_ahead_by_date_with_addresses(
    portal, sellers, issues, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = portal.get("/vendeur/abonnements/numeros/")
    assert response.status_code == 200
    days = response.context["days"]
    today = clock.localdate()
    # A weekly from today: today's issue and next week's, for both subscribers.
    assert [d.issue_date for d in days] == [today, today + dt.timedelta(days=7)]
    assert all(len(d.fulfilments) == 2 for d in days)
    assert {f.seller_id for d in days for f in d.fulfilments} == {sellers[0].pk}
    html = response.content.decode()
    assert "12 rue des Lilas" in html and "Le Voisin" not in html


def test_query_count_does_not_grow_with_the_number_of_issues(
    portal, issues, django_assert_max_num_queries
):
    far = (clock.localdate() + dt.timedelta(days=120)).isoformat()
    with django_assert_max_num_queries(12):
        response = portal.get(f"/vendeur/abonnements/numeros/?until={far}")
    assert response.context["count"] > 20


def test_marking_shipped_in_bulk_ignores_foreign_ids(portal, sellers, issues):
    mine, theirs = sellers
    chosen = list(_mine(mine).filter(status=Sched).order_by("issue_date")[:3])
    foreign = _mine(theirs).first()
    response = portal.post(
        "/vendeur/abonnements/numeros/expedier/",
        {"ids": [f.pk for f in chosen] + [foreign.pk, "x", "9" * 30]},
        follow=True,
    )
    assert "3 numéros marqués expédiés." in response.content.decode()
    assert set(_mine(mine).filter(status=Shipped).values_list("pk", flat=True)) == {
        f.pk for f in chosen
    }
    foreign.refresh_from_db()
    assert foreign.status == Sched


def test_marking_nothing_says_so(portal, sellers, issues):
    response = portal.post("/vendeur/abonnements/numeros/expedier/", {}, follow=True)
    assert "Cochez au moins un numéro" in response.content.decode()
    assert not _mine(sellers[0]).filter(status=Shipped).exists()


def test_a_bad_date_falls_back_to_the_week_ahead(portal, issues):
    response = portal.get("/vendeur/abonnements/numeros/?until=demain")
    assert response.status_code == 200
    assert response.context["until"] == clock.localdate() + dt.timedelta(days=7)


def test_the_csv_export_lists_the_issues_with_addresses(portal, sellers, issues):
    response = portal.get("/vendeur/abonnements/numeros.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("id;issue_date;publication")
    assert len(lines) == 1 + 4
    assert all("L'Hebdo" in line and "PARIS" in line for line in lines[1:])


def test_a_customer_without_seller_account_is_refused(make_customer, issues):
    client = Client(HTTP_HOST="localhost")
    client.force_login(make_customer("zoe"))
    assert client.get("/vendeur/abonnements/numeros/").status_code == 403


# --- the seller API --------------------------------------------------------------------------


def test_api_lists_the_sellers_issues_to_ship(api, sellers, issues):
    body = api.get("/api/seller/fulfilments").json()
    assert body["total"] == 4
    assert {i["publication"] for i in body["items"]} == {"L'Hebdo"}
    assert body["items"][0]["delivery_address"]["city"] == "PARIS"
    until = clock.localdate().isoformat()
    assert api.get(f"/api/seller/fulfilments?until={until}").json()["total"] == 2


def test_api_bulk_ship_ignores_foreign_ids_and_filters_by_status(api, sellers, issues):
    mine, theirs = sellers
    ids = list(_mine(mine).values_list("pk", flat=True)[:2])
    foreign = _mine(theirs).values_list("pk", flat=True)[0]
    response = api.post(
        "/api/seller/fulfilments/ship", {"ids": [*ids, foreign]}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json() == {"shipped": 2}
    shipped = api.get("/api/seller/fulfilments?status=shipped").json()
    assert sorted(i["id"] for i in shipped["items"]) == sorted(ids)
    assert _mine(theirs).filter(status=Shipped).count() == 0


@pytest.mark.parametrize(
    "body",
    [{}, {"ids": []}, {"ids": "1"}, {"ids": [True]}, {"ids": [2**70]}, {"ids": [1], "x": 1}],
)
def test_api_bulk_ship_refuses_bad_bodies_with_json_errors(api, sellers, issues, body):
    response = api.post("/api/seller/fulfilments/ship", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_params"
    assert not IssueFulfilment.objects.filter(status=Shipped).exists()


def test_api_bad_filters_and_no_token(api, issues):
    assert api.get("/api/seller/fulfilments?status=lost").status_code == 422
    assert api.get("/api/seller/fulfilments?until=2026-13-01").status_code == 422
    anonymous = Client(HTTP_HOST="localhost").get("/api/seller/fulfilments")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "unauthenticated"
