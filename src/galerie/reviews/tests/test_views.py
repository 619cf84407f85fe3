"""Reviews through HTTP: the form for verified buyers, the product page's block and its policy,
the policy page, moderation in the back office."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from galerie.core.roles import roles_sync
from galerie.reviews.models import Review, ReviewStatus
from galerie.reviews.services import review_publish, review_submit

pytestmark = pytest.mark.django_db

GOOD = {"rating": "5", "title": "Superbe", "body": "Une édition soignée, livrée vite."}


def client_of(user=None) -> Client:
    client = Client(HTTP_HOST="culture.localhost")
    if user is not None:
        client.force_login(user)
    return client


def test_a_verified_buyer_reviews_from_the_form_and_it_waits_for_moderation(shop):
    shop.buy(shop.marie)
    client = client_of(shop.marie)
    form = client.get("/avis/germinal/")
    assert form.status_code == 200 and 'name="rating"' in form.content.decode()

    response = client.post("/avis/germinal/", GOOD)

    assert response.status_code == 302 and response["Location"] == "/p/germinal/"
    review = Review.objects.get()
    assert review.status == ReviewStatus.PENDING and review.rating == 5
    assert "Superbe" not in client_of().get("/p/germinal/").content.decode()


@pytest.mark.parametrize(
    "bad",
    [{"rating": "0"}, {"rating": "6"}, {"body": "x" * 2001}, {"body": "court"}, {"title": ""}],
)
def test_bad_input_is_a_form_error_and_writes_nothing(shop, bad):
    shop.buy(shop.marie)

    response = client_of(shop.marie).post("/avis/germinal/", {**GOOD, **bad})

    assert response.status_code == 400
    assert response.context["form"].errors
    assert not Review.objects.exists()


def test_not_a_buyer_and_second_review_are_refused(shop):
    refused = client_of(shop.paul).post("/avis/germinal/", GOOD)
    assert refused.status_code == 403
    assert "Seuls les clients qui ont acheté ce produit" in refused.content.decode()

    shop.buy(shop.marie)
    client = client_of(shop.marie)
    client.post("/avis/germinal/", GOOD)
    again = client.post("/avis/germinal/", {**GOOD, "rating": "1"})
    assert again.status_code == 409
    assert list(Review.objects.values_list("rating", flat=True)) == [5]


def test_the_form_needs_a_login_and_a_product_of_this_storefront(shop):
    assert client_of().get("/avis/germinal/").status_code == 302
    assert client_of(shop.marie).get("/avis/inconnu/").status_code == 404


def test_product_page_shows_published_reviews_with_the_policy(shop):
    shop.buy(shop.marie)
    shop.buy(shop.paul)
    review_publish(review=review_submit(customer=shop.marie, product=shop.germinal, rating=5,
                                        title="Superbe", body="Une édition soignée."))  # fmt: skip
    review_submit(customer=shop.paul, product=shop.germinal, rating=1, title="Bof",
                  body="Pas encore modéré.")  # fmt: skip

    body = client_of().get("/p/germinal/").content.decode()

    block = body[body.index('class="reviews"') :]
    assert "5,0/5" in block and "1 avis" in block
    assert "Superbe" in block and "Marie C." in block and "Achat vérifié le" in block
    assert "Bof" not in block  # pending
    assert "Seuls les clients qui ont acheté ce produit" not in block
    assert "Aucun avis n'est rémunéré" in block
    assert 'href="/avis/politique/"' in block


def test_publishing_refreshes_the_cached_product_page(shop):
    shop.buy(shop.marie)
    review = review_submit(customer=shop.marie, product=shop.germinal, rating=4, title="Bien",
                           body="Conforme à la description.")  # fmt: skip
    assert "Conforme" not in client_of().get("/p/germinal/").content.decode()  # now cached

    review_publish(review=review)

    assert "Conforme" in client_of().get("/p/germinal/").content.decode()


def test_policy_page_states_what_the_law_asks(shop):
    body = client_of().get("/avis/politique/").content.decode()
    for words in ("L.111-7-2", "a acheté le produit", "Aucun avis n'est acheté",
                  "sous 5 jours", "informé par e-mail du refus et de son motif"):  # fmt: skip
        assert words in body


def test_catalogue_role_moderates_in_the_back_office(shop):
    roles_sync()
    shop.buy(shop.marie)
    review = review_submit(customer=shop.marie, product=shop.germinal, rating=4, title="Bien",
                           body="Conforme à la description.")  # fmt: skip
    staff = get_user_model().objects.create_user("cat", is_staff=True)
    staff.groups.add(Group.objects.get(name="Gestion du catalogue"))
    admin = Client()
    admin.force_login(staff)

    listing = admin.get("/admin/reviews/review/")
    ask = admin.post("/admin/reviews/review/",
                     {"action": "reject_reviews", "_selected_action": [review.pk]})  # fmt: skip
    assert listing.status_code == 200 and ask.status_code == 200  # the reason form
    assert Review.objects.get().status == ReviewStatus.PENDING
    admin.post("/admin/reviews/review/", {"action": "publish_reviews",
                                          "_selected_action": [review.pk]})  # fmt: skip
    assert Review.objects.get().status == ReviewStatus.PUBLISHED


def test_the_customers_order_page_links_each_shipped_line_to_its_review_form(shop):
    shipped = shop.buy(shop.marie)
    paid_only = shop.buy(shop.marie, what=shop.nana_offer, status="paid")
    client = client_of(shop.marie)

    shipped_page = client.get(f"/commandes/{shipped.order.public_id}/").content.decode()
    paid_page = client.get(f"/commandes/{paid_only.order.public_id}/").content.decode()

    assert 'href="/avis/germinal/">Donner mon avis' in shipped_page
    assert "Donner mon avis" not in paid_page
