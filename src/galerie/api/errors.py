"""One error shape for the whole API: {"code": "...", "message": "..."} with the right status.

A refused input adds "field" (the field at fault) when there is one; the validation 422 adds
"errors", one entry per faulty value (ValidationErrorOut).
"""

from typing import Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from galerie.core.errors import DomainError


# Declare it in `response={404: ErrorOut, …}`; api.openapi adds the answers every operation has.
class ErrorOut(Schema):
    """The body of every error answer."""

    code: str = Field(description="Code stable, pour les programmes (ex. out_of_stock).")
    message: str = Field(description="Message pour les personnes.")
    field: str | None = Field(None, description="Le champ en cause, quand il y en a un.")


class ValidationIssueOut(Schema):
    type: str = Field(description="Type d'erreur de pydantic (missing, int_parsing, …).")
    loc: list[str | int] = Field(
        description="Où : la source (body, query, path) puis le chemin du champ."
    )
    msg: str
    ctx: dict | None = Field(None, description="Les limites en cause (ge, le, …).")


class ValidationErrorOut(Schema):
    """The 422 of a request whose parameters or body do not match the declared schema."""

    code: Literal["invalid_params"]
    message: str
    errors: list[ValidationIssueOut]


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
        if exc.status_code == 400:
            # Ninja's only 400: a body that is not JSON ("Cannot parse request body").
            body = {
                "code": "invalid_body",
                "message": _("Corps de la requête illisible : un document JSON est attendu."),
            }
        else:
            body = {"code": f"http_{exc.status_code}", "message": str(exc)}
        return api.create_response(request, body, status=exc.status_code)
