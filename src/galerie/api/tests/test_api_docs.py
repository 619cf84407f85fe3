"""docs/api.md tells the truth: its tested curl examples run against a live server, in order, and
print what the document says they print; its limits are the ones the code enforces.

A block fenced as ```sh tested runs in one bash session with the blocks before it (so shell
variables such as $CART or $ORDER carry over), under `set -euo pipefail`. The ```text expected
block right after it, if any, lists lines that must appear in that block's output, in order;
`…` stands for any text. The session gets $GALERIE (the mall host) and $SHOP (the storefront's
host) from the test, as the document's first block sets them for the demo, and $SELLER_TOKEN from
the document's ```python tested snippet, run here as `galerie shell` would run it.
"""

import io
import os
import re
import shutil
import subprocess
from contextlib import redirect_stdout
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model

from galerie.api.seller import PAGE_LIMIT_MAX, PAGE_OFFSET_MAX, Limit, Offset
from galerie.api.urls import api
from galerie.orders.limits import LINE_QUANTITY_MAX as MAX_LINE_QUANTITY
from galerie.orders.models import Order, OrderStatus
from galerie.pricing.services import tax_rates_ensure
from galerie.sellers.limits import OFFER_BOUNDS
from galerie.sellers.models import Offer, SellerMember
from galerie.testing.factories import (
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_storefront,
)

API_MD = Path(__file__).resolve().parents[4] / "docs" / "api.md"
FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _fences() -> list[tuple[list[str], str]]:
    return [(m.group(1).split(), m.group(2)) for m in FENCE.finditer(API_MD.read_text())]


def _blocks() -> list[tuple[str, str | None]]:
    """The tested shell blocks of docs/api.md, each with its expected output (or None)."""
    fences = _fences()
    blocks = []
    for n, (info, body) in enumerate(fences):
        if info[:2] == ["sh", "tested"]:
            after = fences[n + 1] if n + 1 < len(fences) else ([], "")
            blocks.append((body, after[1] if after[0][:2] == ["text", "expected"] else None))
    return blocks


def _matches(expected: str, output: str) -> bool:
    """Every expected line matches a whole output line, in order (`…` is a wildcard)."""
    lines = iter(line.strip() for line in output.splitlines())
    for want in filter(None, (line.strip() for line in expected.splitlines())):
        pattern = re.compile(".*".join(re.escape(part) for part in want.split("…")))
        if not any(pattern.fullmatch(line) for line in lines):
            return False
    return True


def test_the_document_has_tested_examples():
    blocks = _blocks()
    assert len(blocks) >= 8
    assert all(expected is not None for _body, expected in blocks)
    assert [info[:2] for info, _body in _fences()].count(["python", "tested"]) == 1


def _seller_token_from_the_document() -> str:
    """Run the document's demo snippet (as `galerie shell` would) and return what it prints."""
    (snippet,) = [body for info, body in _fences() if info[:2] == ["python", "tested"]]
    printed = io.StringIO()
    with redirect_stdout(printed):
        exec(snippet, {})  # noqa: S102 (the document's own example)
    return printed.getvalue().strip()


@pytest.fixture
def shop():
    """The demo's names: the storefront `galerie` with one product sold by the seller
    `librairie-du-marche`, and the user `admin` (who is no member of it yet)."""
    tax_rates_ensure()  # the seeded VAT rates, which a transactional test's flush drops
    books = make_category("Livres", slug="livres")
    make_storefront("galerie", name="Galerie Culture", categories=[books])
    seller = make_seller("Librairie du Marché", slug="librairie-du-marche")
    offer = make_offer(
        make_product("Germinal", slug="germinal", category=books),
        seller=seller,
        price="9.20",
        stock=5,
        sku="GERM-1",
    )
    get_user_model().objects.create_user("admin", "admin@example.fr")
    return offer


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_documented_curl_examples_run(live_server, shop, tmp_path):
    for tool in ("bash", "curl", "jq", "openssl"):
        assert shutil.which(tool), f"docs/api.md's examples need {tool} on the PATH"
    offer = shop
    secret = _seller_token_from_the_document()
    assert SellerMember.objects.get(seller=offer.seller).user.username == "admin"
    port = urlparse(live_server.url).port
    blocks = _blocks()
    script = ["set -euo pipefail"]
    for n, (body, _expected) in enumerate(blocks):
        script += [f"printf '\\n@@ block {n}\\n'", body]
    env = {
        **os.environ,
        "GALERIE": f"http://localhost:{port}",
        "SHOP": f"http://galerie.localhost:{port}",
        "SELLER_TOKEN": secret,
        "no_proxy": "*",  # the live server is on loopback, whatever proxy the machine uses
    }

    run = subprocess.run(  # noqa: S603 (the document's own examples)
        ["bash", "-c", "\n".join(script)],  # noqa: S607
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    outputs = re.split(r"^@@ block \d+\n", run.stdout, flags=re.MULTILINE)[1:]
    failed = max(len(outputs) - 1, 0)
    assert run.returncode == 0, (
        f"block {failed} failed:\n{blocks[failed][0]}\n"
        f"--- stdout\n{outputs[-1] if outputs else run.stdout}\n--- stderr\n{run.stderr}"
    )
    assert len(outputs) == len(blocks)
    for (body, expected), output in zip(blocks, outputs, strict=True):
        assert expected is None or _matches(expected, output), (
            f"{body}\n--- printed\n{output}\n--- docs/api.md expects\n{expected}"
        )
    # What the examples did, seen from the database: one paid order, the offer updated.
    order = Order.objects.get()
    assert order.status == OrderStatus.PAID and order.email == "marie@example.fr"
    offer = Offer.objects.get(pk=offer.pk)
    assert (offer.stock, offer.lead_time_days) == (12, 3)


def test_the_documented_limits_are_the_enforced_ones():
    text = API_MD.read_text()
    catalogue = api.get_openapi_schema()["paths"]["/api/storefronts/{slug}/products"]["get"]
    per_page = next(p["schema"] for p in catalogue["parameters"] if p["name"] == "per_page")
    rows = [
        # The seller API's fields (the purchase cost is the portal's, not the API's).
        *(
            f"| `{field}` | {low} | {high} |"
            for field, (low, high) in OFFER_BOUNDS.items()
            if field != "purchase_cost"
        ),
        f"| `offset` | 0 | {PAGE_OFFSET_MAX} | {Offset.default} |",
        f"| `limit` | 1 | {PAGE_LIMIT_MAX} | {Limit.default} |",
        f"| `per_page` | {per_page['minimum']} | {per_page['maximum']} | {per_page['default']} |",
        f"| `quantity` | 1 | {MAX_LINE_QUANTITY} |",
    ]
    for row in rows:
        assert row in text, f"docs/api.md should have the row {row!r}"
