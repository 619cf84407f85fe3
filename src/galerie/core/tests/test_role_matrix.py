"""Role × action matrix: every back-office role (and staff without one, and the superuser)
POSTs every admin action through the changelist form and calls every API write.

Admin: allowed → the action is done; denied → 403 and nothing changed (where the role may open
the list, the action is not offered either: galerie.core.admin.GalerieModelAdmin).
API: the refund needs `orders.refund`; the other writes reach only the caller's own cart and
orders, or a seller's token, so every role gets 404/401 on another's and nothing changes.

Actions are read from `admin.site._registry` and writes from the OpenAPI schema, so one added
without a row here (or an action without `permissions=`) fails the `..._is_in_the_matrix` tests.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from galerie.core.admin import GalerieModelAdmin
from galerie.core.roles import ROLES, roles_sync
from galerie.imports.models import ImportJob, ImportStatus
from galerie.orders.models import Order
from galerie.orders.services import seller_order_accept, seller_order_ship
from galerie.payments.services import payment_start, payment_transfer_mark_received
from galerie.payouts.models import Payout, PayoutRun
from galerie.portal.auth import api_token_create
from galerie.reporting.chart import FixedCostKind
from galerie.reporting.services import fixed_cost_record
from galerie.sellers.models import Seller, SellerMember, SellerRole, SellerStatus
from galerie.subscriptions.models import Subscription, SubscriptionStatus
from galerie.testing.factories import (
    make_category,
    make_notice,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
    make_subscription_offer,
)

pytestmark = pytest.mark.django_db

CATALOGUE, SELLERS, SUPPORT, FINANCE = (
    "Gestion du catalogue",
    "Gestion des vendeurs",
    "Service client",
    "Finance",
)
NO_ROLE, SUPERUSER = "staff sans rôle", "superuser"
ACTORS = [*ROLES, NO_ROLE, SUPERUSER]


@pytest.fixture(autouse=True)
def _roles():
    roles_sync()  # a transactional test's flush earlier in the run removes the groups


def _client(actor: str) -> Client:
    users = get_user_model().objects
    if actor == SUPERUSER:
        user = users.create_superuser("root", "root@example.fr", "pw-123456789")
    else:
        user = users.create_user(
            "staff", "staff@example.fr", password="pw-123456789", is_staff=True
        )
        if actor != NO_ROLE:
            user.groups.add(Group.objects.get(name=actor))
    client = Client()
    client.force_login(user)
    return client


# ----------------------------------------------------------------------------- the objects


def _order(place):
    return place([(make_offer(price="10.00", stock=5).pk, 1)])


def _transfer(place):
    return payment_start(order=_order(place), method="transfer", return_url="/").payment


def _paid_order(place):
    payment = _transfer(place)
    payment_transfer_mark_received(payment=payment)
    return Order.objects.get(pk=payment.order_id)


def _expired_order(place):
    order = _order(place)
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - dt.timedelta(hours=1))
    return order


def _paid_seller_order(place):
    return _paid_order(place).seller_orders.get()


def _shipped_seller_order(place):
    seller_order = _paid_seller_order(place)
    seller_order_accept(seller_order=seller_order)
    return seller_order_ship(seller_order=seller_order, carrier="Colissimo", tracking_number="6A1")


def _payout_run(place):
    run = PayoutRun.objects.create(as_of=timezone.localdate(), holdback_percent=Decimal("0"))
    seller = make_seller("Alpha", iban="FR1420041010050500013M02606", bic="PSSTFRPPXXX")
    Payout.objects.create(
        run=run,
        seller=seller,
        seller_name=seller.name,
        iban=seller.iban,
        bic=seller.bic,
        amount=Decimal("12.00"),
    )
    return run


def _token(place):
    seller = make_seller("Alpha")
    user = get_user_model().objects.create_user("vendeur", password="pw-123456789")
    member = SellerMember.objects.create(seller=seller, user=user, role=SellerRole.OWNER)
    return api_token_create(member=member, name="ERP").token


def _subscription(place):
    """A paid (active) press subscription of a customer."""
    offer = make_subscription_offer(price="39.00")
    order = place([(offer.pk, 1)], details={offer.pk: {"auto_renew": True}})
    payment = payment_start(order=order, method="transfer", return_url="/").payment
    payment_transfer_mark_received(payment=payment)
    return Subscription.objects.get(terms__order_line__order=order)


def _booking(place):
    """A paid trip booking (two adults, departure in 60 days)."""
    from galerie.travel.tests.trips import make_departure, place_trip

    _order, booking = place_trip(storefront=make_storefront("voyages"), departure=make_departure())
    return booking


def _customer(place):
    """A customer account with nothing open (privacy.customer is a proxy of the user)."""
    from galerie.privacy.models import Customer

    user = get_user_model().objects.create_user("client@example.fr", "client@example.fr", "pw-1")
    return Customer.objects.get(pk=user.pk)


def _fixed_cost(place):
    return fixed_cost_record(
        storefront=make_storefront("tech"),
        month=dt.date(2026, 1, 1),
        kind=FixedCostKind.RENT,
        amount=Decimal("300.00"),
        label="Loyer",
    )


def _seller(status):
    return lambda place: make_seller(f"Vendeur {status}", status=status)


def _failed_job(place):
    return ImportJob.objects.create(
        seller=make_seller("Alpha"), path="/nonexistent.tsv", status=ImportStatus.FAILED
    )


def _review(status):
    """A customer's review of a product they bought (shipped), in `status`."""

    def setup(place):
        from galerie.reviews.services import review_publish, review_submit

        customer = get_user_model().objects.create_user("lectrice", first_name="Marie")
        order = _paid_order(place)
        Order.objects.filter(pk=order.pk).update(user=customer)
        seller_order = order.seller_orders.get()
        seller_order_accept(seller_order=seller_order)
        seller_order_ship(seller_order=seller_order, carrier="Colissimo", tracking_number="6A1")
        review = review_submit(
            customer=customer,
            product=order.lines.get().product,
            rating=4,
            title="Bien",
            body="Conforme à la description.",
        )
        return review_publish(review=review) if status == "published" else review

    return setup


