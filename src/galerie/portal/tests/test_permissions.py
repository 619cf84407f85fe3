"""Permission matrix: every seller route × anonymous, customer, seller A owner, seller A staff,
seller B owner and operator staff (is_staff, no membership) → the expected status.

Ids in the URLs are seller A's objects, so seller B must get 404 on every route that names one.
"""

import copy
import datetime as dt

import pytest

from galerie.core import clock
from galerie.imports.models import ImportJob, ImportStatus
from galerie.invoicing.models import Invoice
from galerie.moderation.models import Complaint, Decision, DecisionKind
from galerie.portal.auth import api_token_create
from galerie.portal.tests.conftest import world_build
from galerie.pricing.models import DeliveryMethod
from galerie.returns.models import ReturnKind, ReturnRequest
from galerie.sellers.models import Offer, SellerMember
from galerie.testing.factories import make_notice
from galerie.testing.module_rows import module_rows

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "customer", "owner_a", "staff_a", "owner_b", "operator"]
LOGIN, APPLY, BACK = "login", "apply", "redirect"  # 302 to login / to the application / elsewhere

# expected outcome per role, in ROLES order
LIST = (LOGIN, 403, 200, 200, 200, 403)  # a page about "my seller", no foreign id possible
OBJECT = (LOGIN, 403, 200, 200, 404, 403)  # names seller A's object
OBJECT_WRITE = (LOGIN, 403, BACK, BACK, 404, 403)
OWNER_LIST = (LOGIN, 403, 200, 403, 200, 403)
OWNER_OBJECT = (LOGIN, 403, 200, 403, 404, 403)
OWNER_OBJECT_WRITE = (LOGIN, 403, BACK, 403, 404, 403)

