"""Reads about storefronts: which one a host name serves, which categories it shows."""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from galerie.catalog.selectors import category_descendant_ids
from galerie.core.versions import global_bump, global_version
from galerie.storefronts.models import (
    Storefront,
    StorefrontHost,
    StorefrontPage,
    StorefrontPageKind,
)
from galerie.storefronts.pages import page_default

_HOST_CACHE_SECONDS = 60


def storefront_for_host(host: str) -> Storefront | None:
    """The active storefront serving `host` (port stripped), or None."""
    hostname = host.split(":")[0].lower().rstrip(".")
    # Keyed on the shared global version: an edit in any process reaches every worker at once.
    key = f"storefront-host:{global_version()}:{hostname}"
    storefront_id = cache.get(key)
    if storefront_id is None:
        row = (
            StorefrontHost.objects.filter(hostname=hostname, storefront__is_active=True)
            .values_list("storefront_id", flat=True)
            .first()
        )
        storefront_id = row or 0
        cache.set(key, storefront_id, _HOST_CACHE_SECONDS)
    if not storefront_id:
        return None
    return storefront_by_id(storefront_id)


def storefront_detached_for_host(host: str) -> Storefront | None:
    """The sold storefront that `host` served, if any: its pages now name the new owner."""
    hostname = host.split(":")[0].lower().rstrip(".")
    key = f"storefront-detached-host:{global_version()}:{hostname}"
    storefront = cache.get(key)
    if storefront is None:
        storefront = (
            Storefront.objects.filter(hosts__hostname=hostname, detached_at__isnull=False).first()
            or 0
        )
        cache.set(key, storefront, _HOST_CACHE_SECONDS)
    return storefront or None


def storefront_figures_ends() -> dict[int, datetime.date]:
    """Sold storefront id → the last day its figures count (its sale's accounting cut-off)."""
    return {
        storefront.pk: storefront.figures_end
        for storefront in Storefront.objects.filter(detached_at__isnull=False).only(
            "pk", "detached_at", "cutoff_date"
        )
    }


def storefront_by_id(storefront_id: int) -> Storefront | None:
    key = f"storefront:{global_version()}:{storefront_id}"
    storefront = cache.get(key)
    if storefront is None:
        storefront = Storefront.objects.filter(pk=storefront_id, is_active=True).first()
        if storefront is None:
            return None
        storefront.primary_host = storefront.hosts.order_by("-is_primary", "hostname").first()
        cache.set(key, storefront, _HOST_CACHE_SECONDS)
    return storefront


def storefront_page_links(storefront: Storefront | None) -> list[dict]:
    """Footer links ({"url", "label", "kind"}) to the storefront's trust pages: every kind (a page
    the storefront lacks shows its default text), with the ranking page, which is written from
    the ranking rule itself (`web.views.ranking`), before "Vendre sur Galerie". No query."""
    if storefront is None:
        return []
    links = [
        {"url": f"/pages/{kind.value}/", "label": kind.label, "kind": kind.value}
        for kind in StorefrontPageKind
    ]
    links.insert(
        len(links) - 1,
        {"url": "/classement/", "label": _("Comment les offres sont classées"), "kind": "ranking"},
    )
    return links


def storefront_page(storefront: Storefront, kind: str) -> StorefrontPage | None:
    """The storefront's trust page of this kind (its URL slug); its default text, unsaved, when
    the storefront has none; None for an unknown kind."""
    if kind not in StorefrontPageKind.values:
        return None
    page = StorefrontPage.objects.filter(storefront=storefront, kind=kind).first()
    return page or page_default(storefront=storefront, kind=kind)


def storefront_absolute_url(*, storefront: Storefront | None, path: str) -> str:
    """`path` as an absolute URL on the storefront's primary host (GALERIE_PUBLIC_HOST when there
    is no storefront or it has no host), for links read outside the site: every e-mail.

    The host comes from the database, never from a request's Host header, so a forged header
    cannot point a reset or order link elsewhere.
    """
    host = None
    if storefront is not None:
        host = storefront.hosts.order_by("-is_primary", "hostname").first()
    hostname = host.hostname if host is not None else settings.GALERIE_PUBLIC_HOST
    scheme = settings.GALERIE_PUBLIC_SCHEME
    port = str(settings.GALERIE_PUBLIC_PORT or "")
    suffix = "" if port in ("", {"http": "80", "https": "443"}.get(scheme)) else f":{port}"
    return f"{scheme}://{hostname}{suffix}/{path.lstrip('/')}"


def storefront_list() -> list[Storefront]:
    return list(Storefront.objects.filter(is_active=True).prefetch_related("hosts"))


def storefront_category_ids(storefront: Storefront) -> list[int]:
    """Every category id in the storefront's assortment, descendants included."""
    roots = list(storefront.categories.values_list("id", flat=True))
    return category_descendant_ids(roots)


def storefront_sold_only_category_ids() -> list[int]:
    """Categories that only sold storefronts show: their offers are no longer published anywhere
    (feeds skip them). A category that a live storefront also shows stays."""
    sold = Storefront.objects.filter(detached_at__isnull=False)
    if not sold.exists():
        return []
    live = Storefront.objects.filter(detached_at__isnull=True)
    sold_ids, live_ids = (
        set(category_descendant_ids([pk for pk in q.values_list("categories", flat=True) if pk]))
        for q in (sold, live)
    )
    return sorted(sold_ids - live_ids)


def storefront_cache_clear(*, storefront_id: int) -> None:
    """Forget the cached storefront, its host mapping and every cached page (after an edit):
    they are all keyed on the global version."""
    global_bump()
