"""The base of every request body schema (and of each object inside one): a JSON object.

Ninja's Schema reads its fields as attributes of whatever it is given (it wraps the input in a
DjangoGetter, made for ORM objects), so a bare JSON string, `null` or `[null, null]` sent for a
body whose fields all have defaults validated as an empty object and the request went through.
A body schema derives from `In` instead: anything but a JSON object is a 422 saying where.
A field declared an integer, a decimal or a boolean takes that JSON type only (a decimal also takes
its usual string form, "12.50"): pydantic's lax mode would read `true` as 1, `"3"` as 3 and `0` as
false, and a generated client must be able to trust the published types.
A string holding NUL is a 422 naming its field too: PostgreSQL cannot store it (it was a 500 there),
and no field needs it (Django's forms refuse it the same way).
"""

import types
from decimal import Decimal
from typing import Annotated, Any, Union, get_args, get_origin

from django.utils.translation import gettext as _
from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import ValidationInfo, field_validator, model_validator
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

    @field_validator("*", mode="before")
    @classmethod
    def _json_type(cls, value: Any, info: ValidationInfo) -> Any:
        kind = _scalar(cls.model_fields[info.field_name].annotation)
        if value is None or kind is None:
            return value
        if kind is bool:
            ok = isinstance(value, bool)
        elif kind is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        else:  # Decimal: a JSON number or its string form
            ok = isinstance(value, int | float | str | Decimal) and not isinstance(value, bool)
        if not ok:
            expected = {bool: "boolean", int: "integer", Decimal: "number"}[kind]
            raise PydanticCustomError("json_type", f"Input should be a JSON {expected}")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise PydanticCustomError("string_nul", _("Le caractère NUL (\\x00) est interdit"))
        return value


def _scalar(annotation: Any) -> type | None:
    """The field's type when it is bool, int or Decimal, optional or annotated; else None."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        kinds = [a for a in get_args(annotation) if a is not type(None)]
        if len(kinds) != 1:
            return None
        return _scalar(kinds[0])
    return annotation if annotation in (bool, int, Decimal) else None