# (name, method, path template, data, expected per role)
ROUTES = [
    ("index", "get", "/vendeur/", None, (LOGIN, APPLY, 200, 200, 200, APPLY)),
    ("apply", "get", "/vendeur/candidature/", None, (LOGIN, 200, 200, 200, 200, 200)),
    (
        "switch",
        "post",
        "/vendeur/compte-actif/",
        {"seller": "{seller_a}"},
        (LOGIN, 403, BACK, BACK, 404, 403),
    ),
    ("offers", "get", "/vendeur/offres/", None, LIST),
    ("offer_new", "get", "/vendeur/offres/nouvelle/?q=abbey", None, LIST),
    ("offer_create", "get", "/vendeur/offres/nouvelle/{book}/", None, LIST),
    ("offer_bulk", "get", "/vendeur/offres/import/", None, LIST),
    ("feeds", "get", "/vendeur/catalogue/flux/", None, LIST),
    ("feed", "get", "/vendeur/catalogue/flux/{job_a}/", None, OBJECT),
    ("feed_errors", "get", "/vendeur/catalogue/flux/{job_a}/erreurs.csv", None, OBJECT),
    ("feed_resume", "post", "/vendeur/catalogue/flux/{job_a}/reprendre/", {}, OBJECT_WRITE),
    ("product_create", "get", "/vendeur/produits/nouveau/", None, LIST),
    ("offer_edit", "get", "/vendeur/offres/{offer_a}/", None, OBJECT),
    # A product's photos: only a seller with an offer on it (seller B has none on offer A's).
    ("product_image", "get", "/vendeur/produits/{product_a}/photos/", None, OBJECT),
    (
        "offer_edit_post",
        "post",
        "/vendeur/offres/{offer_a}/",
        {
            "price": "21.00",
            "stock": "10",
            "condition": "new",
            "delivery_price": "0",
            "lead_time_days": "2",
            "sku": "A-1",
            "is_active": "on",
        },
        OBJECT_WRITE,
    ),
    ("offer_deactivate", "post", "/vendeur/offres/{offer_a}/desactiver/", {}, OBJECT_WRITE),
    ("orders", "get", "/vendeur/commandes/", None, LIST),
    ("fulfilments", "get", "/vendeur/abonnements/numeros/", None, LIST),
    ("returns", "get", "/vendeur/retours/?status=requested", None, LIST),
    ("return", "get", "/vendeur/retours/{return_a}/", None, OBJECT),
    ("return_receive", "post", "/vendeur/retours/{return_a}/reception/", {}, OBJECT_WRITE),
    (
        "return_resolve",
        "post",
        "/vendeur/retours/{return_a}/decision/",
        {"outcome": "refuse", "note": "Article abîmé par l'usage"},
        OBJECT_WRITE,
    ),
    ("fulfilments_csv", "get", "/vendeur/abonnements/numeros.csv", None, LIST),
    # Foreign or unknown ids are ignored (nothing shipped), so every seller is sent back.
    (
        "fulfilments_ship",
        "post",
        "/vendeur/abonnements/numeros/expedier/",
        {"ids": "{offer_a}"},
        (LOGIN, 403, BACK, BACK, BACK, 403),
    ),
    ("order", "get", "/vendeur/commandes/{order_a}/", None, OBJECT),
    ("order_accept", "post", "/vendeur/commandes/{order_a}/accepter/", {}, OBJECT_WRITE),
    # not accepted yet: seller A is told why (400), seller B still gets 404
    (
        "order_ship",
        "post",
        "/vendeur/commandes/{order_a}/expedier/",
        {"carrier": "Colissimo", "tracking_number": "6A123"},
        (LOGIN, 403, 400, 400, 404, 403),
    ),
    (
        "order_cancel",
        "post",
        "/vendeur/commandes/{order_a}/annuler/",
        {"reason": "Rupture"},
        OBJECT_WRITE,
    ),
    ("money", "get", "/vendeur/argent/", None, OWNER_LIST),
    ("statement", "get", "/vendeur/argent/releves/2026-11/", None, OWNER_LIST),
    ("delivery", "get", "/vendeur/livraison/", None, OWNER_LIST),
    ("delivery_create", "get", "/vendeur/livraison/nouveau/", None, OWNER_LIST),
    ("delivery_edit", "get", "/vendeur/livraison/{method_a}/", None, OWNER_OBJECT),
    (
        "delivery_edit_post",
        "post",
        "/vendeur/livraison/{method_a}/",
        {
            "name": "Express",
            "kind": "flat",
            "fee": "9.90",
            "fee_per_kg": "0",
            "delivery_days_min": "1",
            "delivery_days_max": "2",
            "position": "0",
            "is_active": "on",
        },
        OWNER_OBJECT_WRITE,
    ),
    ("delivery_delete", "post", "/vendeur/livraison/{method_a}/supprimer/", {}, OWNER_OBJECT_WRITE),
    ("invoices", "get", "/vendeur/factures/", None, LIST),
    ("invoice_xml", "get", "/vendeur/factures/{invoice_a}.xml", None, OBJECT),
    # Renders a PDF (WeasyPrint, slow): the one download of the matrix that does.
    ("invoice_pdf", "get", "/vendeur/factures/{invoice_a}.pdf", None, OBJECT),
    ("decisions", "get", "/vendeur/moderation/", None, LIST),
    ("decision", "get", "/vendeur/moderation/{decision_a}/", None, OBJECT),
    (
        "decision_post",
        "post",
        "/vendeur/moderation/{decision_a}/",
        {"text": "Notre facture prouve l'authenticité."},
        OBJECT_WRITE,
    ),
    ("tokens", "get", "/vendeur/jetons/", None, LIST),
    # owner A's token: staff A sees only their own tokens, so it is not found for them either
    (
        "token_revoke",
        "post",
        "/vendeur/jetons/{token_a}/revoquer/",
        {},
        (LOGIN, 403, BACK, 404, 404, 403),
    ),
]


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    """The two sellers' world, built once for the matrix's ~180 cases (see module_rows)."""
    with module_rows(django_db_blocker, world_build) as world:
        yield world


@pytest.fixture
def world(_world, db):
    return copy.deepcopy(_world)


