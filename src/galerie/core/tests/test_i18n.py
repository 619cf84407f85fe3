"""English as the interface's second language: pages, messages and the catalogues behind them.

The source strings are French; a storefront whose language is "en", or a visitor who chose English
(the `django_language` cookie set by /i18n/setlang/), gets the English catalogues.
"""

import gettext
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from galerie.catalog.gtin import InvalidGTIN, normalize_gtin
from galerie.checkout.tests.helpers import choose_delivery
from galerie.orders.emails import order_confirmation_send
from galerie.orders.services import order_place
from galerie.sellers.models import SellerMember, SellerRole
from galerie.sellers.onboarding import check_siren
from galerie.storefronts.models import Storefront
from galerie.testing.factories import (
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)

GALERIE = Path(__file__).resolve().parents[2]
# Apps whose English catalogue is complete; every user-facing string in them is translated.
COMPLETE_APPS = [
    "accounts",
    "cart",
    "catalog",
    "checkout",
    "core",
    "imports",
    "inventory",
    "invoicing",
    "ledger",
    "media",
    "moderation",
    "orders",
    "payments",
    "payouts",
    "privacy",
    "promotions",
    "portal",
    "pricing",
    "reporting",
    "returns",
    "reviews",
    "search",
    "sellers",
    "storefronts",
]
ORDER_ADDRESS = {
    "name": "Mary Shelley",
    "line1": "11 rue Pierre et Marie Curie",
    "postcode": "75005",
    "city": "Paris",
    "country": "FR",
}
ADDRESS = {
    "email": "mary@example.com",
    "shipping-name": "Mary Shelley",
    "shipping-line1": "11 rue Pierre et Marie Curie",
    "shipping-postcode": "75005",
    "shipping-city": "Paris",
    "shipping-country": "FR",
    "billing_same": "on",
}


@pytest.fixture(autouse=True)
def _french_again_afterwards():
    """The middleware activates a request's language for the whole thread: put French back so
    the tests that run after these ones see the default language."""
    yield
    translation.deactivate()


@pytest.fixture
def shops(db):
    category = make_category("Livres")
    make_storefront("culture", name="Culture & Cie", categories=[category])
    make_storefront("books", name="Books & Co", language="en", categories=[category])
    seller = make_seller("Librairie Alice", legal_name="Alice Livres SARL")
    return make_offer(
        make_product("Germinal", category=category), seller=seller, price=Decimal("9.00"), stock=3
    )


def _client(host: str, *, language: str | None = None) -> Client:
    client = Client(HTTP_HOST=host)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _assert_english(html: str, english: list[str], french: list[str]) -> None:
    missing = [s for s in english if s not in html]
    leftover = [s for s in french if s in html]
    assert not missing and not leftover, {"missing English": missing, "French left": leftover}


CART_EN = ["Your cart", "Sold and shipped by Librairie Alice", "Unit price", "Proceed to checkout"]
CART_FR = ["Votre panier", "Vendu et expédié par", "Prix unitaire", "Passer la commande"]
LOGIN_EN = ["Log in", "Email address", "Password", "Forgotten your password?", "No account yet?"]
LOGIN_FR = ["Connexion", "Adresse e-mail", "Mot de passe", "Pas encore de compte ?"]
REGISTER_EN = ["Create an account", "Confirm password", "Create my account", "Already a customer?"]
REGISTER_FR = ["Créer un compte", "Confirmation du mot de passe", "Déjà client ?"]
ADDRESS_EN = ["Your details", "Delivery address", "Postcode", "Billing", "Continue to delivery"]
RECAP_EN = ["Your order summary", "Right of withdrawal", "Order with obligation to pay", "20%"]
RECAP_FR = ["Récapitulatif de votre commande", "Droit de rétractation", "20 %", "Commander avec"]
ADDRESS_FR = ["Vos coordonnées", "Adresse de livraison", "Code postal", "Continuer vers la livr"]


@pytest.mark.parametrize(
    ("host", "cookie"),
    [("books.localhost", None), ("culture.localhost", "en")],
    ids=["english-storefront", "english-cookie-on-french-storefront"],
)
def test_key_pages_render_in_english(shops, host, cookie):
    client = _client(host, language=cookie)
    client.post("/panier/ajouter/", {"offer_id": shops.pk, "quantity": 1})

    cart = client.get("/panier/")
    _assert_english(cart.content.decode(), CART_EN, CART_FR)
    assert cart["Content-Language"] == "en"
    _assert_english(_page(client, "/commande/"), ADDRESS_EN, ADDRESS_FR)
    _assert_english(_page(client, "/compte/connexion/"), LOGIN_EN, LOGIN_FR)
    _assert_english(_page(client, "/compte/inscription/"), REGISTER_EN, REGISTER_FR)
    client.post("/commande/", ADDRESS)
    choose_delivery(client)
    _assert_english(_page(client, "/commande/recapitulatif/"), RECAP_EN, RECAP_FR)


