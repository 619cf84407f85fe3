"""The base of every request body schema (and of each object inside one): a JSON object.

Ninja's Schema reads its fields as attributes of whatever it is given (it wraps the input in a
DjangoGetter, made for ORM objects), so a bare JSON string, `null` or `[null, null]` sent for a
body whose fields all have defaults validated as an empty object and the request went through.
A body schema derives from `In` instead: anything but a JSON object is a 422 saying where.
A string holding NUL is a 422 naming its field too: PostgreSQL cannot store it (it was a 500 there),
and no field needs it (Django's forms refuse it the same way).
"""

from typing import Any

from django.utils.translation import gettext as _
from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import field_validator, model_validator
from pydantic_core import PydanticCustomError


class In(Schema):
    @model_validator(mode="before")
    @classmethod
    def _json_object(cls, data: Any) -> Any:
        # Schema's own validator (it runs first) has wrapped the input: look at what it holds.
        given = data._obj if isinstance(data, DjangoGetter) else data
        if isinstance(given, dict | cls):
            return data
        raise PydanticCustomError("model_type", "Input should be a JSON object")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise PydanticCustomError("string_nul", _("Le caractère NUL (\\x00) est interdit"))
        return value