@pytest.fixture
def ids(world):
    method = DeliveryMethod.objects.create(seller=world.seller_a, name="Colissimo", fee="4.90")
    member = SellerMember.objects.get(seller=world.seller_a, user=world.users.owner_a)
    return {
        "seller_a": world.seller_a.pk,
        "book": world.book.pk,
        "offer_a": world.offer_a.pk,
        "product_a": world.offer_a.product_id,
        "order_a": world.order_a.pk,
        "invoice_a": Invoice.objects.get(seller_order=world.order_a, kind="invoice").pk,
        "method_a": method.pk,
        "token_a": api_token_create(member=member, name="ERP").token.pk,
        "return_a": _return_of(world.order_a).pk,
        "decision_a": Decision.objects.create(
            notice=make_notice(offer=world.offer_a),
            kind=DecisionKind.WITHDRAW_OFFER,
            seller=world.seller_a,
            facts="Contrefaçon.",
            ground_kind="legal",
            ground="CPI, art. L716-4",
        ).pk,
        "job_a": ImportJob.objects.create(
            seller=world.seller_a, path="/nulle-part/flux.tsv", status=ImportStatus.FAILED
        ).pk,
    }


def _return_of(seller_order):
    """A withdrawal filed on seller A's order (as returns.services would, once delivered)."""
    return ReturnRequest.objects.create(
        kind=ReturnKind.WITHDRAWAL,
        order=seller_order.order,
        seller_order=seller_order,
        line=seller_order.lines.first(),
        quantity=1,
        refund_due_at=clock.now() + dt.timedelta(days=14),
    )


def _fill(value, ids):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


CASES = [
    pytest.param(route, role, expected[i], id=f"{route[0]}-{role}")
    for route in ROUTES
    for i, role in enumerate(ROLES)
    for expected in [route[4]]
]


@pytest.mark.parametrize(("route", "role", "expected"), CASES)
def test_permission_matrix(world, ids, as_user, route, role, expected):
    _name, method, path, data, _all = route
    user = None if role == "anonymous" else getattr(world.users, role)
    client = as_user(user)
    url = _fill(path, ids)
    response = client.post(url, _fill(data, ids)) if method == "post" else client.get(url)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/compte/connexion/")
    elif expected == APPLY:
        assert response.status_code == 302
        assert response["Location"] == "/vendeur/candidature/"
    elif expected == BACK:
        assert response.status_code == 302
        assert "/compte/connexion/" not in response["Location"]
    else:
        assert response.status_code == expected, response.content.decode()[:500]


def test_matrix_covers_every_portal_route():
    from galerie.portal.urls import urlpatterns

    names = {p.name for p in urlpatterns}
    covered = {route[0].removesuffix("_post") for route in ROUTES}
    assert names <= covered, names - covered


def test_foreign_writes_change_nothing(world, ids, as_user):
    """Seller B's user posting to seller A's objects: 404 and nothing moved."""
    client = as_user(world.users.owner_b)
    before = Offer.objects.filter(pk=ids["offer_a"]).values().get()
    paths = [
        (
            f"/vendeur/offres/{ids['offer_a']}/",
            {
                "price": "1.00",
                "stock": "0",
                "condition": "new",
                "delivery_price": "0",
                "lead_time_days": "1",
            },
        ),
        (f"/vendeur/offres/{ids['offer_a']}/desactiver/", {}),
        (f"/vendeur/commandes/{ids['order_a']}/accepter/", {}),
        (f"/vendeur/commandes/{ids['order_a']}/annuler/", {"reason": "x"}),
        (f"/vendeur/livraison/{ids['method_a']}/supprimer/", {}),
        (f"/vendeur/jetons/{ids['token_a']}/revoquer/", {}),
        (f"/vendeur/catalogue/flux/{ids['job_a']}/reprendre/", {}),
        (f"/vendeur/retours/{ids['return_a']}/reception/", {}),
        (f"/vendeur/retours/{ids['return_a']}/decision/", {"outcome": "refund"}),
        (f"/vendeur/moderation/{ids['decision_a']}/", {"text": "Pas la nôtre."}),
    ]
    for path, data in paths:
        assert client.post(path, data).status_code == 404, path
    assert Offer.objects.filter(pk=ids["offer_a"]).values().get() == before
    world.order_a.refresh_from_db()
    assert world.order_a.status == "paid"
    assert DeliveryMethod.objects.filter(pk=ids["method_a"]).exists()
    assert ImportJob.objects.get(pk=ids["job_a"]).status == ImportStatus.FAILED
    assert not Complaint.objects.exists()
    from galerie.portal.models import SellerApiToken

    assert SellerApiToken.objects.get(pk=ids["token_a"]).revoked_at is None
    assert ReturnRequest.objects.get(pk=ids["return_a"]).status == "requested"
