"""Whole-page cache for anonymous catalogue pages.

A page is keyed by host, full path, language, htmx target and the shared versions of what it
shows (`galerie.core.versions`): the global version, plus the product's for a product page and
the listing's for a category, home or search page. A committed change bumps exactly those, so
a cached page is never older than the last committed change to what it shows, in any worker,
while the rest of the mall stays cached. Visitors with a session (logged in, or a cart) or
pending messages are never served from, nor stored in, the cache. CSRF tokens are rendered as
a placeholder and filled in per request, so a cached page still carries the visitor's own token;
the CSP nonce likewise, so a cached page's inline <style> matches this response's policy. A page
rendered to be cached is marked (`page_is_shared`): the header then shows no cart count, whatever
the request carries, so no visitor's count can reach another.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers

from galerie.core.versions import GLOBAL, versions_token

CSRF_PLACEHOLDER = "__galerie_csrf_token__"
NONCE_PLACEHOLDER = b"__galerie_csp_nonce__"
PAGE_CACHE_SECONDS = 600
SHARED_PAGE = "_galerie_shared_page"


def page_is_shared(request) -> bool:
    """Whether this response may be stored in the page cache and served to other visitors: then
    it must show nothing that belongs to this visitor."""
    return bool(request.__dict__.get(SHARED_PAGE))


def _cacheable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and getattr(request, "storefront", None) is not None
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _key(request, token: str) -> str:
    digest = hashlib.sha256(
        f"{request.get_host()}|{request.get_full_path()}|{token}".encode(errors="replace")
    ).hexdigest()
    hx = request.headers.get("HX-Target", "") if request.headers.get("HX-Request") else "-"
    lang = getattr(request, "LANGUAGE_CODE", "")
    return f"page:{lang}:{hx}:{digest}"


def catalogue_page(version_keys: Callable[..., list[str]]):
    """Decorate a catalogue view: serve anonymous GETs from the cache, fill in the CSRF token.

    `version_keys(request, *args, **kwargs)` names the versions the page depends on besides
    the global one.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            request.defer_csrf = True
            key = None
            if _cacheable(request):
                # Rendered for everyone: nothing of this visitor's (the header's cart count).
                request.__dict__[SHARED_PAGE] = True
                keys = [GLOBAL, *version_keys(request, *args, **kwargs)]
                key = _key(request, versions_token(keys))
            cached = cache.get(key) if key else None
            if cached is not None:
                content, content_type = cached
                response = HttpResponse(content, content_type=content_type)
                response["X-Page-Cache"] = "hit"
            else:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                if key and response.status_code == 200 and not response.streaming:
                    body, nonce = response.content, get_nonce(request)
                    if nonce:  # only when the page used it: then it is in the header too
                        body = body.replace(str(nonce).encode(), NONCE_PLACEHOLDER)
                    content = (body, response["Content-Type"])
                    cache.set(key, content, PAGE_CACHE_SECONDS)
                    response["X-Page-Cache"] = "miss"
            if not response.streaming and CSRF_PLACEHOLDER.encode() in response.content:
                response.content = response.content.replace(
                    CSRF_PLACEHOLDER.encode(), get_token(request).encode()
                )
            if not response.streaming and NONCE_PLACEHOLDER in response.content:
                nonce = get_nonce(request)
                response.content = response.content.replace(
                    NONCE_PLACEHOLDER, str(nonce).encode() if nonce is not None else b""
                )
            patch_vary_headers(response, ("HX-Request", "HX-Target"))
            return response

        return wrapper

    return decorator
