"""Phones first (issue 11), in Chromium: at a phone's 360 and 390 px (mobile emulation, touch)
and a laptop's 1,280 px no shop page nor seller portal page is wider than the screen; on a phone
the other offers are stacked cards whose buttons are on the screen, the filters wait in a
"Filtrer" drawer so the first products show on the first screen, tap targets are at least 44 px
high, and a whole guest checkout is done with taps, nothing covering the button that moves the
order on.

A phone's browser widens its layout viewport to fit a page that is too wide, so `innerWidth`
alone would hide the overflow: widths are compared with the emulated screen's width."""

import datetime as dt
import re
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from galerie.catalog.models import Attribute
from galerie.orders.models import Order, OrderStatus
from galerie.orders.services import order_place
from galerie.payments.services import payment_start, payment_transfer_mark_received
from galerie.pricing.services import tax_rates_ensure
from galerie.search.services import search_index_refresh
from galerie.sellers.models import Offer, SellerMember, SellerRole
from galerie.sellers.services import offer_sponsor_set
from galerie.storefronts.models import Storefront
from galerie.testing.browser import chromium
from galerie.testing.factories import (
    make_book_type,
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0 Mobile Safari/537.36"
    ),
}
SMALL_PHONE = {**PHONE, "viewport": {"width": 360, "height": 780}}
LAPTOP = {"viewport": {"width": 1280, "height": 800}}
DEVICES = {360: SMALL_PHONE, 390: PHONE, 1280: LAPTOP}
TAP = 44  # px, WCAG 2.5.5's target size
ADDRESS = {
    "name": "Marie-Christine Dupont de la Tour",
    "line1": "11 rue Pierre et Marie Curie, bâtiment B, escalier 3",
    "postcode": "75005",
    "city": "Paris",
    "country": "FR",
}
PORTAL_PAGES = [
    "/vendeur/",
    "/vendeur/offres/",
    "/vendeur/offres/nouvelle/",
    "/vendeur/offres/import/",
    "/vendeur/catalogue/flux/",
    "/vendeur/produits/nouveau/",
    "/vendeur/commandes/",
    "/vendeur/abonnements/numeros/",
    "/vendeur/argent/",
    "/vendeur/livraison/",
    "/vendeur/livraison/nouveau/",
    "/vendeur/jetons/",
]


@pytest.fixture
def browser(monkeypatch):
    with chromium(monkeypatch) as instance:
        yield instance


@pytest.fixture
def mall():
    """A books storefront whose category has enough authors and publishers to fill a phone's
    screen with filters, and a novel sold by four sellers with long names and addresses."""
    tax_rates_ensure()
    books = make_category("Livres", slug="livres")
    novels = make_category("Romans", slug="romans", parent=books)
    make_storefront("culture", name="Galerie Culture", categories=[books])
    book_type = make_book_type()
    make_seller("Galerie SA", slug="galerie", is_operator=True, legal_name="Galerie SA")
    sellers = [
        make_seller(
            "Librairie Générale des Quatre Saisons et du Vieux Port",
            legal_name="Société Anonyme des Librairies Générales des Quatre Saisons",
            address="128 boulevard de la Croix-Rousse, 69004 Lyon",
            siren="732829320",
        ),
        make_seller("Le Bouquiniste des Quais", address="3 quai Voltaire, 75007 Paris"),
        make_seller("Marie-Christine D.", is_trader=False, legal_name="Marie-Christine Dupont"),
        make_seller("Seconde Vie Livres", address="Zone artisanale des Écureuils, 44000 Nantes"),
    ]
    product = make_product(
        "Les Misérables, édition intégrale illustrée en un volume",
        slug="les-miserables",
        category=novels,
        product_type=book_type,
        publisher_price="24.90",
        attributes={"author": "Victor Hugo", "publisher": "Gallimard"},
        description="Le grand roman de Victor Hugo.",
    )
    make_offer(product, seller=sellers[0], price="24.90", stock=5, delivery_price="3.00")
    make_offer(
        product,
        seller=sellers[1],
        price="9.50",
        condition="used",
        condition_note="Très bon état : couverture légèrement frottée, intérieur impeccable.",
        delivery_price="3.99",
    )
    private = make_offer(
        product, seller=sellers[2], price="6.00", condition="used", delivery_price="4.50"
    )
    offer_sponsor_set(offer=private, is_sponsored=True)  # badge, notice and « Sponsorisé »
    _published_review(product)
    make_offer(product, seller=sellers[3], price="7.20", condition="used", delivery_price="0")
    authors = ["Émile Zola", "George Sand", "Colette", "Marguerite Yourcenar", "Albert Camus"]
    publishers = ["Folio", "Pocket", "Le Livre de Poche", "Actes Sud", "Babel", "J'ai lu"]
    ids = [product.pk]
    for n in range(24):
        novel = make_product(
            f"Roman numéro {n + 1}",
            category=novels,
            product_type=book_type,
            publisher_price="8.00",
            attributes={
                "author": f"{authors[n % 5]} {n}",
                "publisher": publishers[n % 6],
            },
        )
        make_offer(novel, seller=sellers[n % 2], price="8.00", stock=3)
        ids.append(novel.pk)
    assert Attribute.objects.filter(code="author", is_facet=True).exists()
    search_index_refresh(product_ids=ids)
    return product


