"""Screenshots of the shop for the docs, at a laptop's 1,280 px and a phone's 390 px (full pages):

    uv run python -m galerie.testing.screenshots               # into docs/screenshots/
    uv run python -m galerie.testing.screenshots /tmp/shots --products 600

Builds a throwaway demo mall in a temporary folder (`galerie migrate`, `galerie loaddemo`; the
demo's own var/ is never touched, DATABASE_URL and REDIS_URL are ignored), serves it with
`galerie serve`, then Playwright and Debian's Chromium shoot the home, a listing, the product of
that listing sold by the most sellers, the cart holding two sellers' offers of it, and each
checkout step (contact and address filled in, delivery, recap), as `<width>-<n>-<page>.png`.
The demo is deterministic, so are the pages; only the delivery dates follow the calendar.
Not a test: run it after changing how the shop looks, and commit the PNGs.
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = "/usr/bin/chromium"
HOST = "galerie.localhost"  # the demo's culture storefront
LISTING_CATEGORY = "romans"
WIDTHS = (1280, 390)
DEVICES = {
    1280: {"viewport": {"width": 1280, "height": 800}},
    390: {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
GUEST = {
    "#id_email": "camille.martin@example.fr",
    "#id_shipping-name": "Camille Martin",
    "#id_shipping-line1": "12 rue des Lilas",
    "#id_shipping-postcode": "75011",
    "#id_shipping-city": "Paris",
}


def screenshot_pages() -> list[tuple[str, str]]:
    """(name, path) of the storefront pages shot before the cart, on HOST. Needs Django set up
    on the demo's database: the product is the one of the listing sold by the most sellers
    (then the oldest), so the offers list is as long as the demo has."""
    from django.db.models import Count, Q

    from galerie.catalog.models import Product

    on_sale = Q(offers__is_active=True, offers__stock__gt=0)
    product = (
        Product.objects.filter(on_sale, category__slug=LISTING_CATEGORY)
        .annotate(sellers=Count("offers__seller", distinct=True))
        .order_by("-sellers", "pk")
        .first()
    )
    pages = [("home", "/"), ("listing", f"/c/{LISTING_CATEGORY}/")]
    if product is not None:
        pages.append(("product", f"/p/{product.slug}/"))
    return pages


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(var: Path) -> dict[str, str]:
    from galerie.demo import DEMO_ENVIRONMENT

    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.pop("GALERIE_DEBUG", None)
    env.update(DEMO_ENVIRONMENT, GALERIE_VAR_DIR=str(var))
    env["DJANGO_SETTINGS_MODULE"] = "galerie.settings"
    return env


def _galerie(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "galerie.cli", *args], env=env, cwd=ROOT, check=True)


def _wait_until_up(process: subprocess.Popen, port: int, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"galerie serve exited ({process.returncode})")
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": HOST})
            with urllib.request.urlopen(request, timeout=60):  # noqa: S310 (http, loopback)
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"galerie serve did not answer on port {port} within {seconds:.0f} s")


def _shoot(page, out: Path, width: int, number: int, name: str) -> Path:
    path = out / f"{width}-{number}-{name}.png"
    # Lazy pictures load only once scrolled to, and the demo draws each on its first request:
    # make every one eager and wait until all have arrived before the full-page shot.
    page.evaluate(
        "document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')"
    )
    deadline = time.monotonic() + 60
    while not page.evaluate("[...document.images].every(i => i.complete)"):
        assert time.monotonic() < deadline, f"pictures still loading on {page.url}"
        page.wait_for_timeout(200)
    page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")
    return path


def shoot_all(base: str, pages: list[tuple[str, str]], out: Path) -> list[Path]:
    """Every page at every width; the cart and checkout after adding the product's featured offer
    and its first other offer."""
    from playwright.sync_api import sync_playwright

    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            for width in WIDTHS:
                context = browser.new_context(locale="fr-FR", **DEVICES[width])
                page = context.new_page()
                page.set_default_timeout(30000)
                number = 0
                for number, (name, path) in enumerate(pages, start=1):
                    page.goto(base + path, wait_until="load")
                    saved.append(_shoot(page, out, width, number, name))
                product = dict(pages).get("product")
                if product is None:
                    context.close()
                    continue
                page.goto(base + product)
                page.locator(".buy-box button[type=submit]").click()
                page.wait_for_url("**/panier/")
                page.goto(base + product)
                others = page.locator(".other-offers button[type=submit]")
                if others.count():
                    others.first.click()
                    page.wait_for_url("**/panier/")
                saved.append(_shoot(page, out, width, number + 1, "cart"))
                page.get_by_role("link", name="Passer la commande").click()
                page.wait_for_url("**/commande/")
                for field, value in GUEST.items():
                    page.fill(field, value)
                saved.append(_shoot(page, out, width, number + 2, "checkout-address"))
                page.get_by_role("button", name="Continuer vers la livraison").click()
                page.wait_for_url("**/commande/livraison/")
                saved.append(_shoot(page, out, width, number + 3, "checkout-delivery"))
                page.get_by_role("button", name="Continuer vers le récapitulatif").click()
                page.wait_for_url("**/commande/recapitulatif/")
                saved.append(_shoot(page, out, width, number + 4, "checkout-recap"))
                context.close()
        finally:
            browser.close()
    return saved


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument(
        "--products", type=int, default=None, help="demo catalogue size (default: the demo's)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary demo folder")
    args = parser.parse_args(argv)
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()

    started = time.perf_counter()
    var = Path(tempfile.mkdtemp(prefix="galerie-screenshots-"))
    env = _environment(var)
    server = None
    try:
        _galerie("migrate", "--verbosity", "0", env=env)
        load = ["loaddemo"] + ([f"--products={args.products}"] if args.products is not None else [])
        _galerie(*load, env=env)
        print(f"Demo mall ready in {time.perf_counter() - started:.0f} s", flush=True)
        # This process reads the throwaway database too, to choose the product page.
        os.environ.update({k: env[k] for k in ("GALERIE_VAR_DIR", "DJANGO_SETTINGS_MODULE")})
        os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        pages = screenshot_pages()

        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "galerie.cli", "serve", "--port", str(port)]
            + ["--workers", "2", "--allow-simulator"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        _wait_until_up(server, port)
        # Playwright's sync API runs an event loop; the ORM is done with by now.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        saved = shoot_all(f"http://{HOST}:{port}", pages, out)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        if not args.keep:
            shutil.rmtree(var, ignore_errors=True)
    for path in saved:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    print(f"{len(saved)} screenshots in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
