"""The part of the OpenAPI document that no single operation states, written once.

Every operation can give some error answers whatever its handler does: a 422 (ValidationErrorOut)
when it takes any parameter or body, a 400 (unreadable JSON) and 413 (body too large) when it
takes a body, a 404 when a path names an object, a 401 when it needs a token, a 403 when a
session cookie needs its CSRF token. They are added here, so that no decorator can forget one;
the statuses that depend on what the handler does (409, 429, a domain 400…) stay declared on
the operation. operationIds are `<module>_<handler>`, readable and stable while names are.
"""

from http.client import responses as http_reasons

from ninja import NinjaAPI, Schema
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.schema import NinjaGenerateJsonSchema

from galerie.api.errors import ErrorOut, ValidationErrorOut
from galerie.api.headers import CSRF_TOKEN

DESCRIPTIONS = {
    400: "Requête refusée : corps illisible (invalid_body) ou valeur refusée par une règle "
    "(code et message disent laquelle, field le champ en cause).",
    401: "Jeton absent, inconnu ou révoqué (unauthenticated).",
    403: "Interdit : vérification CSRF échouée (csrf_failed) ou droit manquant (forbidden, …).",
    404: "Introuvable, ou appartenant à un autre client ou vendeur (not_found, …).",
    409: "Conflit avec l'état courant : stock, prix changé, clé d'idempotence déjà servie…",
    413: "Corps de requête trop volumineux (request_too_large).",
    422: "Paramètres ou corps invalides (invalid_params) : une entrée par valeur fautive dans "
    "errors, avec sa place (loc).",
    429: "Trop de requêtes : réessayez plus tard.",
}


class ContractSchema(OpenAPISchema):
    def responses(self, operation) -> dict:
        result = super().responses(operation)
        for status, model in _common_answers(operation).items():
            if status not in result:
                schema = self._component(model)
                result[status] = {"content": {self.api.renderer.media_type: {"schema": schema}}}
        for status, answer in result.items():
            # Ninja describes a status by its HTTP reason; say what it means here.
            if status in DESCRIPTIONS and answer.get("description", "") in (
                "",
                http_reasons[status],
            ):
                answer["description"] = DESCRIPTIONS[status]
        return dict(sorted(result.items()))

    def _component(self, model: type[Schema]) -> dict:
        schema = model.model_json_schema(
            ref_template=REF_TEMPLATE,
            schema_generator=NinjaGenerateJsonSchema,
            mode="serialization",
        )
        self.add_schema_definitions(schema.pop("$defs", {}))
        self.add_schema_definitions({model.__name__: schema})
        return {"$ref": REF_TEMPLATE.format(model=model.__name__)}


def _common_answers(operation) -> dict[int, type[Schema]]:
    sources = {model.__ninja_param_source__ for model in operation.models}
    headers = {p["name"] for p in (operation.openapi_extra or {}).get("parameters", [])}
    answers: dict[int, type[Schema]] = {}
    if sources & {"body", "form", "file"}:
        answers |= {400: ErrorOut, 413: ErrorOut}
    if operation.auth_callbacks:
        answers[401] = ErrorOut
    if CSRF_TOKEN in headers:
        answers[403] = ErrorOut
    if "path" in sources:
        answers[404] = ErrorOut
    if sources:
        answers[422] = ValidationErrorOut
    return answers


class GalerieAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return ContractSchema(self, path_prefix)

    def get_openapi_operation_id(self, operation) -> str:
        module = operation.view_func.__module__.rsplit(".", 1)[-1]
        name = operation.view_func.__name__
        return name if name.startswith(f"{module}_") else f"{module}_{name}"
