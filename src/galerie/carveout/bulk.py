"""Saving imported rows fast: model instances turned into database-ready values once, then the
imports app's bulk INSERT (driver cursor; COPY on PostgreSQL). `bulk_create` compiles every value
of every row through the ORM, which costs more than the database's own work at archive sizes."""

import datetime
import json
from decimal import Decimal

from django.db import connections, models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models.fields import Field

from galerie.core import clock
from galerie.imports.bulk import insert

_DATETIME_FIELDS = (models.DateTimeField, clock.DateTimeField)


def _generic(field, conn):
    pre_save, prep = field.pre_save, field.get_db_prep_save

    def value(obj):
        return prep(pre_save(obj, True), conn)

    return value


def _plain_pre_save(field) -> bool:
    """The field's pre_save only reads the attribute (no auto_now stamping in force)."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return False
    pre_save = type(field).pre_save
    return pre_save in (
        Field.pre_save,
        models.DateField.pre_save,
        models.DateTimeField.pre_save,
        clock.DateTimeField.pre_save,
    )


def _preparer(field, conn):
    """A function obj → database-ready value of `field`, equal to
    `field.get_db_prep_save(field.pre_save(obj, True), conn)`. On SQLite the common cases (a
    value already of the column's type) are done without the ORM's chain of calls; anything
    else goes through it."""
    generic = _generic(field, conn)
    if conn.vendor != "sqlite" or not _plain_pre_save(field):
        return generic
    attname = field.attname
    kind = type(field)
    if kind is models.JSONField and (
        type(conn.ops).adapt_json_value is BaseDatabaseOperations.adapt_json_value
        and type(field).get_prep_value is Field.get_prep_value
    ):
        # What adapt_json_value does: json.dumps(value, cls=field.encoder), one encoder kept.
        encode = (field.encoder or json.JSONEncoder)().encode

        def value(obj):
            v = obj.__dict__.get(attname)
            if v is None:
                return None
            return encode(v) if type(v) in (dict, list, str, int, bool) else generic(obj)

        return value
    if kind in _DATETIME_FIELDS and conn.timezone is not None:
        tz = conn.timezone

        def value(obj):
            v = obj.__dict__.get(attname)
            if v is None:
                return None
            if type(v) is datetime.datetime and v.tzinfo is not None:
                return str(v.astimezone(tz).replace(tzinfo=None))
            return generic(obj)

        return value
    # Fields whose preparation leaves a value of these exact types unchanged (SQLite adapts
    # Decimal itself); None is stored as NULL by each of them.
    same = {
        models.DecimalField: (Decimal,),
        models.CharField: (str,),
        models.TextField: (str,),
        models.EmailField: (str,),
        models.SlugField: (str,),
        models.IntegerField: (int,),
        models.PositiveIntegerField: (int,),
        models.PositiveSmallIntegerField: (int,),
        models.SmallIntegerField: (int,),
        models.BigIntegerField: (int,),
        models.BooleanField: (bool,),
        models.DateField: (datetime.date,),
        models.ForeignKey: (int,),
        models.OneToOneField: (int,),
    }.get(kind)
    if kind is models.DateField:

        def value(obj):
            v = obj.__dict__.get(attname)
            if v is None:
                return None
            return v.isoformat() if type(v) is datetime.date else generic(obj)

        return value
    if kind in (models.ForeignKey, models.OneToOneField):
        target = type(field.target_field)
        if target not in (models.AutoField, models.BigAutoField):
            return generic
    if same is None:
        return generic

    def value(obj):
        v = obj.__dict__.get(attname)
        if v is None:
            return None
        return v if type(v) in same else generic(obj)

    return value


def objects_insert(model, objects: list) -> None:
    """INSERT new instances of `model` and set their primary keys. Values go through each
    field's `pre_save` and `get_db_prep_save`, as `save()` would send them (auto_now fields
    stamp unless `timestamps_kept` is in force)."""
    if not objects:
        return
    conn = connections["default"]
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    preparers = [_preparer(field, conn) for field in fields]
    rows = [tuple(prepare(obj) for prepare in preparers) for obj in objects]
    ids = insert(model, [field.column for field in fields], rows, returning=True)
    for obj, pk in zip(objects, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = conn.alias


def rows_insert(model, columns: list[str], rows: list[tuple]) -> None:
    """INSERT plain database-ready rows (no ids needed back)."""
    insert(model, columns, rows)
