"""First in MIDDLEWARE: answers the probes and /metrics itself, and wraps every other request
with its request id, access-log line and metrics.

/healthz, /readyz and /metrics are answered here, before SecurityMiddleware, the host check and
the storefront lookup: on any host, over plain http even with SECURE_SSL_REDIRECT (a load
balancer probes the backend directly), never cached, and /healthz without touching the database.
Everything else pays for one context variable, two clock reads and two metric updates: no query.
"""

import hmac
import ipaddress
import logging
from time import perf_counter

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from galerie.core.logs import request_id_from_header, request_id_var
from galerie.operations.health import readiness
from galerie.operations.metrics import metrics_exposition, request_observe, route_of

access_log = logging.getLogger("galerie.access")

_FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")
_PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["Content-Length"] = str(len(response.content))  # no chunking for a few bytes
    return response


def healthz(request) -> HttpResponse:
    return _no_store(HttpResponse(b"ok\n", content_type="text/plain"))


def readyz(request) -> HttpResponse:
    checks = readiness()
    ready = all(result == "ok" for result in checks.values())
    body = {"status": "ready" if ready else "unavailable", "checks": checks}
    return _no_store(JsonResponse(body, status=200 if ready else 503))


def _from_loopback(request) -> bool:
    """Loopback, and not relayed by a proxy on this host (which would make anyone loopback)."""
    forwarded = _FORWARDED
    if settings.GALERIE_CLIENT_IP_HEADER:
        forwarded += ("HTTP_" + settings.GALERIE_CLIENT_IP_HEADER.upper().replace("-", "_"),)
    if any(name in request.META for name in forwarded):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def _bearer_ok(request) -> bool:
    expected = settings.GALERIE_METRICS_TOKEN
    given = request.META.get("HTTP_AUTHORIZATION", "")
    if not expected or not given.startswith("Bearer "):
        return False
    return hmac.compare_digest(given[len("Bearer ") :].encode(), expected.encode())


def metrics(request) -> HttpResponse:
    """With GALERIE_METRICS_TOKEN set: its bearer token, else 403. Without: loopback only, else
    404, as if there were no such page."""
    if not (_bearer_ok(request) or _from_loopback(request)):
        status = 403 if settings.GALERIE_METRICS_TOKEN else 404
        return _no_store(HttpResponse(status=status))
    return _no_store(HttpResponse(metrics_exposition(), content_type=_PROMETHEUS_TEXT))


_ANSWERED_HERE = {"/healthz": healthz, "/readyz": readyz, "/metrics": metrics}


class OperationsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        answer = _ANSWERED_HERE.get(request.path_info)
        if answer is not None:
            return answer(request)
        request_id = request_id_from_header(request.META.get("HTTP_X_REQUEST_ID"))
        token = request_id_var.set(request_id)
        try:
            start = perf_counter()
            response = self.get_response(request)
            seconds = perf_counter() - start
            response["X-Request-ID"] = request_id
            route = route_of(request)
            request_observe(
                route=route, method=request.method, status=response.status_code, seconds=seconds
            )
            if access_log.isEnabledFor(logging.INFO):
                access_log.info(
                    "%s %s %s %.1fms",
                    request.method,
                    request.path,
                    response.status_code,
                    seconds * 1000,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "route": route,
                        "status": response.status_code,
                        "duration_ms": round(seconds * 1000, 1),
                    },
                )
            return response
        finally:
            request_id_var.reset(token)
