"""What an entity file is, and the generic way an entity is exported, described and imported.

An `Entity` names one JSON Lines file of the archive and the model it comes from. By default a
row is the model's plain columns (`fields`) plus its foreign keys (`refs`, carried as the
*source* ids of other entity files of the same archive, which the import maps to target ids),
and its import creates new rows with `bulk_create`. An entity that merges with what the target
already holds (products by GTIN, sellers by register number, customers by e-mail) overrides
`match` and `merge`; one that needs more than columns overrides `export_row` and `build`.
"""

import contextlib
import datetime
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.utils.translation import gettext as _

from galerie.carveout.archive import DECIMAL_PATTERN, ArchiveError, jsonable
from galerie.carveout.bulk import objects_insert
from galerie.catalog.models import Product
from galerie.orders.models import Order, OrderLine, SellerOrder
from galerie.sellers.models import Offer, Seller


@dataclass
class Scope:
    """What belongs to the exported storefront, computed once by the export."""

    storefront: models.Model
    cutoff: datetime.date
    category_ids: list[int]  # the assortment with its descendants and their ancestors
    extra: dict = field(default_factory=dict)  # what an entity computes for the next ones

    # One definition of "the storefront's" rows, shared by every entity file (querysets, so that
    # the database does the joins whatever the size).

    def orders(self) -> models.QuerySet:
        return Order.objects.filter(storefront=self.storefront)

    def products(self) -> models.QuerySet:
        """The assortment's products, and those its orders sold that have left it since."""
        sold = OrderLine.objects.filter(order__storefront=self.storefront, product__isnull=False)
        return Product.objects.filter(
            models.Q(category_id__in=self.category_ids) | models.Q(pk__in=sold.values("product_id"))
        )

    def sellers(self) -> models.QuerySet:
        """Sellers with an offer on the storefront's products or a part of one of its orders."""
        offering = Offer.objects.filter(product__in=self.products().values("pk"))
        selling = SellerOrder.objects.filter(order__storefront=self.storefront)
        return Seller.objects.filter(
            models.Q(pk__in=offering.values("seller_id"))
            | models.Q(pk__in=selling.values("seller_id"))
        )

    def customers(self) -> models.QuerySet:
        """Accounts that ordered on the storefront (those that never did stay behind)."""
        ordered = self.orders().filter(user__isnull=False).values("user_id")
        return get_user_model().objects.filter(pk__in=ordered)


@dataclass
class ImportContext:
    """What an import knows while it runs: id maps per entity and the merge report."""

    archive_import: models.Model  # carveout.ArchiveImport
    manifest: dict
    rename_slug: str | None = None
    hosts: list[str] | None = None
    maps: dict[str, dict[int, int]] = field(default_factory=dict)
    report: dict[str, dict] = field(default_factory=dict)  # entity → {"created", "merged", notes}
    extra: dict = field(default_factory=dict)

    def target(self, entity: str, source_id, *, what: str, line: int, required: bool = True):
        """The target id of a source id of `entity`; an id the archive never defined is an error."""
        if source_id is None:
            return None
        target = self.maps.get(entity, {}).get(source_id)
        if target is None and required:
            raise ArchiveError(
                _("%(what)s, ligne %(line)s : référence à %(entity)s n° %(id)s inconnue.")
                % {"what": what, "line": line, "entity": entity, "id": source_id}
            )
        return target

    def note(self, entity: str, message: str) -> None:
        notes = self.report.setdefault(entity, {}).setdefault("notes", [])
        if len(notes) < 50:
            notes.append(message)