def _withdrawal(place):
    """A withdrawal filed on a delivered order yesterday, not received yet."""
    from galerie.returns.services import return_withdrawal_request
    from galerie.testing.factories import make_delivered_order

    order = make_delivered_order(
        [(make_offer(price="10.00", stock=5), 1)],
        delivered_at=timezone.now() - dt.timedelta(days=1),
    )
    return return_withdrawal_request(order=order, line_id=order.lines.get().pk, quantity=1)


def _claim(place):
    """A conformity claim on goods delivered 100 days ago."""
    from galerie.returns.services import return_conformity_claim
    from galerie.testing.factories import make_delivered_order

    order = make_delivered_order(
        [(make_offer(price="10.00", stock=5), 1)],
        delivered_at=timezone.now() - dt.timedelta(days=100),
    )
    return return_conformity_claim(
        order=order, line_id=order.lines.get().pk, quantity=1, reason="Panne"
    )


def _notice(place):
    return make_notice(offer=make_offer(seller=make_seller("Alpha", email="alpha@example.fr")))


def _complaint(place):
    from galerie.moderation.services import complaint_submit, notice_decide

    notice = _notice(place)
    (decision,) = notice_decide(notice=notice, kind="withdraw_offer", actor=None, **STATEMENT)
    return complaint_submit(decision=decision, seller=decision.seller, text="Erreur.", user=None)


def _fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


@dataclass
class Case:
    setup: object  # place → the selected object
    done: object  # (object reloaded, response) → bool
    allowed: set[str]  # roles that may run it (the superuser always may)
    data: dict = field(default_factory=dict)


REASON = {"apply": "1", "reason": "Contrôle de conformité"}
STATEMENT = {
    "facts": "Contrefaçon établie par le titulaire de la marque.",
    "ground_kind": "legal",
    "ground": "CPI, art. L716-4",
    "automated": False,
}

