"""Template engine benchmark: Django templates versus Jinja2 ports on the storefront's heaviest
uncached pages (issue "the shop floor").

    GALERIE_VAR_DIR=/tmp/tplbench uv run galerie migrate -v0
    GALERIE_VAR_DIR=/tmp/tplbench uv run galerie loaddemo --products 5000
    GALERIE_VAR_DIR=/tmp/tplbench uv run --with jinja2 python bench/templates_bench/run.py

Steps:
  1. Request a category page (the parent of the busiest leaf: 24 cards, facets, sub-categories,
     pagination) and a product page (the in-stock product with the most offers) once with the
     Django test Client, on a page-cache miss, and capture the exact context each top template
     was rendered with (django.test.signals.template_rendered, with the test environment set up
     only for that capture, then torn down so timings use the plain renderer).
  2. Render that context N times with the app's templates through Django's engine as configured
     in galerie.settings (DEBUG off: cached loader), and with the Jinja2 ports in
     bench/templates_bench/jinja2/ through django.template.backends.jinja2.Jinja2 (autoescape,
     jinja2.ext.i18n with Django's gettext/ngettext, the app's `money` and `colour` filters,
     `static`, `htmx_script`, the app's cache-safe `csrf_input`). Neither path runs context
     processors: the captured context already holds their output, so only the engines differ.
  3. Check both outputs describe the same document: same tags, attributes and visible text once
     character references are decoded and whitespace is collapsed (HTML parser events).
  4. Time full uncached requests of the same pages with the test Client (page-cache miss via an
     ignored ?x=<i>; for the category also with its cached facet summary dropped each time) and
     report the template's share of them.

Never touches the demo's var/ unless GALERIE_VAR_DIR says so. Prints a Markdown table.
"""

import argparse
import os
import statistics
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
JINJA_DIR = HERE / "jinja2"


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "galerie.settings")
    os.environ.setdefault("GALERIE_VAR_DIR", "/tmp/tplbench")
    os.environ.pop("GALERIE_DEBUG", None)  # production: DEBUG off, cached template loader
    db = Path(os.environ["GALERIE_VAR_DIR"]) / "galerie.sqlite3"
    if "DATABASE_URL" not in os.environ and not db.exists():
        sys.exit(
            f"No demo database at {db}: run\n"
            f"  GALERIE_VAR_DIR={db.parent} uv run galerie migrate -v0 && "
            f"GALERIE_VAR_DIR={db.parent} uv run galerie loaddemo --products 5000"
        )
    import django

    django.setup()


# --- the pages ----------------------------------------------------------------------------


def _pick_pages(host: str) -> tuple[str, str]:
    """A category URL with children, facets and several pages, and a product URL with offers."""
    from django.db.models import Count

    from galerie.storefronts.listing import (
        category_map,
        storefront_visible_category_ids,
        visible_products,
    )
    from galerie.storefronts.selectors import storefront_for_host

    storefront = storefront_for_host(host)
    if storefront is None:
        sys.exit(f"No storefront for host {host!r}")
    allowed = storefront_visible_category_ids(storefront)
    categories = category_map()
    busiest = (
        visible_products(storefront)
        .values("category_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "category_id")
    )
    leaf = categories[busiest[0]["category_id"]]
    node = categories.get(leaf.parent_id) if leaf.parent_id else None
    category = node if node is not None and node.pk in allowed else leaf
    product = (
        visible_products(storefront)
        .filter(in_stock=True)
        .exclude(description="")
        .order_by("-offer_count", "pk")
        .first()
    )
    return f"/c/{category.slug}/", f"/p/{product.slug}/"


def _capture(client, url: str) -> tuple[str, dict, str]:
    """GET `url` once (page-cache miss) and return the top template, its context, the language."""
    from django.core.cache import cache
    from django.test.signals import template_rendered
    from django.test.utils import setup_test_environment, teardown_test_environment
    from django.utils import translation

    seen: list[tuple[str, dict, str]] = []

    def on_render(sender, template, context, **kwargs):
        if not seen:  # the first one is the page; includes follow
            seen.append((template.name, context.flatten(), translation.get_language()))

    setup_test_environment()
    template_rendered.connect(on_render)
    try:
        cache.clear()
        response = client.get(url)
    finally:
        template_rendered.disconnect(on_render)
        teardown_test_environment()  # restores the plain Template._render for the timings
    if response.status_code != 200 or response.get("X-Page-Cache") != "miss":
        sys.exit(
            f"{url}: status {response.status_code}, X-Page-Cache {response.get('X-Page-Cache')}"
        )
    return seen[0]


# --- the engines --------------------------------------------------------------------------


def _jinja_backend():
    """A Jinja2 backend configured like Django's, with what the ported templates call."""
    from django.conf import settings
    from django.template.backends.jinja2 import Jinja2
    from django.template.defaultfilters import capfirst, linebreaks_filter, linebreaksbr
    from django.templatetags.static import static
    from django.utils import translation
    from django_htmx.jinja import htmx_script
    from jinja2 import pass_context

    from galerie.core.templatetags.money import money
    from galerie.web.templatetags import web

    backend = Jinja2(
        {
            "NAME": "jinja2-bench",
            "DIRS": [str(JINJA_DIR)],
            "APP_DIRS": False,
            "OPTIONS": {"extensions": ["jinja2.ext.i18n"]},  # autoescape defaults to True
        }
    )
    env = backend.env
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=True)
    env.globals.update(
        static=static,
        htmx_script=htmx_script,
        # The app's cache-safe {% csrf_input %} (placeholder on catalogue pages), unchanged.
        csrf_input=pass_context(lambda context: web.csrf_input(context)),
        get_language=translation.get_language,
        language_info_list=lambda: [
            translation.get_language_info(code) for code, _name in settings.LANGUAGES
        ],
    )
    env.filters.update(
        money=money,
        colour=web.colour,
        capfirst=capfirst,
        linebreaks=lambda value: linebreaks_filter(value, autoescape=True),
        linebreaksbr=lambda value: linebreaksbr(value, autoescape=True),
    )
    return backend


