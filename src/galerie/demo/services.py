"""Loading the demo mall: reference data upserted by natural keys, products written in bulk.

Idempotent: storefronts, categories, product types, attributes and sellers are
looked up by slug and created only when missing, never overwritten; demo products
are looked up by slug and GTIN, chunk by chunk, and only the missing ones are written. When the
first and last products of the requested catalogue exist the product phase is skipped entirely.
"""

import datetime
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Max, Q

from galerie.catalog.facets import category_facet_counts_rebuild
from galerie.catalog.models import (
    Attribute,
    AttributeKind,
    AttributeValue,
    Category,
    Product,
    ProductType,
    display_value,
)
from galerie.catalog.summary import SUMMARY_FIELDS, OfferFacts, product_summary
from galerie.core import clock
from galerie.core.versions import global_bump
from galerie.demo import data
from galerie.demo.generator import CHUNK, ProductSpec, chunk_specs, product_specs
from galerie.media.demo import demo_pictures_create
from galerie.search.services import search_index_rebuild
from galerie.sellers.models import (
    Offer,
    Seller,
    SellerMember,
    SellerRole,
    SellerStatus,
    offer_purchasable,
    offer_visible,
)
from galerie.storefronts.models import Storefront, StorefrontHost
from galerie.storefronts.services import storefront_pages_create_defaults
from galerie.subscriptions.models import SubscriptionPlan
from galerie.travel.models import Departure, TravelOption, TravelPackage, default_cancellation_tiers

DEFAULT_PRODUCTS = 2400
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD_FILE = "demo-admin-password"  # noqa: S105 — a file name in var/, not a password
# The seller whose owner gets a demo login on the seller portal, with the seller's own e-mail.
SELLER_SLUG = "librairie-du-marche"
SELLER_LOGIN = next(spec["email"] for spec in data.SELLERS if spec["slug"] == SELLER_SLUG)
# How long the demo's press titles have been published before the day the demo is loaded.
PUBLISHED_SINCE = datetime.timedelta(days=1092)
SELLER_PASSWORD_FILE = "demo-seller-password"  # noqa: S105 — a file name, as above


@dataclass
class DemoLoadResult:
    products_created: int = 0
    offers_created: int = 0
    attribute_values_created: int = 0
    reference_rows_created: int = 0
    seconds: float = 0.0
    generate_seconds: float = 0.0
    write_seconds: float = 0.0
    search_seconds: float = 0.0
    search_indexed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.products_created or self.reference_rows_created)


@dataclass
class _Reference:
    categories: dict[str, int]
    product_types: dict[str, int]
    attributes: dict[tuple[str, str], tuple[int, str]]  # (type slug, code) → (id, kind)
    sellers: dict[str, int]
    verified: set[str]


def vat_number(siren: str) -> str:
    """French intra-community VAT number of a SIREN: FR + key + SIREN."""
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}" if siren else ""


def _categories(result: DemoLoadResult) -> dict[str, int]:
    ids: dict[str, int] = {}

    def walk(nodes, parent):
        for position, (slug, name, children) in enumerate(nodes):
            category, created = Category.objects.get_or_create(
                slug=slug, defaults={"name": name, "parent": parent, "position": position}
            )
            result.reference_rows_created += created
            ids[slug] = category.pk
            walk(children, category)

    walk(data.CATEGORY_TREE, None)
    return ids


def _product_types(result: DemoLoadResult):
    type_ids: dict[str, int] = {}
    for spec in data.PRODUCT_TYPES:
        product_type, created = ProductType.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "tax_class": spec["tax_class"],
                "is_book": spec.get("is_book", False),
                "gtin_required": spec.get("gtin_required", True),
                "withdrawal_exception": spec.get("withdrawal_exception", ""),
            },
        )
        result.reference_rows_created += created
        type_ids[spec["slug"]] = product_type.pk
        for position, (code, name, kind, choices, unit, is_facet) in enumerate(spec["attributes"]):
            _attribute, created = Attribute.objects.get_or_create(
                product_type=product_type,
                code=code,
                defaults={
                    "name": name,
                    "kind": kind,
                    "choices": choices,
                    "unit": unit,
                    "is_facet": is_facet,
                    "position": position,
                },
            )
            result.reference_rows_created += created
    slugs = {pk: slug for slug, pk in type_ids.items()}
    attributes = {
        (slugs[type_id], code): (pk, kind)
        for pk, type_id, code, kind in Attribute.objects.filter(
            product_type_id__in=slugs
        ).values_list("pk", "product_type_id", "code", "kind")
    }
    return type_ids, attributes


