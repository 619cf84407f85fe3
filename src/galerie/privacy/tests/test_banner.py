"""The consent banner in the page HTML: the same for every visitor (the page cache may serve
it to anyone), hidden until privacy/consent.js shows it, no inline script, no cookie set."""

import pytest
from django.test import Client

from galerie.testing.factories import make_storefront

pytestmark = pytest.mark.django_db

HOST = "culture.localhost"


def test_cached_home_page_carries_the_hidden_banner_and_sets_no_consent_cookie():
    make_storefront("culture")
    first, second = Client(HTTP_HOST=HOST).get("/"), Client(HTTP_HOST=HOST).get("/")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    for response in (first, second):
        body = response.content.decode()
        assert 'id="cookie-consent"' in body and "hidden>" in body.split('id="cookie-consent"')[1]
        assert 'src="/static/privacy/consent.js"' in body
        assert 'data-consent="refuse"' in body and 'data-consent="accept"' in body
        assert "galerie_consent" not in response.cookies
        assert 'href="/cookies/" data-consent-open' in body