# --- same document? -----------------------------------------------------------------------


class _Events(HTMLParser):
    """Tags, attributes and text with references decoded and whitespace collapsed."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []

    def _attrs(self, attrs):
        return tuple((k, " ".join((v or "").split())) for k, v in attrs)

    def handle_starttag(self, tag, attrs):
        self.events.append(("<", tag, self._attrs(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.events.append(("<", tag, self._attrs(attrs)))

    def handle_endtag(self, tag):
        self.events.append((">", tag))

    def handle_data(self, data):
        text = " ".join(data.split())
        if text:
            if self.events and self.events[-1][0] == "text":  # joined across references
                self.events[-1] = ("text", f"{self.events[-1][1]} {text}")
            else:
                self.events.append(("text", text))

    def handle_decl(self, decl):
        self.events.append(("!", decl))


def _events(html: str) -> list[tuple]:
    parser = _Events()
    parser.feed(html)
    parser.close()
    return parser.events


def _collapse(html: str) -> str:
    # markupsafe writes &#39; and &#34; where django.utils.html.escape writes &#x27; and &quot;
    html = html.replace("&#39;", "&#x27;").replace("&#34;", "&quot;")
    return " ".join(html.split()).replace("> <", "><")


def _compare(django_html: str, jinja_html: str) -> tuple[str, str]:
    if _collapse(django_html) == _collapse(jinja_html):
        return "identical", ""
    a, b = _events(django_html), _events(jinja_html)
    if a == b:
        return "same", "same tags, attributes and text (differs only in escaping or whitespace)"
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return "DIFFERENT", f"event {i}: django {x!r} / jinja2 {y!r}"
    return "DIFFERENT", f"django has {len(a)} events, jinja2 {len(b)}"


# --- timing -------------------------------------------------------------------------------


def _time_renders(render, n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        render()
    return (time.perf_counter() - start) / n * 1000


def _time_requests(client, url: str, n: int, before=None) -> float:
    """Median ms of `n` full requests, each a page-cache miss (an ignored ?x=<i>)."""
    times = []
    for i in range(n + 10):
        if before is not None:
            before()
        start = time.perf_counter()
        response = client.get(f"{url}?x={time.perf_counter_ns()}{i}")
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200 and response["X-Page-Cache"] == "miss", url
        if i >= 10:  # warm-up
            times.append(elapsed)
    return statistics.median(times)


def _drop_listing_summaries() -> None:
    """Forget the cached totals and facet counts (LocMemCache), as for a new filter set."""
    from django.core.cache import cache

    for key in [k for k in getattr(cache, "_cache", {}) if "listing-summary:" in k]:
        cache._cache.pop(key, None)
        cache._expire_info.pop(key, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=500, help="renders per round (default 500)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds, median kept (default 5)")
    parser.add_argument("--requests", type=int, default=200, help="requests per URL (200)")
    parser.add_argument("--host", default="galerie.localhost")
    parser.add_argument("--language", help="language cookie (default: the storefront's)")
    parser.add_argument("--dump", type=Path, help="write both outputs of each page here")
    args = parser.parse_args()

    _setup_django()
    import django
    import jinja2
    from django.conf import settings
    from django.template import engines
    from django.test import Client
    from django.utils import translation

    assert not settings.DEBUG, "run with DEBUG off"
    loaders = engines["django"].engine.template_loaders
    load_1 = os.getloadavg()

    client = Client(HTTP_HOST=args.host)
    if args.language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = args.language
    category_url, product_url = _pick_pages(args.host)
    jinja = _jinja_backend()

    pages = []
    for label, url in (("category", category_url), ("product", product_url)):
        name, context, language = _capture(client, url)
        translation.activate(language)
        dj_template = engines["django"].get_template(name)
        j2_template = jinja.get_template(name)
        dj_html = dj_template.render(context)
        j2_html = j2_template.render(context)
        verdict, detail = _compare(dj_html, j2_html)
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
            (args.dump / f"{label}.django.html").write_text(dj_html)
            (args.dump / f"{label}.jinja2.html").write_text(j2_html)
        dj_runs, j2_runs = [], []
        for _round in range(args.rounds):  # interleaved: load changes hit both engines alike
            dj_runs.append(_time_renders(lambda t=dj_template, c=context: t.render(c), args.n))
            j2_runs.append(_time_renders(lambda t=j2_template, c=context: t.render(c), args.n))
        pages.append(
            {
                "label": label,
                "url": url,
                "template": name,
                "language": language,
                "bytes": len(dj_html.encode()),
                "django": statistics.median(dj_runs),
                "jinja2": statistics.median(j2_runs),
                "django_runs": dj_runs,
                "jinja2_runs": j2_runs,
                "verdict": verdict,
                "detail": detail,
            }
        )
        translation.deactivate()

    for page in pages:
        page["request"] = _time_requests(client, page["url"], args.requests)
        if page["label"] == "category":
            page["request_cold"] = _time_requests(
                client, page["url"], args.requests, before=_drop_listing_summaries
            )
    load_2 = os.getloadavg()

    print(
        f"Django {django.get_version()}, Jinja2 {jinja2.__version__}, Python "
        f"{sys.version.split()[0]}; DEBUG={settings.DEBUG}; Django loaders: "
        f"{[type(loader).__module__ for loader in loaders]}"
    )
    print(
        f"load average before {load_1[0]:.2f} {load_1[1]:.2f} {load_1[2]:.2f}, "
        f"after {load_2[0]:.2f} {load_2[1]:.2f} {load_2[2]:.2f} ({os.cpu_count()} CPUs)"
    )
    print(f"{args.rounds} rounds x {args.n} renders (median round); {args.requests} requests/URL\n")
    print(
        "| page | Django ms | Jinja2 ms | speed-up | uncached request ms "
        "| Django template share | Jinja2 would save | output |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for page in pages:
        requests = [("page miss", page["request"])]
        if "request_cold" in page:
            requests.append(("page + facet summary miss", page["request_cold"]))
        for kind, request_ms in requests:
            print(
                f"| {page['label']} ({page['url']}, {kind}) | {page['django']:.2f} "
                f"| {page['jinja2']:.2f} | {page['django'] / page['jinja2']:.1f}x "
                f"| {request_ms:.1f} | {page['django'] / request_ms:.0%} "
                f"| {(page['django'] - page['jinja2']) / request_ms:.0%} | {page['verdict']} |"
            )
    print()
    for page in pages:
        pairs = zip(page["django_runs"], page["jinja2_runs"], strict=True)
        runs = " ".join(f"{d:.2f}/{j:.2f}" for d, j in pairs)
        print(
            f"{page['label']}: {page['template']}, {page['bytes']} bytes, language "
            f"{page['language']}; rounds Django/Jinja2 ms: {runs}"
        )
        if page["detail"]:
            print(f"  {page['verdict']}: {page['detail']}")


if __name__ == "__main__":
    main()