class Entity:
    name: str = ""
    model: type[models.Model]
    fields: tuple[str, ...] = ()
    refs: dict[str, str] = {}
    description: str = ""
    batch_size: int = 1000

    # ---- export

    def queryset(self, scope: Scope) -> models.QuerySet:
        raise NotImplementedError

    def columns(self) -> list[str]:
        return ["id", *self.fields, *(f"{ref}_id" for ref in self.refs)]

    def export_rows(self, scope: Scope) -> Iterator[dict]:
        columns = self.columns()
        names = ["id", *self.fields, *self.refs]
        queryset = self.queryset(scope).order_by("pk").values_list(*columns)
        for values in archive_values(queryset):
            yield self.export_row(dict(zip(names, values, strict=True)), scope)

    def export_row(self, row: dict, scope: Scope) -> dict:
        return row

    def manifest_extra(self, scope: Scope) -> dict:
        """Keys this entity adds to the manifest (e.g. who was told of the transfer)."""
        return {}

    # ---- schema

    def schema(self) -> dict:
        properties = {"id": {"type": "integer", "description": _("identifiant à la source")}}
        for name in self.fields:
            properties[name] = field_schema(self.model._meta.get_field(name))
        for ref, entity in self.refs.items():
            nullable = self.model._meta.get_field(ref).null
            properties[ref] = {
                "type": ["integer", "null"] if nullable else "integer",
                "description": f"id → {entity}.jsonl",
            }
        properties.update(self.extra_schema())
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://galerie.example/storefront-archive/1/{self.name}.schema.json",
            "title": self.name,
            "description": self.description,
            "type": "object",
            "properties": properties,
            "required": sorted(properties),
            "additionalProperties": False,
        }

    def extra_schema(self) -> dict:
        return {}

    # ---- import

    def preflight(self, reader, ctx: ImportContext) -> None:
        """Refuse (ArchiveError) before anything is written: a slug or host name taken, …"""

    def timestamped_models(self) -> tuple[type[models.Model], ...]:
        """Models whose created_at/updated_at the import keeps from the archive."""
        return (self.model,)

    def save_batch(self, objects: list[models.Model], ctx: ImportContext) -> None:
        """Save a batch of new instances (their pk set afterwards)."""
        objects_insert(self.model, objects)

    def finalize(self, ctx: ImportContext) -> None:
        """Runs once every file is in: rebuild derived data (search index, facets, caches)."""

    def match(self, rows: list[dict], ctx: ImportContext) -> dict[int, int]:
        """Source id → id of a row the target already holds that is the same thing."""
        return {}

    def merge(self, target_id: int, row: dict, ctx: ImportContext) -> None:
        """Complete a matched target row from the archive (fill gaps, never overwrite)."""

    def ref_required(self, ref: str) -> bool:
        """Whether a reference's source id must be in the archive. By default a nullable one
        may point at a row left out (it becomes null); an entity whose nullable references are
        always exported with it says they are required."""
        return not self.model._meta.get_field(ref).null

    def build(self, row: dict, ctx: ImportContext, *, line: int) -> models.Model:
        """A new, unsaved instance from an archive row, its references mapped to target ids."""
        kwargs = {}
        model = self.model
        for name in self.fields:
            if row.get(name) is None:  # absent or null: the checks of field_value
                kwargs[name] = field_value(model, name, row, what=self.name, line=line)
                continue
            try:
                kwargs[name] = _converter(model, name)[1](row[name])
            except Exception:  # a bad value: field_value says which, where
                kwargs[name] = field_value(model, name, row, what=self.name, line=line)
        plan = self._refs_plan()
        for ref, entity, nullable, required in plan:
            source = row.get(ref)
            target = None
            if source is not None:
                target = ctx.maps.get(entity, {}).get(source)
                if target is None:
                    target = ctx.target(
                        entity, source, what=f"{self.name}.{ref}", line=line, required=required
                    )
            if target is None and not nullable:
                raise ArchiveError(
                    _("%(what)s, ligne %(line)s : champ « %(field)s » manquant.")
                    % {"what": self.name, "line": line, "field": ref}
                )
            kwargs[f"{ref}_id"] = target
        return new_instance(model, kwargs)

    def _refs_plan(self) -> list[tuple[str, str, bool, bool]]:
        """(ref, entity, nullable, required) of each reference, computed once."""
        key = (self.model, tuple(self.refs.items()))
        plan = self.__dict__.get("_plan")
        if plan is None or plan[0] != key:
            rows = [
                (ref, entity, self.model._meta.get_field(ref).null, self.ref_required(ref))
                for ref, entity in self.refs.items()
            ]
            plan = self._plan = (key, rows)
        return plan[1]

    def after_create(self, pairs: list[tuple[dict, models.Model]], ctx: ImportContext) -> None:
        """Runs after a batch's new rows are saved (pairs of archive row and saved instance)."""


def archive_form(value):
    """A database value as the archive writes it (see archive.jsonable), JSON types kept."""
    if value is None or type(value) in (str, int, bool, float, dict, list):
        return value
    try:
        return jsonable(value)
    except TypeError:
        return value