# (app_label.model, action) → case
CASES = {
    ("orders.order", "cancel_orders"): Case(
        _order, lambda o, r: o.status == "cancelled", {SUPPORT}
    ),
    ("orders.order", "refund_in_full"): Case(
        _paid_order,
        lambda o, r: o.refunded_total == o.total and o.refunds.count() == 1,
        {SUPPORT},
    ),
    ("orders.order", "release_expired"): Case(
        _expired_order, lambda o, r: o.status == "cancelled", {SUPPORT}
    ),
    ("orders.sellerorder", "accept"): Case(
        _paid_seller_order, lambda so, r: so.status == "accepted", {SUPPORT}
    ),
    ("orders.sellerorder", "deliver"): Case(
        _shipped_seller_order, lambda so, r: so.status == "delivered", {SUPPORT}
    ),
    ("payments.payment", "transfer_received"): Case(
        _transfer,
        lambda p, r: p.order.status == "paid" and p.status == "captured",
        {FINANCE},
    ),
    ("payouts.payoutrun", "download_sepa"): Case(
        _payout_run,
        lambda run, r: r.status_code == 200 and r["Content-Type"] == "application/xml",
        {FINANCE},
    ),
    ("portal.sellerapitoken", "revoke"): Case(
        _token, lambda t, r: t.revoked_at is not None, {SELLERS}
    ),
    ("reporting.fixedcost", "reverse_costs"): Case(
        _fixed_cost, lambda c, r: c.is_reversed, {FINANCE}
    ),
    ("sellers.seller", "seller_verify"): Case(
        _seller(SellerStatus.APPLIED), lambda s, r: s.status == SellerStatus.VERIFIED, {SELLERS}
    ),
    ("sellers.seller", "seller_suspend"): Case(
        _seller(SellerStatus.VERIFIED),
        lambda s, r: s.status == SellerStatus.SUSPENDED,
        {SELLERS},
        REASON,
    ),
    ("sellers.seller", "seller_reject"): Case(
        _seller(SellerStatus.APPLIED),
        lambda s, r: s.status == SellerStatus.REJECTED,
        {SELLERS},
        REASON,
    ),
    ("sellers.seller", "seller_close"): Case(
        _seller(SellerStatus.VERIFIED),
        lambda s, r: s.status == SellerStatus.CLOSED,
        {SELLERS},
        REASON,
    ),
    ("subscriptions.subscription", "terminate"): Case(
        _subscription, lambda s, r: s.status == SubscriptionStatus.TERMINATING, {SUPPORT}
    ),
    # A withdrawal refunds (pro rata of the issues shipped): the refund right, orders.refund.
    ("subscriptions.subscription", "withdraw"): Case(
        _subscription,
        lambda s, r: s.status == SubscriptionStatus.CANCELLED and s.withdrawn_at is not None,
        {SUPPORT},
    ),
    # The operator as mediator of a return: Service client (returns.mediate).
    ("returns.returnrequest", "mediate_receive"): Case(
        _withdrawal, lambda r, resp: r.status == "refunded" and r.mediated, {SUPPORT}
    ),
    ("returns.returnrequest", "mediate_refund"): Case(
        _claim, lambda r, resp: r.status == "refunded" and r.refund_id is not None, {SUPPORT}
    ),
    ("returns.returnrequest", "mediate_repair"): Case(
        _claim, lambda r, resp: r.status == "repaired", {SUPPORT}
    ),
    ("returns.returnrequest", "mediate_replace"): Case(
        _claim, lambda r, resp: r.status == "replaced", {SUPPORT}
    ),
    ("travel.booking", "cancel_under_schedule"): Case(
        _booking, lambda b, r: b.status == "cancelled", {SUPPORT}
    ),
    ("privacy.customer", "erase_customers"): Case(
        _customer,
        lambda u, r: not u.is_active and u.username == f"anonyme-{u.pk}",
        {SUPPORT},
        {"apply": "1"},
    ),
    ("reviews.review", "publish_reviews"): Case(
        _review("pending"), lambda rv, r: rv.status == "published", {CATALOGUE}
    ),
    ("reviews.review", "reject_reviews"): Case(
        _review("published"),
        lambda rv, r: rv.status == "rejected" and rv.moderation_reason == "Hors sujet",
        {CATALOGUE},
        {"apply": "1", "reason": "Hors sujet"},
    ),
    ("moderation.notice", "decide"): Case(
        _notice,
        lambda n, r: n.status == "decided" and not n.offer.is_active,
        {SELLERS},
        {"apply": "1", "kind": "withdraw_offer", **STATEMENT},
    ),
    ("moderation.complaint", "uphold"): Case(
        _complaint, lambda c, r: c.status == "upheld", {SELLERS}, REASON
    ),
    ("moderation.complaint", "reverse"): Case(
        _complaint,
        lambda c, r: c.status == "reversed" and c.decision.notice.offer.is_active,
        {SELLERS},
        REASON,
    ),
    ("imports.importjob", "resume_jobs"): Case(
        _failed_job, lambda j, r: j.status == ImportStatus.PENDING, {CATALOGUE, SELLERS}
    ),
}