def test_key_pages_render_in_french_by_default(shops):
    client = _client("culture.localhost")
    client.post("/panier/ajouter/", {"offer_id": shops.pk, "quantity": 1})

    _assert_english(_page(client, "/panier/"), CART_FR, CART_EN)
    _assert_english(_page(client, "/commande/"), ADDRESS_FR, ADDRESS_EN)
    _assert_english(_page(client, "/compte/connexion/"), LOGIN_FR, LOGIN_EN)
    _assert_english(_page(client, "/compte/inscription/"), REGISTER_FR, REGISTER_EN)


def test_language_switcher_turns_french_storefront_english(shops):
    client = _client("culture.localhost")

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/panier/"})

    assert response.status_code == 302
    _assert_english(_page(client, "/panier/"), ["Your cart", "Your cart is empty."], CART_FR)


def test_error_messages_from_forms_views_and_services_are_english(shops):
    client = _client("books.localhost")
    client.post("/panier/ajouter/", {"offer_id": shops.pk, "quantity": 1})

    login = client.post("/compte/connexion/", {"email": "nobody@example.com", "password": "x"})
    refused = client.post(
        "/panier/ajouter/", {"offer_id": shops.pk, "quantity": 7}, follow=True
    ).content.decode()
    address = client.post("/commande/", {**ADDRESS, "shipping-postcode": "7500"})

    assert "Incorrect email or password." in login.content.decode()
    assert "Not enough stock: Librairie Alice has only 3 copies of “Germinal” left." in refused
    assert "You already have 1 in your cart." in refused
    assert "Invalid postcode for France: 5 digits (e.g. 75011)." in address.content.decode()


def test_back_office_speaks_english_to_a_staff_member_who_chose_it(db):
    admin = User.objects.create_superuser("admin@example.com", "admin@example.com", "x")
    client = _client("testserver", language="en")
    client.force_login(admin)

    index = _page(client, "/admin/")
    ledger = _page(client, "/admin/ledger/")  # an app's own page keeps the app's name
    sellers = _page(client, "/admin/sellers/seller/add/")

    _assert_english(
        index,
        ["Today in the mall", "To do", "Orders placed today", "Business performance"],
        ["Aujourd'hui", "À traiter", "Commandes passées", "Pilotage économique"],
    )
    _assert_english(  # the menu's sections, then models in them
        index,
        ["Catalogue", "Sellers", "Orders", "Money", "Reports", "Shops", "Accounts", "System"],
        ["Vendeurs", "Commandes", "Argent", "Rapports", "Boutiques", "Comptes", "Système"],
    )
    _assert_english(
        index,
        ["Payout runs", "Payments", "Carts", "Catalogue imports", "Task Results"],
        ["Campagnes de versements", "Paiements", "Imports de catalogue", "Tâches en arrière"],
    )
    _assert_english(ledger, ["Accounting", "Journal entries"], ["Comptabilité", "Écritures"])
    _assert_english(sellers, ["Trading name", "Registered company name", "Payouts"], ["Versements"])


def test_services_messages_follow_the_active_language():
    with translation.override("en"):
        with pytest.raises(InvalidGTIN, match="must contain digits only"):
            normalize_gtin("97807ABC")
        with pytest.raises(ValueError, match="is not a valid SIREN"):
            check_siren("123")
    with translation.override("fr"), pytest.raises(InvalidGTIN, match="que des chiffres"):
        normalize_gtin("97807ABC")


# The catalogues themselves -------------------------------------------------------------------


def _catalogues() -> list[Path]:
    return sorted(GALERIE.glob("*/locale/*/LC_MESSAGES/django.po"))


