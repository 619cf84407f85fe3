"""Drive the checkout through HTTP like a browser without JavaScript would."""

import re

ADDRESS = {
    "shipping-name": "Marie Curie",
    "shipping-line1": "11 rue Pierre et Marie Curie",
    "shipping-postcode": "75005",
    "shipping-city": "Paris",
    "shipping-country": "FR",
    "billing_same": "on",
}
CARD_OK = "4242 4242 4242 4242"
CARD_DECLINED = "4000 0000 0000 0002"
CARD_3DS = "4000 0000 0000 3220"


def add_to_cart(client, *offers, quantity=1):
    for offer in offers:
        response = client.post("/panier/ajouter/", {"offer_id": offer.pk, "quantity": quantity})
        assert response.status_code == 302, response


def fill_address(client, *, email: str | None = "marie@example.fr", **extra):
    data = {**ADDRESS, **extra}
    if email is not None:
        data["email"] = email
    response = client.post("/commande/", data)
    assert response.status_code == 302 and response["Location"] == "/commande/livraison/", (
        response.content.decode()[:3000]
    )


def choose_delivery(client) -> dict[str, str]:
    page = client.get("/commande/livraison/")
    assert page.status_code == 200
    choices = dict(
        re.findall(r'name="(delivery_\d+)" value="(\d+)" checked', page.content.decode())
    )
    assert choices, "no delivery option pre-selected"
    response = client.post("/commande/livraison/", choices)
    assert response.status_code == 302 and response["Location"] == "/commande/recapitulatif/"
    return choices


def recap(client):
    page = client.get("/commande/recapitulatif/")
    assert page.status_code == 200, page
    html = page.content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', html)[1]
    return html, key


def place(client, key: str, *, method: str = "card"):
    return client.post("/commande/valider/", {"idempotency_key": key, "payment_method": method})


def checkout(client, *, method: str = "card", email: str | None = "marie@example.fr"):
    """Address → delivery → recap → place; returns the place response and the recap HTML."""
    fill_address(client, email=email)
    choose_delivery(client)
    html, key = recap(client)
    return place(client, key, method=method), html


def pay_by_card(client, hosted_url: str, card: str, capture):
    """Type a test card on the simulated provider's hosted page (webhooks run on commit)."""
    with capture(execute=True):
        return client.post(hosted_url, {"card_number": card, "expiry": "12/30", "cvc": "123"})
