"""A storefront's legal pages through HTTP: the page in the storefront's layout, 404 when it does
not exist here, and footer links to the pages that exist."""

import pytest
from django.contrib.auth import get_user_model

from galerie.storefronts.models import StorefrontPage
from galerie.web.tests.conftest import get

pytestmark = pytest.mark.django_db


def _page(storefront, kind="cgv", **kw):
    kw.setdefault("title", "Conditions générales de vente")
    kw.setdefault("body", "Article 1.\nLes prix sont TTC.\n\nArticle 2 : <b>paiement</b>.")
    return StorefrontPage.objects.create(storefront=storefront, kind=kind, **kw)


def test_legal_page_is_shown_in_the_storefronts_layout(client, mall):
    _page(mall.culture)

    response = get(client, "culture", "/pages/cgv/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in body and "Conditions générales de vente" in body
    # Plain text: lines and paragraphs kept, markup escaped.
    assert "<p>Article 1.<br>Les prix sont TTC.</p>" in body
    assert "&lt;b&gt;paiement&lt;/b&gt;" in body
    assert "Culture</a>" in body  # the storefront's logo text in its header


def test_absent_or_unknown_legal_page_is_a_404(client, mall):
    _page(mall.culture)

    assert get(client, "hightech", "/pages/cgv/").status_code == 404
    assert get(client, "culture", "/pages/livraison/").status_code == 404
    assert get(client, "culture", "/pages/inconnue/").status_code == 404


def test_footer_links_only_the_pages_that_exist(client, mall):
    _page(mall.culture, "mentions-legales", title="Mentions légales")
    _page(mall.culture, "retours", title="Retours")

    body = get(client, "culture", "/").content.decode()
    other = get(client, "hightech", "/").content.decode()

    assert 'href="/pages/mentions-legales/"' in body and 'href="/pages/retours/"' in body
    assert 'href="/pages/cgv/"' not in body
    assert "/pages/" not in other


def test_footer_links_cost_no_query_once_the_storefront_is_cached(
    client, mall, django_assert_max_num_queries
):
    _page(mall.culture, "mentions-legales", title="Mentions légales")
    get(client, "culture", "/classement/")  # caches the storefront and its page kinds

    with django_assert_max_num_queries(1) as queries:
        body = get(client, "culture", "/classement/").content.decode()

    assert 'href="/pages/mentions-legales/"' in body
    assert not any("storefrontpage" in q["sql"] for q in queries.captured_queries)


def test_page_edited_in_the_admin_shows_at_once(
    client, mall, settings, django_capture_on_commit_callbacks
):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    host = sorted(settings.GALERIE_ADMIN_HOSTS)[0]
    get(client, "culture", "/")  # the storefront is cached without pages
    form = {
        "name": "Culture",
        "slug": "culture",
        "tagline": "",
        "language": "fr",
        "is_active": "on",
        "logo_text": "Culture",
        "primary_color": "#1d3557",
        "accent_color": "#e63946",
        "categories": [mall.books.pk],
        "hosts-TOTAL_FORMS": "1",
        "hosts-INITIAL_FORMS": "1",
        "hosts-0-id": mall.culture.hosts.get().pk,
        "hosts-0-storefront": mall.culture.pk,
        "hosts-0-hostname": "culture.localhost",
        "hosts-0-is_primary": "on",
        "pages-TOTAL_FORMS": "1",
        "pages-INITIAL_FORMS": "0",
        "pages-0-kind": "livraison",
        "pages-0-title": "Livraison",
        "pages-0-body": "Sous 48 heures.",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/storefronts/storefront/{mall.culture.pk}/change/", form, HTTP_HOST=host
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    body = get(client, "culture", "/").content.decode()
    assert 'href="/pages/livraison/"' in body
    assert "Sous 48 heures." in get(client, "culture", "/pages/livraison/").content.decode()
