"""A storefront's trust pages through HTTP: every kind shown in the storefront's layout with its
default text until the back office writes one, Markdown rendered sanitised, footer links on every
page, and edits in the admin for those allowed to make them."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from galerie.core.roles import roles_sync
from galerie.storefronts.models import Storefront, StorefrontPage, StorefrontPageKind
from galerie.web.tests.conftest import get

pytestmark = pytest.mark.django_db


def _page(storefront, kind="cgv", **kw):
    kw.setdefault("title", "Conditions générales de vente")
    kw.setdefault("body", "Article 1.\nLes prix sont TTC.\n\nArticle 2 : <b>paiement</b>.")
    return StorefrontPage.objects.create(storefront=storefront, kind=kind, **kw)


def test_every_kind_renders_its_default_on_a_fresh_storefront(client, mall, settings):
    mall.operator.address = "12 rue de la Paix\n75002 Paris"
    mall.operator.email = "service@galerie.example"
    mall.operator.siren = "552100554"
    mall.operator.save()
    assert not mall.culture.pages.exists()

    for kind in StorefrontPageKind:
        response = get(client, "culture", f"/pages/{kind.value}/")
        body = response.content.decode()
        assert response.status_code == 200, kind
        assert f'<h1 id="legal-page-title">{kind.label}</h1>' in body, kind
        assert "Mise à jour le" not in body  # a default, not an edit
        assert "{{" not in body and "{%" not in body

    contact = get(client, "culture", "/pages/contact/").content.decode()
    assert "Galerie SA" in contact and "12 rue de la Paix, 75002 Paris" in contact
    assert '<a href="mailto:service@galerie.example"' in contact
    assert settings.GALERIE_MEDIATOR_NAME in contact and "médiateur de la consommation" in contact
    notice = get(client, "culture", "/pages/mentions-legales/").content.decode()
    assert "SIREN 552100554" in notice and "Culture est une boutique" in notice
    sell = get(client, "culture", "/pages/vendre/").content.decode()
    assert 'href="/vendeur/candidature/"' in sell and 'href="/classement/"' in sell
    privacy = get(client, "culture", "/pages/confidentialite/").content.decode()
    assert "<h2>Cookies</h2>" in privacy


def test_a_written_page_replaces_the_default_and_plain_text_still_reads(client, mall):
    _page(mall.culture, body="Article 1.\nLes prix sont TTC.\n\nArticle 2 : paiement.")

    body = get(client, "culture", "/pages/cgv/").content.decode()

    assert "<p>Article 1.<br>\nLes prix sont TTC.</p>\n<p>Article 2 : paiement.</p>" in body
    assert "Mise à jour le" in body
    assert "Culture</a>" in body  # the storefront's logo text in its header
    # The other storefront still shows its default.
    assert "Article 1." not in get(client, "hightech", "/pages/cgv/").content.decode()


def test_markdown_is_rendered_and_sanitised(client, mall):
    _page(
        mall.culture,
        body=(
            "# Prix\n\n**Toutes taxes comprises**, voir [le barème](https://example.fr/bareme) "
            "ou [la livraison](/pages/livraison/) ou [écrire](mailto:a@example.fr).\n\n"
            "<script>alert('x')</script><img src=x onerror=alert(1)>"
            '[piège](javascript:alert(1)) <a href="javascript:alert(2)" onclick="f()">lien</a>'
            '<iframe src="https://evil.example"></iframe><style>body{display:none}</style>\n\n'
            "- un\n- deux"
        ),
    )

    html = get(client, "culture", "/pages/cgv/").content.decode()
    article = html[html.index('<article class="legal-page"') : html.index("</article>")]

    assert "<h2>Prix</h2>" in article and "<h1" not in article.replace('<h1 id="legal', "")
    assert "<strong>Toutes taxes comprises</strong>" in article
    assert '<a href="https://example.fr/bareme" rel="noopener noreferrer">le barème</a>' in article
    assert 'href="/pages/livraison/"' in article and 'href="mailto:a@example.fr"' in article
    assert "<ul>\n<li>un</li>" in article
    for bad in ("<script", "alert(", "onerror", "onclick", "javascript:", "<img", "<iframe",
                "<style", "display:none"):  # fmt: skip
        assert bad not in article, bad
    assert ">piège</a>" in article and ">lien</a>" in article  # the text stays, unlinked


def test_unknown_kind_is_a_404(client, mall):
    assert get(client, "culture", "/pages/inconnue/").status_code == 404
    assert client.get("/pages/cgv/", HTTP_HOST="localhost").status_code == 404


def test_footer_links_every_trust_page_on_every_storefront(client, mall):
    for slug in ("culture", "hightech"):
        body = get(client, slug, "/").content.decode()
        footer = body[body.index('<footer class="site-footer">') :]
        for kind in StorefrontPageKind.values:
            assert f'href="/pages/{kind}/"' in footer, (slug, kind)
        assert '<a href="/classement/">Comment les offres sont classées</a>' in footer
        assert ">Vendre sur Galerie</a>" in footer and ">Confidentialité et cookies</a>" in footer


def test_footer_and_pages_speak_english(client, mall):
    client.cookies["django_language"] = "en"

    body = get(client, "culture", "/").content.decode()
    page = get(client, "culture", "/pages/contact/").content.decode()

    assert ">Legal notice</a>" in body and ">Terms and conditions of sale</a>" in body
    assert ">Privacy and cookies</a>" in body and ">Contact and customer service</a>" in body
    assert ">How offers are ranked</a>" in body and ">Sell on Galerie</a>" in body
    assert ">Returns and right of withdrawal</a>" in body
    # The default text is the French shop's legal text; its title stays French with it.
    assert '<h1 id="legal-page-title">Contact et service client</h1>' in page


def test_footer_links_cost_no_query_once_the_storefront_is_cached(
    client, mall, django_assert_max_num_queries
):
    get(client, "culture", "/classement/")  # caches the storefront

    with django_assert_max_num_queries(1) as queries:
        body = get(client, "culture", "/classement/").content.decode()

    assert 'href="/pages/mentions-legales/"' in body
    assert not any("storefrontpage" in q["sql"] for q in queries.captured_queries)


# --- the back office ------------------------------------------------------------------------


def _storefront_form(mall, **pages):
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
        "pages-0-body": "Sous **48 heures**.",
    }
    form.update(pages)
    return form


def _staff(role: str | None) -> Client:
    roles_sync()
    user = get_user_model().objects.create_user(
        "staff", "staff@example.fr", password="pw-123456789", is_staff=True
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ["superuser", "Gestion du catalogue"])
def test_page_edited_in_the_admin_shows_at_once(
    client, mall, settings, role, django_capture_on_commit_callbacks
):
    if role == "superuser":
        editor = Client()
        editor.force_login(get_user_model().objects.create_superuser("root", "r@example.fr", "pw"))
    else:
        editor = _staff(role)
    host = sorted(settings.GALERIE_ADMIN_HOSTS)[0]
    assert "Sous" not in get(client, "culture", "/pages/livraison/").content.decode()  # cached

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            f"/admin/storefronts/storefront/{mall.culture.pk}/change/",
            _storefront_form(mall),
            HTTP_HOST=host,
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert (
        "Sous <strong>48 heures</strong>."
        in get(client, "culture", "/pages/livraison/").content.decode()
    )
    # Saving the storefront gave it the other pages, with their default text, to edit.
    assert set(mall.culture.pages.values_list("kind", flat=True)) == set(StorefrontPageKind.values)


@pytest.mark.parametrize("role", [None, "Service client", "Finance"])
def test_page_edit_is_refused_without_the_permission(client, mall, settings, role):
    editor = _staff(role)
    host = sorted(settings.GALERIE_ADMIN_HOSTS)[0]
    url = f"/admin/storefronts/storefront/{mall.culture.pk}/change/"

    assert editor.get(url, HTTP_HOST=host).status_code == 403
    response = editor.post(url, _storefront_form(mall), HTTP_HOST=host)

    assert response.status_code == 403
    assert not StorefrontPage.objects.exists()


def test_a_storefront_created_in_the_admin_gets_every_page(mall, settings):
    editor = Client()
    editor.force_login(get_user_model().objects.create_superuser("root", "r@example.fr", "pw"))
    host = sorted(settings.GALERIE_ADMIN_HOSTS)[0]
    form = {
        **_storefront_form(mall),
        "name": "Maison",
        "slug": "maison",
        "logo_text": "Maison",
        "hosts-INITIAL_FORMS": "0",
        "hosts-0-id": "",
        "hosts-0-storefront": "",
        "hosts-0-hostname": "maison.localhost",
    }

    response = editor.post("/admin/storefronts/storefront/add/", form, HTTP_HOST=host)

    assert response.status_code == 302, response.content.decode()[:2000]
    maison = Storefront.objects.get(slug="maison")
    pages = dict(maison.pages.values_list("kind", "body"))
    assert set(pages) == set(StorefrontPageKind.values)
    assert pages["livraison"] == "Sous **48 heures**."  # what the editor wrote is kept
    assert "Galerie SA" in pages["mentions-legales"] and "Maison" in pages["mentions-legales"]
