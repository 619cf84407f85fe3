"""The cookie banner in Chromium: shown on a first visit with only the essential cookies set,
"Tout refuser" and "Tout accepter" the same size, one click to refuse (stored, nothing else
set), and on a phone the add-to-cart button is reachable once the banner is dismissed."""

from urllib.parse import urlparse

import pytest

from galerie.testing.browser import chromium
from galerie.web.tests.conftest import mall as mall  # noqa: F401  (re-exported fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ESSENTIAL = {"sessionid", "csrftoken", "django_language", "messages"}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture
def browser(monkeypatch):
    with chromium(monkeypatch) as instance:
        yield instance


def _product_url(live_server) -> str:
    return f"http://culture.localhost:{urlparse(live_server.url).port}/p/les-miserables/"


def _cookie_names(context) -> set[str]:
    return {cookie["name"] for cookie in context.cookies()}


def _on_top(locator) -> bool:
    return locator.evaluate(
        """el => {
            const r = el.getBoundingClientRect();
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return el === hit || el.contains(hit);
        }"""
    )


def test_first_visit_shows_the_banner_and_refusing_takes_one_click(browser, live_server, mall):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15000)

    # Given: a first visit
    page.goto(_product_url(live_server))
    banner = page.locator("#cookie-consent")
    refuse = banner.get_by_role("button", name="Tout refuser")
    accept = banner.get_by_role("button", name="Tout accepter")

    # Then: the banner shows, and only essential cookies exist
    assert banner.is_visible()
    assert _cookie_names(context) <= ESSENTIAL
    assert banner.get_by_role("link", name="Personnaliser").is_visible()
    refuse_box, accept_box = refuse.bounding_box(), accept.bounding_box()
    assert abs(refuse_box["width"] - accept_box["width"]) < 1
    assert abs(refuse_box["height"] - accept_box["height"]) < 1
    assert refuse.evaluate("el => getComputedStyle(el).backgroundColor") == accept.evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )

    # When: one click on "Tout refuser"
    refuse.click()

    # Then: hidden, refusal stored, still nothing else
    assert banner.is_hidden()
    cookies = {cookie["name"]: cookie for cookie in context.cookies()}
    assert set(cookies) <= ESSENTIAL | {"galerie_consent"}
    assert "audience%3A0" in cookies["galerie_consent"]["value"]
    lifetime = cookies["galerie_consent"]["expires"] - page.evaluate("Date.now() / 1000")
    assert 175 * 86400 < lifetime <= 183 * 86400  # about six months, no more

    # And the next page does not ask again; the footer link opens the banner again
    page.reload()
    assert banner.is_hidden()
    page.get_by_role("link", name="Gérer les cookies").click()
    assert banner.is_visible()
    context.close()


def test_preferences_page_stores_the_choice(browser, live_server, mall):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"http://culture.localhost:{urlparse(live_server.url).port}/cookies/")
    page.get_by_label("Mesure d'audience").check()
    page.get_by_role("button", name="Enregistrer mes choix").click()
    assert page.get_by_text("Vos choix sont enregistrés").is_visible()
    assert page.locator("#cookie-consent").is_hidden()
    value = {c["name"]: c["value"] for c in context.cookies()}["galerie_consent"]
    assert "audience%3A1" in value
    context.close()


def test_on_a_phone_the_add_to_cart_button_is_clickable_after_refusing(browser, live_server, mall):
    context = browser.new_context(locale="fr-FR", **PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(_product_url(live_server))
    banner = page.locator("#cookie-consent")
    assert banner.is_visible()
    box = banner.bounding_box()
    assert box["height"] <= 844 * 0.6 + 1  # never more than 60 % of the screen
    button = page.locator("form.add-to-cart button").first
    button.scroll_into_view_if_needed()
    assert _on_top(button)  # the banner sits in the page's flow: it covers nothing

    banner.get_by_role("button", name="Tout refuser").tap()

    button.scroll_into_view_if_needed()
    assert _on_top(button)
    button.tap()
    page.wait_for_url(lambda url: "/panier" in url or "les-miserables" in url)
    context.close()