def _sellers(result: DemoLoadResult) -> tuple[dict[str, int], set[str]]:
    ids: dict[str, int] = {}
    verified: set[str] = set()
    # The mall has exactly one operator: reuse it if the database already names another one.
    operator = Seller.objects.filter(is_operator=True).first()
    for spec in data.SELLERS:
        spec = dict(spec)
        slug = spec.pop("slug")
        if spec.get("is_operator") and operator is not None:
            seller, created = operator, False
        else:
            spec["vat_number"] = vat_number(spec["siren"])
            seller, created = Seller.objects.get_or_create(slug=slug, defaults=spec)
        result.reference_rows_created += created
        ids[slug] = seller.pk
        if seller.status == SellerStatus.VERIFIED:
            verified.add(slug)
    return ids, verified


def _storefronts(result: DemoLoadResult, categories: dict[str, int]) -> None:
    for spec in data.STOREFRONTS:
        spec = dict(spec)
        host, roots = spec.pop("host"), spec.pop("roots")
        storefront, created = Storefront.objects.get_or_create(slug=spec.pop("slug"), defaults=spec)
        result.reference_rows_created += created
        if created:
            storefront.categories.set([categories[slug] for slug in roots])
        _host, created = StorefrontHost.objects.get_or_create(
            hostname=host, defaults={"storefront": storefront, "is_primary": True}
        )
        result.reference_rows_created += created
        _storefront_pages(result, storefront)


def _storefront_pages(result: DemoLoadResult, storefront: Storefront) -> None:
    """The storefront's trust pages it lacks, with their default text (one query when they are
    all there)."""
    result.reference_rows_created += storefront_pages_create_defaults(storefront=storefront)


@dataclass(frozen=True)
class DemoAccount:
    """A login that `galerie demo` makes (`loaddemo` makes none), on the mall's host."""

    label: str
    login: str  # what the login form takes: a username in the back office, an e-mail elsewhere
    path: str  # where to log in, e.g. "/admin/"
    password_file: Path
    new_password: str | None  # set only when just generated: printed once


def _password_ensure(*, path: Path, user, create: Callable[[str], object]) -> str | None:
    """A demo login's random password, kept in `path` (mode 600). Returns it when just generated
    (to print once), else None. A file left by an earlier database gives its password to a new
    account; an account without the file gets a new one."""
    known = path.read_text().strip() if path.exists() else ""
    if user is not None and known:
        return None
    password = known or secrets.token_urlsafe(12)
    if user is None:
        create(password)
    else:
        user.set_password(password)
        user.save(update_fields=["password"])
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(password + "\n")
    path.chmod(0o600)
    return None if known else password


def demo_admin_ensure(*, var_dir: Path) -> DemoAccount:
    """The back office's superuser `admin`; its password in var_dir/demo-admin-password."""
    path = var_dir / ADMIN_PASSWORD_FILE
    user_model = get_user_model()
    password = _password_ensure(
        path=path,
        user=user_model.objects.filter(username=ADMIN_USERNAME).first(),
        create=lambda password: user_model.objects.create_superuser(
            ADMIN_USERNAME, "admin@galerie.localhost", password
        ),
    )
    return DemoAccount("Back office", ADMIN_USERNAME, "/admin/", path, password)