def _published_review(product) -> None:
    """A long published review (written directly: the purchase behind it is not under test)."""
    from galerie.reviews.models import Review, ReviewStatus

    Review.objects.create(
        product=product,
        author_name="Marie-Christine D.",
        rating=4,
        title="Une édition intégrale remarquablement illustrée, " * 2,
        body="Anticonstitutionnellement_" * 12 + " une édition très soignée.",
        purchased_on=dt.date(2026, 3, 1),
        status=ReviewStatus.PUBLISHED,
        published_at=timezone.now(),
    )


def _context(browser, width: int):
    context = browser.new_context(locale="fr-FR", **DEVICES[width])
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def _fits(page, width: int, where: str) -> None:
    sizes = page.evaluate(
        "() => ({page: document.documentElement.scrollWidth, window: window.innerWidth})"
    )
    assert sizes["page"] <= width and sizes["window"] == width, (where, sizes)


def _small_targets(page) -> list[str]:
    """Buttons and fields in the page's main region shorter than a finger (checkboxes and
    radios are counted through their labels' height)."""
    return page.evaluate(
        """(min) => {
            const found = [];
            const sel = 'main button, main .button, main select, main summary, '
                + 'main input:not([type=hidden]):not([type=checkbox]):not([type=radio])';
            for (const el of document.querySelectorAll(sel)) {
                const r = el.getBoundingClientRect();
                if (r.width === 0 || r.height === 0) continue;  // not shown
                if (r.height < min - 0.5) found.push(el.outerHTML.slice(0, 80) + ' ' + r.height);
            }
            return found;
        }""",
        TAP,
    )


def _press(page, locator, width: int) -> None:
    """A tap on a phone, a click on a laptop; on a phone, nothing covers the target's centre."""
    locator.scroll_into_view_if_needed()
    if width < 1000:
        box = locator.bounding_box()
        assert box["height"] >= TAP - 0.5, (box, locator.evaluate("el => el.outerHTML"))
        on_top = locator.evaluate(
            """el => {
                const r = el.getBoundingClientRect();
                const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                return el === hit || el.contains(hit);
            }"""
        )
        assert on_top, locator
        locator.tap()
    else:
        locator.click()


