"""Saving imported rows fast: model instances turned into database-ready values once, then the
imports app's bulk INSERT (driver cursor; COPY on PostgreSQL). `bulk_create` compiles every value
of every row through the ORM, which costs more than the database's own work at archive sizes."""

from django.db import connection

from galerie.imports.bulk import insert


def objects_insert(model, objects: list) -> None:
    """INSERT new instances of `model` and set their primary keys. Values go through each
    field's `pre_save` and `get_db_prep_save`, as `save()` would send them (auto_now fields
    stamp unless `timestamps_kept` is in force)."""
    if not objects:
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    rows = [
        tuple(field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields)
        for obj in objects
    ]
    ids = insert(model, [field.column for field in fields], rows, returning=True)
    for obj, pk in zip(objects, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias


def rows_insert(model, columns: list[str], rows: list[tuple]) -> None:
    """INSERT plain database-ready rows (no ids needed back)."""
    insert(model, columns, rows)