def _msgfmt(po: Path, out: Path) -> str:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext's msgfmt is not installed")
    result = subprocess.run(
        [msgfmt, "--statistics", "--check-format", "-o", str(out), str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"{po}: {result.stderr}"
    return result.stderr


def test_every_owned_app_has_a_complete_english_catalogue():
    for app in COMPLETE_APPS:
        po = GALERIE / app / "locale" / "en" / "LC_MESSAGES" / "django.po"
        assert po.exists(), po
        assert po.with_suffix(".mo").exists(), f"{po}: not compiled"


@pytest.mark.parametrize("po", _catalogues(), ids=lambda p: str(p.relative_to(GALERIE)))
def test_catalogue_compiles_without_fuzzy_entries_and_its_mo_is_current(po, tmp_path):
    stats = _msgfmt(po, tmp_path / "django.mo")

    assert "fuzzy" not in stats, f"{po}: {stats}"
    if po.parts[-5] in COMPLETE_APPS:
        assert "untranslated" not in stats, f"{po}: {stats}"
    with (tmp_path / "django.mo").open("rb") as fresh, po.with_suffix(".mo").open("rb") as kept:
        fresh_catalog = gettext.GNUTranslations(fresh)._catalog
        kept_catalog = gettext.GNUTranslations(kept)._catalog
    assert kept_catalog == fresh_catalog, f"{po.with_suffix('.mo')} is stale: run compilemessages"


def test_no_msgid_is_translated_two_ways_across_apps():
    """Django merges every app's catalogue (the first app in INSTALLED_APPS wins): one French
    string must read the same in English everywhere, or a page would mix both wordings."""
    seen: dict[str, dict[str, str]] = {}
    for po in _catalogues():
        with po.with_suffix(".mo").open("rb") as mo:
            catalog = gettext.GNUTranslations(mo)._catalog
        for msgid, msgstr in catalog.items():
            if msgid and msgstr:
                seen.setdefault(str(msgid), {})[msgstr] = po.parts[-5]
    clashes = {msgid: found for msgid, found in seen.items() if len(found) > 1}
    assert not clashes, clashes


def test_seller_portal_speaks_english_to_a_seller_who_chose_it(shops):
    owner = User.objects.create_user("alice", "alice@example.com")
    SellerMember.objects.create(seller=shops.seller, user=owner, role=SellerRole.OWNER)
    client = _client("culture.localhost", language="en")
    client.force_login(owner)

    offers = _page(client, "/vendeur/offres/")
    tokens = _page(client, "/vendeur/jetons/")
    delivery = _page(client, "/vendeur/livraison/")

    _assert_english(
        offers, ["My offers", "Price incl. VAT", "1 offer", "Seller area"], ["Mes offres"]
    )
    _assert_english(tokens, ["API tokens", "Create a token", "Status"], ["Jetons d'API", "État"])
    _assert_english(delivery, ["Delivery methods", "Add a delivery method"], ["Modes de livraison"])


def test_ledger_back_office_names_account_kinds_in_accounting_english(db):
    """« actif » and « produit » are an asset and revenue here, not "active" and "product"."""
    admin = User.objects.create_superuser("admin@example.com", "admin@example.com", "x")
    client = _client("testserver", language="en")
    client.force_login(admin)

    accounts = _page(client, "/admin/ledger/account/")

    _assert_english(
        accounts, ["Accounting", "asset", "revenue", "liability", "equity"], ["Comptabilité"]
    )


def test_order_emails_follow_the_active_language(shops, mailoutbox):
    order = order_place(
        storefront=Storefront.objects.get(slug="books"),
        email="mary@example.com",
        lines=[(shops.pk, 1)],
        delivery_choices={},
        shipping_address=ORDER_ADDRESS,
        billing_address=ORDER_ADDRESS,
        idempotency_key="english-mail",
    )

    with translation.override("en"):
        order_confirmation_send(order.pk)
    with translation.override("fr"):
        order_confirmation_send(order.pk)

    english, french = mailoutbox[-2:]
    assert english.subject == f"Books & Co — order {order.number} confirmed"
    assert "Sold and shipped by Librairie Alice" in english.body
    assert "right of withdrawal" in english.body
    assert "Vendu et expédié" not in english.body
    assert french.subject == f"Books & Co — commande {order.number} enregistrée"
    assert "droit de rétractation" in french.body


def test_business_dashboard_speaks_english_to_finance_staff_who_chose_it(db):
    admin = User.objects.create_superuser("cfo@example.com", "cfo@example.com", "x")
    client = _client("testserver", language="en")
    client.force_login(admin)

    dashboard = _page(client, "/admin/pilotage/?periode=trimestre&annee=2026&trimestre=1")
    bad_year = _page(client, "/admin/pilotage/?periode=annee&annee=1900")

    _assert_english(
        dashboard,
        ["Business performance", "Net revenue excl. VAT", "Operating result", "Q1 2026", "March"],
        ["Chiffre d'affaires net HT", "1er trimestre", "mars 2026"],
    )
    assert "Year is not valid: “1900”." in bad_year