def _registered_actions():
    """(app_label.model, action name, function) of every action of every registered admin."""
    for model, model_admin in admin.site._registry.items():
        for action in model_admin._get_base_actions():
            yield model._meta.label_lower, action.name, action.func


def test_every_admin_action_is_in_the_matrix():
    found = set()
    for label, name, func in _registered_actions():
        assert getattr(func, "allowed_permissions", ()), f"{label} {name}: no permissions="
        if name == "delete_selected":
            assert tuple(func.allowed_permissions) == ("delete",)
            continue
        found.add((label, name))
    assert found == set(CASES), (found - set(CASES), set(CASES) - found)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("key", sorted(CASES), ids=lambda key: f"{key[0]}.{key[1]}")
def test_role_runs_only_its_admin_actions(place, actor, key):
    label, action = key
    case = CASES[key]
    obj = case.setup(place)
    before = type(obj).objects.filter(pk=obj.pk).values().get()
    client = _client(actor)
    url = f"/admin/{label.replace('.', '/')}/"
    listing = client.get(url)

    response = client.post(url, {"action": action, "_selected_action": [obj.pk], **case.data})

    if actor == SUPERUSER or actor in case.allowed:
        assert listing.status_code == 200 and f'value="{action}"' in listing.content.decode()
        assert response.status_code in (200, 302)
        assert case.done(_fresh(obj), response), response.content.decode()[:500]
        return
    after = type(obj).objects.filter(pk=obj.pk).values().get()
    assert after == before
    assert not case.done(_fresh(obj), response)
    # Refused outright; where the list opens, the action is not even offered.
    assert response.status_code == 403
    if listing.status_code != 403:
        assert listing.status_code == 200
        assert f'value="{action}"' not in listing.content.decode()


# ----------------------------------------------------------------------------- import jobs


def test_import_job_deletion_needs_the_delete_right(place):
    job = _failed_job(place)
    catalogue = _client(CATALOGUE)  # may view and launch imports, not delete them
    denied = catalogue.post(f"/admin/imports/importjob/{job.pk}/delete/", {"post": "yes"})
    assert denied.status_code == 403 and ImportJob.objects.filter(pk=job.pk).exists()

    forged = catalogue.post(
        "/admin/imports/importjob/",
        {"action": "delete_selected", "_selected_action": [job.pk], "post": "yes"},
    )
    assert forged.status_code == 403 and ImportJob.objects.filter(pk=job.pk).exists()

    root = _client(SUPERUSER)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    running = root.post(f"/admin/imports/importjob/{job.pk}/delete/", {"post": "yes"})
    assert running.status_code == 403 and ImportJob.objects.filter(pk=job.pk).exists()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED)
    done = root.post(f"/admin/imports/importjob/{job.pk}/delete/", {"post": "yes"})
    assert done.status_code == 302 and not ImportJob.objects.filter(pk=job.pk).exists()


def test_admin_resume_moves_a_failed_job_to_pending_once(place, django_capture_on_commit_callbacks):
    job = _failed_job(place)
    client = _client(CATALOGUE)
    data = {"action": "resume_jobs", "_selected_action": [job.pk]}
    with django_capture_on_commit_callbacks() as first:
        client.post("/admin/imports/importjob/", data)
    with django_capture_on_commit_callbacks() as second:
        client.post("/admin/imports/importjob/", data)
    assert _fresh(job).status == ImportStatus.PENDING
    assert (len(first), len(second)) == (1, 0)  # queued once, not twice


def test_seller_status_actions_are_refused_to_a_role_that_may_edit_sellers_only(place):
    """ "Change seller" is not "verify": a role with the first and not the second changes no
    status, even with the reason form forged."""
    role = Group.objects.create(name="Édition vendeurs")
    role.permissions.set(Group.objects.get(name=SELLERS).permissions.exclude(codename="verify"))
    user = get_user_model().objects.create_user("editor", is_staff=True)
    user.groups.add(role)
    client = Client()
    client.force_login(user)
    seller = make_seller("Candidat", status=SellerStatus.APPLIED)
    for action in ("seller_verify", "seller_reject"):
        client.post(
            "/admin/sellers/seller/",
            {"action": action, "_selected_action": [seller.pk], **REASON},
        )
    assert Seller.objects.get(pk=seller.pk).status == SellerStatus.APPLIED
    assert not seller.status_events.exists()