def _sqlite_reader(output_field, django_converters):
    """value → archive form for one column of an SQLite row, or None when the column needs the
    ORM's converters. What SQLite returns (REAL/INTEGER for decimals, 'YYYY-MM-DD HH:MM:SS[.f]'
    UTC text for datetimes, 0/1, JSON text) is formatted directly into the strings that the
    ORM's Decimal/datetime would have been written as; anything unexpected takes the ORM's way.
    (Django's sqlite3 connection itself turns datetime and date columns into naive datetimes and
    dates, and booleans into bools.)"""

    def orm(value):
        for converter in django_converters:
            value = converter(value, output_field, connection)
        return archive_form(value)

    kind = type(output_field)
    if kind is models.DecimalField and 0 <= output_field.decimal_places <= 6:
        places = output_field.decimal_places
        zeros = "0" * places

        def decimal(value):
            kind = type(value)
            if kind is int and -(10**14) < value < 10**14:
                return f"{value}.{zeros}" if places else str(value)
            if kind is float:
                # repr is the shortest text that reads back as the same float; when it has at
                # most `places` decimals and 15 digits, it is the 15-digit decimal that the
                # ORM's Context(prec=15).create_decimal_from_float gives, so padding it equals
                # the ORM's quantize.
                text = repr(value)
                whole, dot, fraction = text.partition(".")
                if (
                    dot
                    and "e" not in fraction
                    and len(fraction) <= places
                    and len(whole) + len(fraction) <= 15
                    and "n" not in whole  # nan, inf
                ):
                    if places:
                        return f"{whole}.{fraction}{zeros[len(fraction) :]}"
                    if fraction == "0":
                        return whole
            return None if value is None else orm(value)

        return decimal
    if kind is models.DateTimeField and settings.USE_TZ and connection.timezone_name == "UTC":

        def moment(value):
            # Django's sqlite3 connection parses datetime columns into naive UTC datetimes.
            if type(value) is datetime.datetime and value.tzinfo is None:
                return value.isoformat() + "+00:00"
            if (
                type(value) is str
                and len(value) in (19, 26)
                and value[10] == " "
                and value[19:] != ".000000"
            ):
                return f"{value[:10]}T{value[11:]}+00:00"
            return None if value is None else orm(value)

        return moment
    if kind is models.DateField:

        def day(value):
            if type(value) is datetime.date or (type(value) is str and len(value) == 10):
                return value if type(value) is str else value.isoformat()
            return None if value is None else orm(value)

        return day
    if kind is models.BooleanField:
        return lambda value: bool(value) if value in (0, 1) else value
    if kind is models.UUIDField:

        def uid(value):
            if type(value) is str and len(value) == 32:
                value = value.lower()
                return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
            return None if value is None else orm(value)

        return uid
    if kind is models.JSONField and output_field.decoder is None:

        def document(value):
            if type(value) is not str:
                return orm(value)
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                return value

        return document
    if not django_converters:
        return archive_form
    return orm


def archive_values(queryset, *, chunk_size: int = 2000) -> Iterator[tuple]:
    """The rows of a `values_list` queryset, each value in its archive form (decimals and
    datetimes as the strings the archive writes, parsed JSON), read from the driver's cursor.

    The ORM's per-value converters (on SQLite: a Decimal built from a float then quantized, a
    datetime parsed and made aware, only for the archive to turn it back into text) cost more
    than the query; here each column's conversion is chosen once from its field. Values equal
    what `jsonable` writes of the ORM's values. A query the reader does not handle (extra
    selects, annotations out of order) goes through the ORM."""
    query = queryset.query
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    if query.extra_select or list(queryset._fields or names) != names:
        for values in queryset.iterator(chunk_size=chunk_size):
            yield tuple(archive_form(value) for value in values)
        return
    compiler = query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    expressions = [expression for expression, _sql, _alias in compiler.select]
    converters = compiler.get_converters(expressions)
    readers = []
    for index, expression in enumerate(expressions):
        django_converters = list(converters.get(index, ((), None))[0])
        if connection.vendor == "sqlite":
            readers.append(_sqlite_reader(expression.output_field, django_converters))
        else:

            def read(value, output_field=expression.output_field, chain=django_converters):
                for converter in chain:
                    value = converter(value, output_field, connection)
                return archive_form(value)

            readers.append(read if django_converters else archive_form)
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while block := cursor.fetchmany(chunk_size):
            for row in block:
                yield tuple(reader(value) for reader, value in zip(readers, row, strict=True))


def field_value(model, name: str, row: dict, *, what: str, line: int):
    """An archive value converted by the model field (exact decimals, aware datetimes)."""
    model_field, convert = _converter(model, name)
    if name not in row:
        if model_field.has_default():
            return model_field.get_default()
        raise ArchiveError(
            _("%(what)s, ligne %(line)s : champ « %(field)s » manquant.")
            % {"what": what, "line": line, "field": name}
        )
    value = row[name]
    if value is None:
        if model_field.null:
            return None
        raise ArchiveError(
            _("%(what)s, ligne %(line)s : champ « %(field)s » vide.")
            % {"what": what, "line": line, "field": name}
        )
    try:
        return convert(value)
    except Exception as exc:  # ValidationError, ValueError, TypeError: all mean a bad value
        raise ArchiveError(
            _("%(what)s, ligne %(line)s : valeur de « %(field)s » invalide (%(value)s).")
            % {"what": what, "line": line, "field": name, "value": str(value)[:40]}
        ) from exc


