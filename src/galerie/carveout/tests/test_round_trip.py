"""The issue's round trip on the demo mall with its simulated year: export the hi-tech
storefront, import it into an empty installation and into one that already holds the same
products and sellers, verify it, and compare what its shoppers and its operator see."""

import datetime as dt
import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from galerie.carveout.export import storefront_export
from galerie.carveout.importer import storefront_import
from galerie.carveout.verify import storefront_verify
from galerie.catalog.models import Product
from galerie.core import clock
from galerie.demo.services import demo_load
from galerie.demo.simulation import simulate
from galerie.ledger.checks import ledger_check_run
from galerie.orders.selectors import order_access_token
from galerie.pricing.services import tax_rates_ensure
from galerie.reporting.selectors import economics
from galerie.storefronts.models import Storefront
from galerie.storefronts.selectors import storefront_category_ids

# Transactional: the simulated provider's webhooks are delivered on commit, as in the demo, and
# the "empty installation" is this database flushed.
pytestmark = pytest.mark.django_db(transaction=True)

MAIN = re.compile(r"<main\b[^>]*>(.*?)</main>", re.S)
TAG = re.compile(r"<[^>]+>")
# Per-installation details a shopper does not read as content: form tokens, ids in URLs.
NOISE = re.compile(r"csrfmiddlewaretoken\S*|[0-9a-f]{32}")


def _main_text(response) -> str:
    assert response.status_code == 200, (response.status_code, response.wsgi_request.path)
    html = response.content.decode()
    found = MAIN.search(html)
    text = TAG.sub(" ", found.group(1) if found else html)
    return " ".join(NOISE.sub("", unescape(text)).split())


def _facts(storefront: Storefront) -> dict:
    """What the storefront's shoppers and operator see: product pages, every customer's order
    history and orders, and the monthly P&L."""
    host = storefront.hosts.get(is_primary=True).hostname
    categories = storefront_category_ids(storefront)
    products = Product.objects.filter(category_id__in=categories, offer_count__gt=0)
    shop = Client(HTTP_HOST=host)
    pages = {
        product.gtin: _main_text(shop.get(f"/p/{product.slug}/"))
        for product in products.order_by("gtin")[:25]
    }
    history = {}
    customers = get_user_model().objects.filter(orders__storefront=storefront).distinct()
    for user in customers.order_by("email")[:15]:
        client = Client(HTTP_HOST=host)
        client.force_login(user)
        seen = [_main_text(client.get("/commandes/"))]
        for order in user.orders.filter(storefront=storefront).order_by("created_at", "pk"):
            seen.append(_main_text(client.get(order.get_absolute_url())))
        history[user.email] = seen
    guests = {}
    for order in storefront.orders.filter(user__isnull=True).order_by("created_at", "pk")[:20]:
        link = f"{order.get_absolute_url()}?t={order_access_token(order)}"
        guests[order.number] = _main_text(Client(HTTP_HOST=host).get(link))
    today = clock.localdate()
    rows = economics(
        start=dt.date(today.year - 2, 1, 1),
        end=today,
        group_by=["storefront", "month"],
        storefront_ids=[storefront.pk],
    )
    pnl = {
        row.month: (
            row.gmv,
            row.refunds,
            row.own_sales,
            row.delivery_revenue,
            row.commissions,
            row.cogs,
            row.payment_fees,
            row.delivery_costs,
            row.other_costs,
            row.fixed_costs,
            row.operating_result,
        )
        for row in rows
    }
    return {"pages": pages, "history": history, "guests": guests, "pnl": pnl}


def test_hightech_storefront_travels_whole_with_its_simulated_year(tmp_path):
    # Given the demo mall after a simulated year, and the hi-tech storefront's archive with a
    # cut-off five months back (history before it, every entry after it)
    tax_rates_ensure()
    demo_load(products=200)
    simulate(months=8, scale=0.05)
    hightech = Storefront.objects.get(slug="hightech")
    assert hightech.orders.count() > 10
    facts = _facts(hightech)
    assert facts["pages"] and facts["history"] | facts["guests"] and len(facts["pnl"]) >= 6
    cutoff = (clock.localdate().replace(day=1) - dt.timedelta(days=140)).replace(day=1)
    path = tmp_path / "hightech.zip"
    manifest = storefront_export(storefront=hightech, path=path, as_of=cutoff)
    assert manifest["counts"]["ledger_history"] > 0 and manifest["counts"]["ledger_entries"] > 0

    # When it is imported into an empty installation
    _new_installation()
    result = storefront_import(path=path)

    # Then it verifies, and its shoppers and its operator see what they saw at the source
    assert result.storefront.slug == "hightech"
    imported = _verified(path)
    assert _facts(imported) == facts

    # When it is imported into a mall that already holds the same products and sellers
    _new_installation()
    demo_load(products=200)
    products = Product.objects.count()
    result = storefront_import(path=path, rename_slug="hightech2", hosts=["hightech2.localhost"])

    # Then the products and sellers are merged, not doubled, and the storefront verifies with
    # the same order history and P&L (product pages show the target's own offers: a matched
    # offer keeps the target's stock and price)
    assert Product.objects.count() == products
    assert result.report["products"]["created"] == 0
    assert result.report["sellers"]["merged"] > 0 and result.report["sellers"]["created"] == 0, (
        result.report["sellers"]
    )
    imported = _verified(path)
    again = _facts(imported)
    assert again["history"] == facts["history"]
    assert again["guests"] == facts["guests"]
    assert again["pnl"] == facts["pnl"]
    # And importing the same archive again changes nothing
    assert storefront_import(path=path).already_done


def _new_installation() -> None:
    """This database emptied, as a freshly migrated one, with an empty cache (the cache outlives
    the flush in this process; another installation has its own)."""
    call_command("flush", interactive=False, verbosity=0)
    cache.clear()
    tax_rates_ensure()


def _verified(path) -> Storefront:
    storefront, checks = storefront_verify(path=path)
    assert [check for check in checks if not check.ok] == []
    assert [check for check in ledger_check_run() if not check.ok] == []
    return storefront
