"""Reviews API: public list with count, average and policy; a customer's review (session)."""

import json

import pytest
from django.test import Client

from galerie.reviews.models import Review
from galerie.reviews.services import review_publish, review_submit

pytestmark = pytest.mark.django_db

URL = "/api/storefronts/culture/products/germinal/reviews"
GOOD = {"rating": 4, "title": "Bien", "body": "Conforme à la description."}


def post(client, body, url=URL):
    return client.post(url, json.dumps(body), content_type="application/json")


def logged(user):
    client = Client(HTTP_HOST="culture.localhost")
    client.force_login(user)
    return client


def test_list_is_public_and_shows_only_published_reviews(shop):
    shop.buy(shop.marie)
    shop.buy(shop.paul)
    review_publish(review=review_submit(customer=shop.marie, product=shop.germinal, **GOOD))
    review_submit(customer=shop.paul, product=shop.germinal, **{**GOOD, "rating": 1})

    body = Client().get(URL).json()

    assert body["count"] == 1 and body["average"] == "4.0"
    assert [(r["author"], r["rating"]) for r in body["items"]] == [("Marie C.", 4)]
    assert body["policy_url"] == "/avis/politique/" and "vérifiés" in body["policy"]
    assert Client().get(URL.replace("germinal", "inconnu")).status_code == 404


def test_a_verified_buyer_posts_a_review(shop):
    shop.buy(shop.marie)

    response = post(logged(shop.marie), GOOD)

    assert response.status_code == 201 and response.json()["status"] == "pending"
    assert Review.objects.get().author_name == "Marie C."


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"rating": 0}, 422, "invalid_params"),
        ({"rating": 6}, 422, "invalid_params"),
        ({"body": "b" * 2001}, 422, "invalid_params"),
        ({"extra": 1}, 422, "invalid_params"),
        ({"order_line_id": 999999}, 404, "order_line_not_found"),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(shop, change, status, code):
    shop.buy(shop.marie)

    response = post(logged(shop.marie), {**GOOD, **change})

    assert response.status_code == status and response.json()["code"] == code
    assert not Review.objects.exists()


def test_anonymous_foreign_line_not_a_buyer_and_twice_are_refused(shop):
    pauls = shop.buy(shop.paul)
    assert post(Client(), GOOD).status_code == 401
    marie = logged(shop.marie)
    not_buyer = post(marie, GOOD)
    assert (not_buyer.status_code, not_buyer.json()["code"]) == (403, "review_not_verified_buyer")
    shop.buy(shop.marie)
    foreign = post(marie, {**GOOD, "order_line_id": pauls.pk})
    assert foreign.status_code == 404
    assert post(marie, GOOD).status_code == 201
    twice = post(marie, GOOD)
    assert (twice.status_code, twice.json()["code"]) == (409, "review_already_written")
    assert Review.objects.count() == 1
