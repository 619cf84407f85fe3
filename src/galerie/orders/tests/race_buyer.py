"""One buyer in its own OS process, for the cross-process race in test_concurrency.py.

    DATABASE_URL=<the test database> python -m galerie.orders.tests.race_buyer CART_ID KEY

Sets Django up, prints "ready", waits for one line on stdin (the start signal, sent to every
buyer at once), places the cart's order through the checkout and prints one JSON line: the
order number, or the error code.
"""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "galerie.settings")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")


def main() -> None:
    import django

    django.setup()
    from galerie.cart.models import Cart
    from galerie.checkout.services import checkout_place
    from galerie.core.errors import DomainError

    cart_id, key = int(sys.argv[1]), sys.argv[2]
    cart = Cart.objects.select_related("storefront").get(pk=cart_id)
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        result = checkout_place(
            storefront=cart.storefront,
            cart=cart,
            email="racer@example.fr",
            delivery_choices={},
            shipping_address={
                "name": "A. Client",
                "line1": "1 rue de la Paix",
                "postcode": "75002",
                "city": "Paris",
            },
            billing_address={},
            idempotency_key=key,
            payment_method="transfer",
        )
        answer = {"order": result.order.number, "replayed": result.replayed}
    except DomainError as error:
        answer = {"error": error.code}
    print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