# ----------------------------------------------------------------------------- API writes

PERMISSION, FOREIGN, OWN, TOKEN = "permission", "foreign", "own", "token"

# (method, path) → (rule, path arguments, body, status for a denied or non-owning actor)
# PERMISSION: the roles in the set may (200), every other actor gets 403.
# FOREIGN: names another visitor's cart line or order: no role reaches it (404).
# OWN: works on the caller's own cart only (none here): another visitor's cart is untouched.
# TOKEN: the seller API takes a seller's bearer token, never a back-office session (401).
API_CASES = {
    ("post", "/api/payments/orders/{public_id}/refunds"): (
        PERMISSION,
        {"public_id": "paid"},
        {"reason": "Retour"},
        {SUPPORT},
    ),
    ("post", "/api/payments/orders/{public_id}/pay"): (
        FOREIGN,
        {"public_id": "pending"},
        {"method": "transfer"},
        404,
    ),
    ("patch", "/api/cart/lines/{line_id}"): (FOREIGN, {"line_id": "line"}, {"quantity": 3}, 404),
    ("put", "/api/cart/lines/{line_id}/details"): (
        FOREIGN,
        {"line_id": "line"},
        {"auto_renew": True},
        404,
    ),
    ("post", "/api/subscriptions/{public_id}/terminate"): (
        FOREIGN,
        {"public_id": "subscription"},
        None,
        404,
    ),
    ("post", "/api/subscriptions/{public_id}/withdraw"): (
        FOREIGN,
        {"public_id": "subscription"},
        None,
        404,
    ),
    ("put", "/api/subscriptions/{public_id}/auto-renew"): (
        FOREIGN,
        {"public_id": "subscription"},
        {"auto_renew": False},
        404,
    ),
    ("post", "/api/seller/fulfilments/ship"): (TOKEN, {}, {"ids": [1]}, 401),
    ("post", "/api/seller/returns/{return_id}/receive"): (
        TOKEN,
        {"return_id": "seller_order"},
        None,
        401,
    ),
    ("post", "/api/seller/returns/{return_id}/resolve"): (
        TOKEN,
        {"return_id": "seller_order"},
        {"outcome": "refund"},
        401,
    ),
    ("put", "/api/cart/lines/{line_id}/travellers"): (
        FOREIGN,
        {"line_id": "line"},
        {"travellers": [{"first_name": "Ana", "last_name": "Lima", "birth_date": "1980-01-01"}]},
        404,
    ),
    ("post", "/api/payments/orders/{public_id}/bookings/{booking_id}/cancel"): (
        FOREIGN,
        {"public_id": "trip_order", "booking_id": "booking"},
        None,
        404,
    ),
    ("delete", "/api/cart/lines/{line_id}"): (FOREIGN, {"line_id": "line"}, None, 404),
    # Staff bought nothing: no verified purchase, no review written (403).
    ("post", "/api/storefronts/{slug}/products/{product_slug}/reviews"): (
        OWN,
        {"slug": "storefront_slug", "product_slug": "product_slug"},
        {"rating": 5, "title": "Parfait", "body": "Un avis de membre du personnel."},
        403,
    ),
    ("post", "/api/cart/lines"): (OWN, {}, {"offer_id": "offer", "quantity": 1}, 201),
    # The caller has no cart here: nothing to put a code on (another visitor's stays as it was).
    ("put", "/api/cart/voucher"): (OWN, {}, {"code": "BIENVENUE"}, 404),
    ("delete", "/api/cart/voucher"): (OWN, {}, None, 404),
    ("post", "/api/checkout/quote"): (OWN, {}, {}, 200),  # an empty quote
    ("post", "/api/checkout/orders"): (OWN, {}, {"shipping_address": "address"}, 400),  # empty
    ("post", "/api/seller/offers"): (TOKEN, {}, {}, 401),
    ("post", "/api/seller/offers/bulk"): (TOKEN, {}, {}, 401),
    # Any id: the missing token is refused before the decision is looked up.
    ("post", "/api/seller/decisions/{decision_id}/complaint"): (
        TOKEN,
        {"decision_id": "offer"},
        {"text": "Erreur."},
        401,
    ),
    ("patch", "/api/seller/offers/{offer_id}"): (TOKEN, {"offer_id": "offer"}, {}, 401),
    ("post", "/api/seller/orders/{seller_order_id}/accept"): (
        TOKEN,
        {"seller_order_id": "seller_order"},
        {},
        401,
    ),
    ("post", "/api/seller/orders/{seller_order_id}/ship"): (
        TOKEN,
        {"seller_order_id": "seller_order"},
        {"carrier": "Colissimo", "tracking_number": "6A1"},
        401,
    ),
    ("post", "/api/seller/orders/{seller_order_id}/cancel"): (
        TOKEN,
        {"seller_order_id": "seller_order"},
        {"reason": "Rupture"},
        401,
    ),
}