def demo_seller_ensure(*, var_dir: Path) -> DemoAccount:
    """The owner's login of the demo seller (SELLER_SLUG) on the seller portal: the seller's
    e-mail, as the login form asks (customers' and sellers' usernames are their e-mails); its
    password in var_dir/demo-seller-password. Call after loading the demo mall."""
    seller = Seller.objects.get(slug=SELLER_SLUG)
    path = var_dir / SELLER_PASSWORD_FILE
    user_model = get_user_model()
    password = _password_ensure(
        path=path,
        user=user_model.objects.filter(username=SELLER_LOGIN).first(),
        create=lambda password: user_model.objects.create_user(
            SELLER_LOGIN, SELLER_LOGIN, password
        ),
    )
    SellerMember.objects.get_or_create(
        seller=seller,
        user=user_model.objects.get(username=SELLER_LOGIN),
        defaults={"role": SellerRole.OWNER},
    )
    return DemoAccount(
        f"Portail vendeur ({seller.name})", SELLER_LOGIN, "/vendeur/", path, password
    )


def demo_accounts_ensure(*, var_dir: Path) -> list[DemoAccount]:
    """Every login of the demo (README, *Demo accounts*, lists the same)."""
    return [demo_admin_ensure(var_dir=var_dir), demo_seller_ensure(var_dir=var_dir)]


def _reference(result: DemoLoadResult) -> _Reference:
    categories = _categories(result)
    type_ids, attributes = _product_types(result)
    sellers, verified = _sellers(result)
    _storefronts(result, categories)
    return _Reference(categories, type_ids, attributes, sellers, verified)


def _summary(spec: ProductSpec, ref: "_Reference") -> tuple:
    """The summary columns, as product_offer_summary_refresh computes them."""

    def status(offer) -> str:
        return SellerStatus.VERIFIED if offer.seller in ref.verified else ""

    facts = [
        OfferFacts(
            o.price,
            o.condition,
            ref.sellers[o.seller],
            visible=offer_visible(
                is_active=o.is_active,
                seller_status=status(o),
                price=o.price,
                delivery_price=o.delivery_price,
            ),
            purchasable=offer_purchasable(
                is_active=o.is_active,
                stock=o.stock,
                seller_status=status(o),
                price=o.price,
                delivery_price=o.delivery_price,
            ),
        )
        for o in spec.offers
    ]
    summary = product_summary(facts)
    return tuple(summary[f] for f in SUMMARY_FIELDS)


class _Inserter:
    """One prepared INSERT run with executemany through Django's cursor (SQLite and PostgreSQL).

    Why not bulk_create: it spends most of its time preparing every value through the field
    machinery; `bench/creation.py` measures both on the same products (docs/benchmarks.md).
    Rows are built from values the generator already typed; constraints still apply in the
    database, and the demo tests check the result against the models' own rules.
    """

    def __init__(self, model, fields: list[str]):
        qn = connection.ops.quote_name
        columns = ", ".join(qn(model._meta.get_field(name).column) for name in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        # Identifiers come from the model's own metadata, values are bound parameters.
        table = qn(model._meta.db_table)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608

    def insert(self, rows: list[tuple]) -> None:
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, rows)


_PRODUCT_FIELDS = [
    "title", "slug", "description", "product_type", "category", "gtin", "image_urls",
    "publisher_price", "weight_kg", "is_active", *SUMMARY_FIELDS, "created_at", "updated_at",
]  # fmt: skip
_VALUE_FIELDS = [
    "product", "attribute", "value_text", "value_int", "value_decimal", "value_bool",
    "value_date", "facet_value",
]  # fmt: skip
_OFFER_FIELDS = [
    "seller", "product", "sku", "price", "delivery_price", "condition", "condition_note",
    "stock", "lead_time_days", "is_active", "purchase_cost", "created_at", "updated_at",
]  # fmt: skip
_PACKAGE_FIELDS = ["product", "destination", "cancellation_tiers"]
_OPTION_FIELDS = ["product", "code", "label", "price", "per_traveller"]
_DEPARTURE_FIELDS = [
    "offer", "starts_on", "duration_days", "capacity", "child_price", "cost_adult", "cost_child",
]  # fmt: skip
_PLAN_FIELDS = [
    "offer",
    "publication",
    "issues_per_year",
    "term_months",
    "first_issue_on",
    "medium",
]


