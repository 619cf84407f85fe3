"""Facets, sorting and paging in a real browser: htmx swaps the listing and pushes the URL.

Playwright drives Debian's Chromium; `*.localhost` resolves to loopback inside Chromium.
"""

from urllib.parse import urlparse

import pytest

from galerie.testing.browser import chromium
from galerie.web.tests.conftest import mall as mall  # noqa: F401  (re-exported fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def page(monkeypatch):
    with chromium(monkeypatch) as browser:
        yield browser.new_page()


def test_ticking_a_facet_swaps_the_listing_and_updates_the_url(page, live_server, mall):
    base = f"http://culture.localhost:{urlparse(live_server.url).port}"
    page.goto(base + "/c/livres/")
    assert page.locator("#results-title").inner_text() == "3 produits"
    page.evaluate("window.notReloaded = true")

    page.get_by_label("Victor Hugo").check()

    page.wait_for_url(lambda url: "auteur=Victor" in url)
    page.wait_for_function("document.querySelector('#results-title').innerText === '2 produits'")
    assert page.evaluate("window.notReloaded") is True  # swapped, not reloaded
    assert "Germinal" not in page.locator("#listing").inner_text()
    # Focus comes back to the ticked box after the swap (stable ids).
    assert page.evaluate("document.activeElement.value") == "Victor Hugo"

    page.select_option("#sort-select", "prix-decroissant")
    page.wait_for_url(lambda url: "tri=prix-decroissant" in url and "auteur=Victor" in url)
    titles = page.locator(".product-title").all_inner_texts()
    assert titles == ["Notre-Dame de Paris", "Les Misérables"]

    page.locator(".product-title", has_text="Notre-Dame de Paris").click()
    page.wait_for_url("**/p/notre-dame/")
    assert page.locator("h1").inner_text() == "Notre-Dame de Paris"
