"""One truth across processes: two real `galerie serve` processes on one database, a seller's
price and stock change made by a third process, and every following anonymous request to the
product page, the listing and the API, spread over both servers, shows the new values.

The servers and the writer run on their own database (a SQLite file, or a fresh PostgreSQL
database on the PostgreSQL pass), never the test database: three processes must share it.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from decimal import Decimal

import pytest
from django.conf import settings

from galerie.core.money import format_money

pytestmark = pytest.mark.servers

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
HOST = "hightech.localhost"

# Run in a separate process on the servers' database: pick a hi-tech product with two
# purchasable offers, all new, and the lowest price in its category ("best"), so that, made
# cheaper than that, it heads the category sorted by price.
PICK = """
import json
from galerie.sellers.selectors import offers_purchasable
from galerie.catalog.models import Product
from django.db.models import Min
def fits(product):
    offers = list(offers_purchasable().filter(product=product).order_by("price", "pk"))
    new_only = all(o.condition == "new" for o in offers)
    return offers if len(offers) >= 2 and new_only else None
for product in Product.objects.filter(
    in_stock=True, offer_count__gte=2, category__slug__in=CATEGORIES
).order_by("best_price", "pk"):
    offers = fits(product)
    if offers:
        break
print(json.dumps({
    "slug": product.slug,
    "category": product.category.slug,
    "cheap": offers[0].pk,
    "other": offers[1].pk,
    "best": str(
        Product.objects.filter(category=product.category, in_stock=True)
        .aggregate(m=Min("best_price"))["m"]
    ),
}))
"""

PICK_HIGHTECH = (
    "from galerie.storefronts.models import Storefront\n"
    "from galerie.storefronts.selectors import storefront_category_ids\n"
    "from galerie.catalog.models import Category\n"
    "CATEGORIES = list(Category.objects.filter(pk__in=storefront_category_ids("
    "Storefront.objects.get(slug='hightech'))).values_list('slug', flat=True))\n" + PICK
)

# The seller service changes one offer's price below every other and sells out another.
CHANGE = """
import json, sys
from decimal import Decimal
from galerie.sellers.models import Offer
from galerie.sellers.services import offer_update
args = json.loads(sys.argv[1])
offer_update(offer=Offer.objects.get(pk=args["other"]), price=Decimal(args["price"]))
offer_update(offer=Offer.objects.get(pk=args["cheap"]), stock=0)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    var = tmp_path_factory.mktemp("fresh-var")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(GALERIE_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="galerie.settings")
    # `galerie serve` as deployed, minus TLS: plain http on loopback, no card simulator.
    env.update(GALERIE_HTTPS="0", GALERIE_PAYMENT_SIMULATOR="0")
    dbname = None
    if ON_POSTGRES:
        import psycopg

        base = settings.DATABASES["default"]
        dbname = f"galerie_fresh_{uuid.uuid4().hex[:8]}"
        dsn = f"host={base['HOST']} port={base['PORT'] or 5432} user={base['USER']} dbname=postgres"
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')
        env["DATABASE_URL"] = (
            f"postgres://{base['USER']}@{base['HOST']}:{base['PORT'] or 5432}/{dbname}"
        )
    yield env
    if dbname:
        import psycopg

        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def _galerie(env, *args, timeout=300) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "galerie.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _python(env, code: str, *args) -> str:
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _get(port: int, path: str) -> tuple[int, dict, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": HOST})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def _wait_up(port: int, process) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "server exited"
        try:
            if _get(port, "/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"server on port {port} did not answer")


@pytest.fixture(scope="module")
def servers(environment):
    _galerie(environment, "migrate", "--no-input", "-v", "0")
    _galerie(environment, "loaddemo", "--products", "120")
    processes, ports = [], []
    for _ in range(2):
        port = _free_port()
        process = subprocess.Popen(  # noqa: S603 - our own command
            [sys.executable, "-m", "galerie.cli", "serve", "--host", "127.0.0.1"]
            + ["--port", str(port), "--workers", "1"],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(process)
        ports.append(port)
    try:
        for port, process in zip(ports, processes, strict=True):
            _wait_up(port, process)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def test_every_request_after_a_change_shows_it_on_both_servers(environment, servers):
    picked = json.loads(_python(environment, PICK_HIGHTECH))
    product_path = f"/p/{picked['slug']}/"
    listing_path = f"/c/{picked['category']}/?tri=prix-croissant"
    api_path = f"/api/storefronts/hightech/products/{picked['slug']}"
    paths = [product_path, listing_path, api_path]
    # Both servers cache every page first, as they would in a live mall.
    for port in servers:
        for path in paths:
            for _ in range(2):
                assert _get(port, path)[0] == 200
    assert _get(servers[0], product_path)[1].get("X-Page-Cache") == "hit"

    new_price = (Decimal(picked["best"]) - Decimal("0.37")).quantize(Decimal("0.01"))
    assert new_price > 0
    _python(environment, CHANGE, json.dumps({**picked, "price": str(new_price)}))

    shown = format_money(new_price, "EUR", "fr_FR")
    for i in range(20):
        port = servers[i % 2]
        path = paths[(i // 2) % 3]
        status, _headers, body = _get(port, path)
        assert status == 200, (port, path, status)
        if path == api_path:
            data = json.loads(body)
            offer_ids = [o["id"] for o in data["offers"]]
            assert Decimal(str(data["buy_box"]["price"])) == new_price, (i, port, path)
            assert picked["cheap"] not in offer_ids, "a sold-out offer is still listed"
            assert Decimal(str(data["best_price"])) == new_price
        else:
            assert shown in body, (i, port, path)
            if path == product_path:
                assert f'value="{picked["cheap"]}"' not in body, "sold-out offer still offered"