def _value_row(product_id: int, attribute_id: int, kind: str, value) -> tuple:
    text = integer = decimal = boolean = day = None
    if kind in (AttributeKind.TEXT, AttributeKind.CHOICE):
        text = str(value)
    elif kind == AttributeKind.INTEGER:
        integer = int(value)
    elif kind == AttributeKind.DECIMAL:
        decimal = value
    elif kind == AttributeKind.BOOLEAN:
        boolean = bool(value)
    elif kind == AttributeKind.DATE:
        day = connection.ops.adapt_datefield_value(value)
    return (
        product_id, attribute_id, text or "", integer, decimal, boolean, day,
        display_value(kind, value),
    )  # fmt: skip


def _write_chunk(
    specs: list[ProductSpec],
    ref: _Reference,
    result: DemoLoadResult,
    now: datetime.datetime,
    *,
    check_existing: bool,
) -> None:
    if check_existing:
        existing = Product.objects.filter(
            Q(slug__in=[s.slug for s in specs]) | Q(gtin__in=[s.gtin for s in specs if s.gtin])
        ).values_list("slug", "gtin")
        taken_slugs, taken_gtins = set(), set()
        for slug, gtin in existing:
            taken_slugs.add(slug)
            taken_gtins.add(gtin)
        taken_gtins.discard(None)
        specs = [s for s in specs if s.slug not in taken_slugs and s.gtin not in taken_gtins]
        if not specs:
            return
    before = Product.objects.aggregate(top=Max("pk"))["top"] or 0
    adapt = connection.ops.adapt_datetimefield_value
    stamp = adapt(now)
    no_images = Product._meta.get_field("image_urls").get_db_prep_save([], connection)
    rows = []
    for spec in specs:
        summary = _summary(spec, ref)
        created = adapt(now - datetime.timedelta(days=spec.listed_days, minutes=spec.index % 1440))
        rows.append(
            (
                spec.title, spec.slug, spec.description, ref.product_types[spec.product_type],
                ref.categories[spec.category], spec.gtin, no_images, spec.publisher_price,
                spec.weight_kg, True, *summary, created, stamp,
            )
        )  # fmt: skip
    _Inserter(Product, _PRODUCT_FIELDS).insert(rows)
    # Ids increase on both backends: read back only the rows added since (a concurrent writer's
    # rows may come along; the slug lookup below ignores them).
    ids = dict(Product.objects.filter(pk__gt=before).values_list("slug", "pk"))
    values, offers = [], []
    for spec in specs:
        product_id = ids[spec.slug]
        for code, value in spec.attributes.items():
            attribute = ref.attributes.get((spec.product_type, code))
            if attribute is not None:
                values.append(_value_row(product_id, attribute[0], attribute[1], value))
        for o in spec.offers:
            offers.append(
                (
                    ref.sellers[o.seller], product_id, o.sku, o.price, o.delivery_price,
                    o.condition, o.condition_note, o.stock, o.lead_time_days, o.is_active,
                    o.purchase_cost, stamp, stamp,
                )
            )  # fmt: skip
    _Inserter(AttributeValue, _VALUE_FIELDS).insert(values)
    offers_before = Offer.objects.aggregate(top=Max("pk"))["top"] or 0
    _Inserter(Offer, _OFFER_FIELDS).insert(offers)
    _write_extensions(specs, ids, offers_before, ref, now)
    result.products_created += len(rows)
    result.attribute_values_created += len(values)
    result.offers_created += len(offers)


