"""Resolves the request's host to a storefront (request.storefront) and the page language.

Language: the visitor's choice (language cookie) if any, else the storefront's language, else
French. Accept-Language is deliberately ignored: the interface is French-first.
A host whose storefront was sold (`galerie detach-storefront`) answers every path, API and htmx
included, with 410 Gone and a notice naming the new owner, in the storefront's language.
The admin answers on the operator's back-office hosts only (GALERIE_ADMIN_HOSTS): on any other
host, a storefront's included, /admin/ is a plain 404.
"""

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from galerie.core.versions import versions_snapshot
from galerie.storefronts.errors import StorefrontDetached, storefront_detached_message
from galerie.storefronts.selectors import storefront_detached_for_host, storefront_for_host

_LANGUAGES = {code for code, _name in settings.LANGUAGES}


class StorefrontMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            with versions_snapshot():
                return self._handle(request)
        return self._handle(request)

    def _handle(self, request):
        host = request.get_host().split(":")[0].lower()
        request.is_mall_host = host in settings.GALERIE_MALL_HOSTS
        request.storefront = None if request.is_mall_host else storefront_for_host(host)
        if request.storefront is None and not request.is_mall_host:
            sold = storefront_detached_for_host(host)
            if sold is not None:
                return detached_notice(request, sold)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in _LANGUAGES:
            chosen = request.storefront.language if request.storefront else settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = chosen
        if host not in settings.GALERIE_ADMIN_HOSTS and request.path.startswith(_admin_prefix()):
            raise Http404
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", chosen)
        patch_vary_headers(response, ("Cookie",))
        return response


def _admin_prefix() -> str:
    return reverse("admin:index")


def detached_notice(request, storefront) -> HttpResponse:
    """410 Gone naming the new owner: HTML for pages, the API's error shape under /api/."""
    with translation.override(storefront.language):
        message = storefront_detached_message(
            name=storefront.name, successor_name=storefront.successor_name
        )
        if request.path.startswith("/api/"):
            body = {"code": StorefrontDetached.code, "message": message}
            if storefront.successor_url:
                body["successor_url"] = storefront.successor_url
            response = JsonResponse(body, status=410)
        else:
            html = render_to_string(
                "storefronts/detached.html",
                {"shop": storefront, "message": message, "language": storefront.language},
            )
            response = HttpResponse(html, status=410)
        response.headers["Content-Language"] = storefront.language
    # Cached by browsers and proxies for a day: the sale is final.
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
