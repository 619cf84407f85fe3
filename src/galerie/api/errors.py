"""One error shape for the whole API: {"code": "...", "message": "..."} with the right status."""

from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from galerie.core.errors import DomainError


class ErrorOut(Schema):
    """The body of every API error; declare it in `response={404: ErrorOut, …}`."""

    code: str
    message: str


def _message_of_validation(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors[:5]:
        location = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "path"))
        parts.append(f"{location} : {error.get('msg', 'invalide')}" if location else error["msg"])
    return "Paramètres invalides — " + " ; ".join(parts) if parts else "Paramètres invalides."


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        body = {"code": exc.code, "message": exc.message}
        if exc.field:
            body["field"] = exc.field
        return api.create_response(request, body, status=exc.status)

    @api.exception_handler(Http404)
    def not_found(request, exc: Http404):
        message = str(exc) if exc.args and isinstance(exc.args[0], str) else "Introuvable."
        return api.create_response(request, {"code": "not_found", "message": message}, status=404)

    @api.exception_handler(ValidationError)
    def invalid(request, exc: ValidationError):
        body = {
            "code": "invalid_params",
            "message": _message_of_validation(exc),
            "errors": exc.errors,
        }
        return api.create_response(request, body, status=422)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        body = {"code": "unauthenticated", "message": "Authentification requise."}
        return api.create_response(request, body, status=401)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        body = {"code": f"http_{exc.status_code}", "message": str(exc)}
        return api.create_response(request, body, status=exc.status_code)
