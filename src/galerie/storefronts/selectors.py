"""Reads about storefronts: which one a host name serves, which categories it shows."""

from django.conf import settings
from django.core.cache import cache

from galerie.catalog.selectors import category_descendant_ids
from galerie.core.versions import global_bump, global_version
from galerie.storefronts.models import (
    Storefront,
    StorefrontHost,
    StorefrontPage,
    StorefrontPageKind,
)

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


def storefront_by_id(storefront_id: int) -> Storefront | None:
    key = f"storefront:{global_version()}:{storefront_id}"
    storefront = cache.get(key)
    if storefront is None:
        storefront = Storefront.objects.filter(pk=storefront_id, is_active=True).first()
        if storefront is None:
            return None
        storefront.primary_host = storefront.hosts.order_by("-is_primary", "hostname").first()
        # Cached with it: the footer links every page to the legal pages that exist.
        storefront.page_kinds = storefront_page_kinds(storefront)
        cache.set(key, storefront, _HOST_CACHE_SECONDS)
    return storefront


def storefront_page_kinds(storefront: Storefront) -> list[str]:
    """The kinds of legal page the storefront publishes, in the order of StorefrontPageKind."""
    present = set(
        StorefrontPage.objects.filter(storefront=storefront).values_list("kind", flat=True)
    )
    return [kind for kind in StorefrontPageKind.values if kind in present]


def storefront_page_links(storefront: Storefront | None) -> list[dict]:
    """Footer links ({"url", "label"}) to the storefront's legal pages, from what is cached with
    it (`storefront_by_id`): no query."""
    if storefront is None:
        return []
    kinds = getattr(storefront, "page_kinds", None)
    if kinds is None:
        kinds = storefront_page_kinds(storefront)
    return [
        {"url": f"/pages/{kind}/", "label": StorefrontPageKind(kind).label, "kind": kind}
        for kind in kinds
    ]


def storefront_page(storefront: Storefront, kind: str) -> StorefrontPage | None:
    """The storefront's legal page of this kind (its URL slug), or None."""
    if kind not in StorefrontPageKind.values:
        return None
    return StorefrontPage.objects.filter(storefront=storefront, kind=kind).first()


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


def storefront_cache_clear(*, storefront_id: int) -> None:
    """Forget the cached storefront, its host mapping and every cached page (after an edit):
    they are all keyed on the global version."""
    global_bump()
