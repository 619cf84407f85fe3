"""Request body limits, enforced from the Content-Length header before anything reads the body:
Django parses (and spools to disk) a multipart body as soon as the CSRF check reads the form, so
a view's own size check would come after the file is already written.

Every view accepts GALERIE_MAX_REQUEST_BYTES unless it declares more with
`@request_size_limit(n)` (the feed upload). Without Content-Length (chunked), Django reads no body
at all. Install before CsrfViewMiddleware.
"""

from django.conf import settings
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