@pytest.mark.parametrize("width", [360, 390, 1280])
def test_shop_pages_fit_the_screen_and_a_checkout_is_done_with_taps(
    browser, live_server, mall, width
):
    base = f"http://culture.localhost:{urlparse(live_server.url).port}"
    context, page = _context(browser, width)
    phone = width < 1000

    page.goto(base + "/")
    _fits(page, width, "home")

    # The listing: on a phone the filters wait in a closed drawer, the first products show on
    # the first screen; a laptop keeps them as a sidebar.
    page.goto(base + "/c/romans/")
    _fits(page, width, "category")
    toggle = page.locator(".filters-toggle")
    first_card = page.locator(".product-card").first
    assert first_card.bounding_box()["y"] < DEVICES[width]["viewport"]["height"]
    if phone:
        assert toggle.is_visible() and toggle.inner_text().strip() == "Filtrer"
        assert not page.get_by_label("Folio").is_visible()
        _press(page, toggle, width)
        assert page.get_by_label("Folio").is_visible()
        assert page.locator(".facet label").first.bounding_box()["height"] >= TAP - 0.5
        # Ticking a box swaps the listing and the drawer stays open under the finger.
        page.get_by_label("Folio").tap()
        page.wait_for_url(lambda url: "Folio" in url)
        page.wait_for_function(
            "document.querySelector('#results-title').innerText === '4 produits'"
        )
        assert page.evaluate("document.getElementById('filters').open") is True
        assert " ".join(toggle.inner_text().split()) == "Filtrer (1)"
        _fits(page, width, "category, filtered")
    else:
        assert not toggle.is_visible()
        assert page.get_by_label("Folio").is_visible()
    if phone:
        assert _small_targets(page) == []

    page.goto(base + "/recherche/?q=roman")
    _fits(page, width, "search")

    # The product page: the other offers are cards whose buttons are on the screen.
    page.goto(base + "/p/les-miserables/")
    _fits(page, width, "product")
    # The seller badges, the private seller's notice, « Sponsorisé » and the reviews with
    # their policy are on the screen too.
    for selector in (".seller-kind", ".seller-notice", ".badge.sponsored", ".reviews .review",
                     ".review-policy"):  # fmt: skip
        box = page.locator(selector).first.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (selector, box)
    others = page.locator(".other-offers .add-to-cart button")
    assert others.count() == 3
    for n in range(3):
        box = others.nth(n).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    if phone:
        assert _small_targets(page) == []
        # Cards, not a table's row: the column headers are hidden, each amount is labelled.
        card = page.locator(".offers tbody tr").first
        assert card.evaluate("tr => getComputedStyle(tr).display") == "grid"
        assert page.locator(".offers thead").bounding_box()["width"] <= 1
        label = "td => getComputedStyle(td, '::before').content"
        assert card.locator("td.price").evaluate(label) == '"Total"'
    _press(page, page.locator(".buy-box button[type=submit]"), width)
    page.wait_for_url(re.compile(r".*/panier/$"))
    page.goto(base + "/p/les-miserables/")
    _press(page, others.nth(2), width)
    page.wait_for_url(re.compile(r".*/panier/$"))

    # The cart, then each checkout step, moved on with taps.
    assert page.locator(".cart-group").count() == 2
    _fits(page, width, "cart")
    if phone:
        assert _small_targets(page) == []
    _press(page, page.get_by_role("link", name="Passer la commande"), width)
    page.wait_for_url(re.compile(r".*/commande/$"))
    _fits(page, width, "address")
    for field, value in [
        ("#id_email", "invitee@example.fr"),
        ("#id_shipping-name", ADDRESS["name"]),
        ("#id_shipping-line1", ADDRESS["line1"]),
        ("#id_shipping-postcode", ADDRESS["postcode"]),
        ("#id_shipping-city", ADDRESS["city"]),
    ]:
        if phone:
            page.locator(field).tap()
        page.fill(field, value)
    if phone:
        assert _small_targets(page) == []
    _press(page, page.get_by_role("button", name="Continuer vers la livraison"), width)
    page.wait_for_url(re.compile(r".*/commande/livraison/$"))
    _fits(page, width, "delivery")
    if phone:
        assert _small_targets(page) == []
    _press(page, page.get_by_role("button", name="Continuer vers le récapitulatif"), width)
    page.wait_for_url(re.compile(r".*/commande/recapitulatif/$"))
    _fits(page, width, "recap")
    if phone:
        assert _small_targets(page) == []
    _press(page, page.get_by_role("button", name="Commander avec obligation de paiement"), width)
    page.wait_for_url(re.compile(r".*/paiement/passerelle/.*"))
    _fits(page, width, "payment")
    page.fill("#card_number", "4242 4242 4242 4242")
    page.fill("#expiry", "12/30")
    page.fill("#cvc", "123")
    _press(page, page.get_by_role("button", name=re.compile("^Payer")), width)
    page.wait_for_url(re.compile(r".*/commandes/[0-9a-f-]+/.*"))
    _fits(page, width, "confirmation")
    confirmation = page.content()
    context.close()

    order = Order.objects.get()
    assert order.status == OrderStatus.PAID
    assert order.email == "invitee@example.fr"
    assert order.seller_orders.count() == 2
    assert order.number in confirmation


@pytest.fixture
def seller_session(mall):
    """The owner of the seller of the novel's new copy, logged in, with one order to look at."""
    offer = Offer.objects.get(product=mall, condition="new")
    user = get_user_model().objects.create_user("owner", "owner@example.fr")
    SellerMember.objects.create(seller=offer.seller, user=user, role=SellerRole.OWNER)
    order = order_place(
        storefront=Storefront.objects.get(slug="culture"),
        email="client@example.fr",
        lines=[(offer.pk, 1)],
        delivery_choices={},
        shipping_address=ADDRESS,
        billing_address=ADDRESS,
        idempotency_key="phones-portal",
    )
    payment = payment_start(order=order, method="transfer", return_url="/").payment
    payment_transfer_mark_received(payment=payment)  # a seller sees paid orders only
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value, order.seller_orders.get()


@pytest.mark.parametrize("width", [360, 390, 1280])
def test_seller_portal_pages_fit_the_screen(browser, live_server, seller_session, width):
    session, seller_order = seller_session
    base = f"http://localhost:{urlparse(live_server.url).port}"
    context, page = _context(browser, width)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
    offer_id = seller_order.lines.first().offer_id
    pages = [
        *PORTAL_PAGES,
        f"/vendeur/offres/{offer_id}/",
        f"/vendeur/commandes/{seller_order.pk}/",
    ]
    too_wide, small = {}, {}
    for url in pages:
        response = page.goto(base + url)
        assert response.status == 200, url
        sizes = page.evaluate(
            "() => ({page: document.documentElement.scrollWidth, window: window.innerWidth})"
        )
        if sizes["page"] > width or sizes["window"] != width:
            too_wide[url] = sizes
        if width < 1000 and (targets := _small_targets(page)):
            small[url] = targets
    context.close()
    assert too_wide == {} and small == {}
