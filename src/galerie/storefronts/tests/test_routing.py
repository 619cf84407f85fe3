import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from galerie.storefronts.middleware import StorefrontMiddleware
from galerie.storefronts.models import StorefrontHost
from galerie.storefronts.selectors import storefront_category_ids, storefront_for_host
from galerie.testing.factories import make_category, make_storefront

pytestmark = pytest.mark.django_db


def _through_middleware(host: str, cookies: dict | None = None):
    seen = {}

    def view(request):
        from django.utils.translation import get_language

        seen.update(storefront=request.storefront, mall=request.is_mall_host, lang=get_language())
        return HttpResponse("ok")

    request = RequestFactory().get("/", HTTP_HOST=host)
    request.COOKIES.update(cookies or {})
    response = StorefrontMiddleware(view)(request)
    return seen, response


def test_host_resolves_to_its_storefront_whatever_the_port_and_case():
    culture = make_storefront("culture")
    seen, _ = _through_middleware("CULTURE.localhost:8123")
    assert seen["storefront"] == culture and not seen["mall"]


def test_mall_host_and_unknown_host_have_no_storefront():
    make_storefront("culture")
    assert _through_middleware("localhost:8000")[0] == {
        "storefront": None,
        "mall": True,
        "lang": "fr",
    }
    seen, _ = _through_middleware("inconnu.localhost:8000")
    assert seen["storefront"] is None and not seen["mall"]


def test_inactive_storefront_is_not_served():
    make_storefront("ferme", is_active=False)
    assert storefront_for_host("ferme.localhost") is None


def test_storefront_language_is_the_default_and_the_visitors_choice_wins():
    make_storefront("tech", language="en")
    assert _through_middleware("tech.localhost")[0]["lang"] == "en"
    seen, response = _through_middleware("tech.localhost", {"django_language": "fr"})
    assert seen["lang"] == "fr" and response["Content-Language"] == "fr"
    assert _through_middleware("tech.localhost", {"django_language": "xx"})[0]["lang"] == "en"


def test_extra_host_names_route_to_the_same_storefront():
    culture = make_storefront("culture")
    StorefrontHost.objects.create(
        storefront=culture, hostname=" Culture.Example.FR ", is_primary=False
    )
    assert storefront_for_host("culture.example.fr") == culture


def test_assortment_includes_descendants_only_of_its_roots():
    books = make_category("Livres")
    novels = make_category("Romans", parent=books)
    phones = make_category("Téléphones")
    culture = make_storefront("culture", categories=[books])
    assert set(storefront_category_ids(culture)) == {books.pk, novels.pk}
    assert phones.pk not in storefront_category_ids(culture)


def test_an_edited_host_is_served_at_once_after_the_cache_is_cleared():
    from galerie.storefronts.selectors import storefront_cache_clear

    culture = make_storefront("culture")
    assert storefront_for_host("livres.localhost") is None  # cached as unknown
    StorefrontHost.objects.create(storefront=culture, hostname="livres.localhost")
    storefront_cache_clear(storefront_id=culture.pk)
    assert storefront_for_host("livres.localhost") == culture