_INSTANCE_PLANS: dict[type, tuple] = {}


def new_instance(model, kwargs: dict) -> models.Model:
    """`model(**kwargs)`, built through Model.__init__'s positional path (every concrete field
    in order, defaults for those not given), several times cheaper than its keyword path."""
    plan = _INSTANCE_PLANS.get(model)
    if plan is None:
        fields = model._meta.concrete_fields
        # A relation given by name (an instance) takes the keyword path: positional values
        # go to the attname (the id).
        keys = {model_field.attname for model_field in fields}
        plan = _INSTANCE_PLANS[model] = (fields, keys)
    fields, keys = plan
    if not kwargs.keys() <= keys:
        return model(**kwargs)
    values = []
    for model_field in fields:
        if model_field.attname in kwargs:
            values.append(kwargs[model_field.attname])
        else:
            values.append(model_field.get_default())
    return model(*values)


_CONVERTERS: dict[tuple, tuple] = {}
# Fields whose to_python returns a value of these exact types unchanged.
_KEPT = {
    models.CharField: str,
    models.TextField: str,
    models.EmailField: str,
    models.SlugField: str,
    models.BooleanField: bool,
}


def _converter(model, name: str):
    """(field, value → Python value) for one column, chosen once: the field's to_python, with
    the cheap cases (a string for a text field, ISO text for a datetime) done directly and
    giving what to_python gives."""
    key = (model, name)
    found = _CONVERTERS.get(key)
    if found is not None:
        return found
    model_field = model._meta.get_field(name)
    to_python = model_field.to_python
    kind = type(model_field)
    convert = to_python
    if kind in _KEPT:
        kept = _KEPT[kind]

        def convert(value):
            return value if type(value) is kept else to_python(value)

    elif kind is models.DateTimeField:
        # DateTimeField.to_python parses text with datetime.fromisoformat first.
        def convert(value):
            if type(value) is str:
                try:
                    return datetime.datetime.fromisoformat(value)
                except ValueError:
                    pass
            return to_python(value)

    _CONVERTERS[key] = found = (model_field, convert)
    return found


def field_schema(model_field) -> dict:
    """The JSON Schema of one model column as the archive writes it."""
    if isinstance(model_field, models.DecimalField):
        schema = {"type": "string", "pattern": DECIMAL_PATTERN}
    elif isinstance(model_field, models.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(model_field, models.IntegerField | models.AutoField):
        schema = {"type": "integer"}
    elif isinstance(model_field, models.DateTimeField):
        schema = {"type": "string", "format": "date-time"}
    elif isinstance(model_field, models.DateField):
        schema = {"type": "string", "format": "date"}
    elif isinstance(model_field, models.UUIDField):
        schema = {"type": "string", "format": "uuid"}
    elif isinstance(model_field, models.JSONField):
        schema = {}
    else:
        schema = {"type": "string"}
        if getattr(model_field, "max_length", None):
            schema["maxLength"] = model_field.max_length
    if model_field.choices and not isinstance(model_field, models.BooleanField):
        schema["enum"] = [value for value, _label in model_field.flatchoices]
        if (
            model_field.blank
            and isinstance(model_field, models.CharField)
            and "" not in schema["enum"]
        ):
            schema["enum"].append("")  # a blank choice field holds "" (no exemption, no form)
    if model_field.null and "type" in schema:
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    if model_field.verbose_name:
        schema["description"] = str(model_field.verbose_name)
    return schema


@contextlib.contextmanager
def timestamps_kept(*models_: type[models.Model]):
    """Let `bulk_create` keep the archive's created_at/updated_at instead of stamping now.

    Flips auto_now/auto_now_add off on the models' fields for the block: process-wide, so only
    the import command (one process, one thread) uses it."""
    flipped = []
    for model in models_:
        for model_field in model._meta.concrete_fields:
            for flag in ("auto_now", "auto_now_add"):
                if getattr(model_field, flag, False):
                    setattr(model_field, flag, False)
                    flipped.append((model_field, flag))
    try:
        yield
    finally:
        for model_field, flag in flipped:
            setattr(model_field, flag, True)


def batched(rows: Iterable, size: int) -> Iterator[list]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