def _write_extensions(
    specs: list[ProductSpec],
    product_ids: dict[str, int],
    offers_before: int,
    ref: _Reference,
    now: datetime.datetime,
) -> None:
    """The trips' packages, options and departures, and the press offers' plans: rows that extend
    the products and offers just written. Dates are offsets from the day of loading, so a demo
    loaded today has departures and first issues ahead of it."""
    if not any(s.travel or any(o.plan for o in s.offers) for s in specs):
        return
    today = clock.localdate(now)
    adapt_date = connection.ops.adapt_datefield_value
    offer_ids = {
        (seller_id, sku): pk
        for pk, seller_id, sku in Offer.objects.filter(pk__gt=offers_before).values_list(
            "pk", "seller_id", "sku"
        )
    }
    packages, options, departures, plans = [], [], [], []
    tiers_field = TravelPackage._meta.get_field("cancellation_tiers")
    for spec in specs:
        product_id = product_ids[spec.slug]
        if spec.travel is not None:
            tiers = spec.travel.cancellation_tiers or default_cancellation_tiers()
            packages.append(
                (
                    product_id,
                    spec.travel.destination,
                    tiers_field.get_db_prep_save(tiers, connection),
                )
            )
            for option in spec.travel.options:
                options.append(
                    (product_id, option.code, option.label, option.price, option.per_traveller)
                )
        for o in spec.offers:
            offer_id = offer_ids[(ref.sellers[o.seller], o.sku)]
            if o.departure is not None:
                d = o.departure
                departures.append(
                    (
                        offer_id, adapt_date(today + datetime.timedelta(days=d.offset_days)),
                        spec.travel.duration_days, d.capacity, d.child_price, d.cost_adult,
                        d.cost_child,
                    )
                )  # fmt: skip
            elif o.plan is not None:
                plan = o.plan
                # The publication's first issue, three years back (1,092 days: whole weeks, so a
                # weekly keeps its weekday): subscribers of the simulated past year start on
                # the day they buy and renew within it.
                first = today - PUBLISHED_SINCE + datetime.timedelta(days=plan.first_issue_offset)
                plans.append(
                    (
                        offer_id, plan.publication, plan.issues_per_year, plan.term_months,
                        adapt_date(first), plan.medium,
                    )
                )  # fmt: skip
    _Inserter(TravelPackage, _PACKAGE_FIELDS).insert(packages)
    _Inserter(TravelOption, _OPTION_FIELDS).insert(options)
    _Inserter(Departure, _DEPARTURE_FIELDS).insert(departures)
    _Inserter(SubscriptionPlan, _PLAN_FIELDS).insert(plans)


def demo_catalogue_complete(*, products: int) -> bool:
    """Whether the first and the last product of a `products`-sized demo catalogue exist."""
    if products == 0:
        return True
    first = chunk_specs(0, stop=1)[0]
    last = chunk_specs((products - 1) // CHUNK, stop=products)[-1]
    return Product.objects.filter(slug__in=[first.slug, last.slug]).count() == 2


def demo_load(
    *, products: int = DEFAULT_PRODUCTS, progress: Callable[[str], None] | None = None
) -> DemoLoadResult:
    """Create whatever of the demo mall is missing, in one transaction, and index it for search.

    Deterministic: the same `products` count always yields the same catalogue, and a catalogue of
    N products is the first N products of any larger one.
    """
    result = DemoLoadResult()
    started = time.perf_counter()
    with transaction.atomic():
        ref = _reference(result)
        if not demo_catalogue_complete(products=products):
            done = 0
            now = clock.now()
            # On an empty catalogue nothing can collide: skip the per-chunk lookups.
            empty = not Product.objects.exists()
            chunks = product_specs(products)
            while True:
                t0 = time.perf_counter()
                specs = next(chunks, None)
                t1 = time.perf_counter()
                if specs is None:
                    break
                result.generate_seconds += t1 - t0
                _write_chunk(specs, ref, result, now, check_existing=not empty)
                result.write_seconds += time.perf_counter() - t1
                done += len(specs)
                if progress and done % (50 * CHUNK) == 0:
                    progress(f"{done} produits…")
        if result.products_created:
            t0 = time.perf_counter()
            result.search_indexed = search_index_rebuild()
            result.search_seconds = time.perf_counter() - t0
            # Written in bulk, past the offer services: the listings' counts are recounted.
            category_facet_counts_rebuild()
            demo_pictures_create()  # rows only: each picture is drawn on its first request
    if result.changed:
        global_bump()
    result.seconds = time.perf_counter() - started
    return result
