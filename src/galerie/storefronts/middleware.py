"""Resolves the request's host to a storefront (request.storefront) and the page language.

Language: the visitor's choice (language cookie) if any, else the storefront's language, else
French. Accept-Language is deliberately ignored: the interface is French-first.
The admin answers on the operator's back-office hosts only (GALERIE_ADMIN_HOSTS): on any other
host, a storefront's included, /admin/ is a plain 404.
"""

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from galerie.core.versions import versions_snapshot
from galerie.storefronts.selectors import storefront_for_host

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