def test_every_api_write_is_in_the_matrix():
    from galerie.api.urls import api

    writes = {
        (method, path)
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method in operations
        if method != "get"
    }
    assert writes == set(API_CASES), (writes - set(API_CASES), set(API_CASES) - writes)


@pytest.fixture
def visitor(place, address, storefront):
    """Another visitor's world: a cart with a line, a pending order and a paid one."""
    from galerie.cart.services import cart_add, cart_create

    books = make_category("Livres")
    storefront.categories.add(books)
    offer = make_offer(make_product(category=books), price="10.00", stock=50)
    cart = cart_create(storefront=storefront)
    line = cart_add(cart=cart, offer_id=offer.pk, quantity=1)
    pending = _order(place)
    paid = _paid_order(place)
    booking = _booking(place)
    return {
        "offer": offer.pk,
        "cart": cart,
        "line": line.pk,
        "pending": pending.public_id,
        "paid": paid.public_id,
        "seller_order": paid.seller_orders.get().pk,
        "address": address,
        "subscription": _subscription(place).public_id,
        "trip_order": booking.order_line.order.public_id,
        "booking": booking.pk,
        "storefront_slug": storefront.slug,
        "product_slug": offer.product.slug,
    }


def _world_state(cart):
    from galerie.cart.models import CartLine
    from galerie.orders.models import SellerOrder
    from galerie.payments.models import Payment, Refund
    from galerie.reviews.models import Review
    from galerie.sellers.models import Offer
    from galerie.travel.models import Booking

    models = [Order, SellerOrder, Payment, Refund, Offer, Subscription, Booking, Review]
    state = {m.__name__: list(m.objects.order_by("pk").values()) for m in models}
    state["lines"] = list(CartLine.objects.filter(cart=cart).order_by("pk").values())
    return state


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("key", sorted(API_CASES), ids=lambda key: f"{key[0]}:{key[1]}")
def test_role_makes_only_its_api_writes(visitor, actor, key):
    import json

    method, path = key
    rule, args, body, expected = API_CASES[key]
    url = path.format(**{name: visitor[value] for name, value in args.items()})
    body = {k: visitor.get(v, v) if isinstance(v, str) else v for k, v in (body or {}).items()}
    before = _world_state(visitor["cart"])
    client = _client(actor)

    response = getattr(client, method)(
        url,
        json.dumps(body) if body else None,
        content_type="application/json",
        headers={"Idempotency-Key": f"matrix-{actor}"},
        HTTP_HOST="culture.localhost",
    )

    after = _world_state(visitor["cart"])
    if rule == PERMISSION and (actor == SUPERUSER or actor in expected):
        assert response.status_code == 200, response.content.decode()[:300]
        assert len(after["Refund"]) == len(before["Refund"]) + 1
        return
    status = 403 if rule == PERMISSION else expected
    assert response.status_code == status, response.content.decode()[:300]
    assert after == before


def test_every_galerie_admin_refuses_forged_actions():
    """A new ModelAdmin that forgets the base would answer a forged action with a redirect."""
    plain = [
        type(model_admin).__name__
        for model, model_admin in admin.site._registry.items()
        if model.__module__.startswith("galerie.")
        and not isinstance(model_admin, GalerieModelAdmin)
    ]
    assert plain == []
