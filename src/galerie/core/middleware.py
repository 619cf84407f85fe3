"""Request body limits, enforced from the Content-Length header before anything reads the body:
Django parses (and spools to disk) a multipart body as soon as the CSRF check reads the form, so
a view's own size check would come after the file is already written.

Every view accepts GALERIE_MAX_REQUEST_BYTES unless it declares more with
`@request_size_limit(n)` (the feed upload). Without Content-Length (chunked), Django reads no body
at all. Install before CsrfViewMiddleware.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# What a multipart body adds around an uploaded file (boundaries, headers, the other fields).
UPLOAD_ENVELOPE_BYTES = 64 * 1024


def request_size_limit(max_bytes: int):
    """Let one view accept bodies of up to `max_bytes` (more than the default)."""

    def decorate(view):
        view.max_request_bytes = max_bytes
        return view

    return decorate


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        limit = getattr(view_func, "max_request_bytes", settings.GALERIE_MAX_REQUEST_BYTES)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body either
        if length <= limit:
            return None
        message = _("Envoi trop volumineux (%(size)s) : %(max)s au plus.") % {
            "size": filesizeformat(length),
            "max": filesizeformat(limit),
        }
        if request.path.startswith("/api/"):
            return JsonResponse({"code": "request_too_large", "message": message}, status=413)
        html = loader.render_to_string("core/413.html", {"message": message})
        return HttpResponse(html, status=413)


# --- the database out of reach: 503, not 500 -------------------------------------------------

# Connection refused or lost (server restart, failover, pg_terminate_backend, a full pool): the
# request did nothing that committed, and the next one reconnects (CONN_HEALTH_CHECKS). A client
# should retry, so the answer says so (503 + Retry-After) instead of blaming the server (500).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5

logger = logging.getLogger("galerie.core.database")


def database_unavailable_response(request) -> HttpResponse:
    """The 503 of a request whose database was out of reach: JSON under /api/ (the API's error
    shape), a page without database or context processors elsewhere."""
    message = _("Service momentanément indisponible. Réessayez dans quelques instants.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": "service_unavailable", "message": message}, status=503)
    else:
        html = loader.render_to_string("core/503.html", {"message": message})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Maps a view's lost or refused database connection to 503. A middleware that loses it
    (the storefront lookup, the session) goes through handler500, which gives the same answer
    (galerie.web.views.server_error). Install last, so its process_exception runs first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.error(
            "Database unavailable: %s %s answered 503",
            request.method,
            request.path,
            exc_info=exception,
        )
        return database_unavailable_response(request)
