"""The notice form through HTTP: linked from the cached product page, open to anonymous visitors,
refusing bad input with nothing written, throttled, CSRF-protected, 404 on what is not on sale."""

import pytest
from django.core import mail
from django.test import Client

from galerie.moderation.models import Notice, NoticeCategory
from galerie.sellers.services import offer_update
from galerie.testing.factories import make_category, make_offer, make_product, make_storefront

pytestmark = pytest.mark.django_db

HOST = "culture.localhost"
VALID = {
    "category": NoticeCategory.COUNTERFEIT,
    "explanation": "Faux sac de marque : logo mal imprimé.",
    "reporter_name": "Marie Curie",
    "reporter_email": "marie@example.fr",
    "good_faith": "on",
}


@pytest.fixture
def offer():
    books = make_category("Livres", slug="livres")
    make_storefront("culture", categories=[books])
    return make_offer(make_product("Sac", category=books), price="20.00", stock=3)


@pytest.fixture
def client():
    return Client(HTTP_HOST=HOST)


def _url(offer, *, with_offer=True):
    base = f"/signalement/produit/{offer.product_id}/"
    return f"{base}offre/{offer.pk}/" if with_offer else base


def test_the_product_page_links_each_offer_and_the_product_to_the_form(client, offer):
    page = client.get(f"/p/{offer.product.slug}/").content.decode()

    assert f'href="{_url(offer)}"' in page
    assert f'href="{_url(offer, with_offer=False)}"' in page
    assert "Signaler un contenu illicite" in page


def test_an_anonymous_visitor_reports_an_offer_and_is_acknowledged(
    client, offer, django_capture_on_commit_callbacks
):
    assert client.get(_url(offer)).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(offer), VALID)

    notice = Notice.objects.get()
    assert response.status_code == 200
    assert notice.reference in response.content.decode()
    assert (notice.product_id, notice.offer_id) == (offer.product_id, offer.pk)
    assert notice.storefront.slug == "culture"
    assert [m.to for m in mail.outbox] == [["marie@example.fr"]]


def test_a_product_notice_names_no_offer(client, offer):
    response = client.post(_url(offer, with_offer=False), VALID)

    assert response.status_code == 200
    assert Notice.objects.get().offer is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"explanation": ""}, "obligatoire"),
        ({"explanation": "x" * 5001}, "5000"),
        ({"reporter_email": ""}, "adresse e-mail"),
        ({"reporter_email": "marie@"}, "adresse"),
        ({"good_faith": ""}, "obligatoire"),
        ({"category": "rumeur"}, "rumeur"),
    ],
)
def test_bad_input_is_shown_on_the_form_and_nothing_is_written(client, offer, changes, message):
    response = client.post(_url(offer), {**VALID, **changes})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Notice.objects.exists()
    assert mail.outbox == []


def test_a_child_abuse_notice_needs_no_name_nor_e_mail(client, offer):
    data = {
        **VALID,
        "category": NoticeCategory.CHILD_ABUSE,
        "reporter_name": "",
        "reporter_email": "",
    }

    assert client.post(_url(offer), data).status_code == 200
    assert Notice.objects.get().reporter_email == ""


def test_unknown_foreign_or_withdrawn_content_is_not_found(client, offer):
    other = make_offer()  # a product of another category, not in this storefront
    assert client.get(f"/signalement/produit/{offer.product_id + 999}/").status_code == 404
    assert (
        client.get(f"/signalement/produit/{offer.product_id}/offre/{other.pk}/").status_code == 404
    )

    offer_update(offer=offer, is_active=False)  # withdrawn: the product has no offer on sale left

    assert client.get(_url(offer)).status_code == 404
    assert client.post(_url(offer, with_offer=False), VALID).status_code == 404
    assert not Notice.objects.exists()


def test_notices_are_throttled_per_address(client, offer):
    for _ in range(10):
        assert client.post(_url(offer), VALID).status_code == 200

    response = client.post(_url(offer), VALID)

    assert response.status_code == 429
    assert "Trop de signalements" in response.content.decode()
    assert Notice.objects.count() == 10


def test_a_post_without_the_csrf_token_is_refused(offer):
    strict = Client(HTTP_HOST=HOST, enforce_csrf_checks=True)

    assert strict.post(_url(offer), VALID).status_code == 403
    assert not Notice.objects.exists()
