"""Issue 13: the migrations that add the bounds' CHECK constraints first bring the rows written
before them within those bounds, so that they apply to a database that holds such rows. The
database is taken back to before the bounds, given legacy rows, and migrated forward again."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from galerie.catalog.models import Category, Product
from galerie.pricing.models import DeliveryMethod
from galerie.sellers.models import Offer
from galerie.testing.factories import make_category, make_offer, make_product, make_seller
from galerie.testing.legacy import legacy_price

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_BOUNDS = [("sellers", "0007_authz_permissions"), ("pricing", "0002_seed_tax_rates")]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _raw_update(model, pk, **values) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    assignments = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608 (names only)
            [*values.values(), pk],
        )


def test_legacy_rows_are_brought_within_bounds_and_the_constraints_apply():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    category = make_category("Livres", slug="livres")
    product = make_product("Le Phare", category=category)
    bad = make_offer(product, seller=make_seller(), price="20.00", stock=5)
    good = make_offer(product, seller=make_seller(), price="25.00", stock=3)
    method = DeliveryMethod.objects.create(seller=good.seller, name="Coursier")
    try:
        _migrate(BEFORE_THE_BOUNDS)
        # As the seller API wrote them before the bounds (issue 13), and the summary with them.
        _raw_update(Offer, bad.pk, price=legacy_price(), stock=99_999_999, lead_time_days=400)
        _raw_update(Product, product.pk, best_price=legacy_price(), price_new=legacy_price())
        _raw_update(Product, product.pk, weight_kg=Decimal("5000"))
        _raw_update(Category, category.pk, position=5000)
        _raw_update(DeliveryMethod, method.pk, fee=Decimal("5000.00"), delivery_days_max=120)
    finally:
        _migrate(latest)

    bad_row = Offer.objects.values_list("price", "is_active", "stock", "lead_time_days")
    assert bad_row.get(pk=bad.pk) == (Decimal("1000000.00"), False, 1_000_000, 365)
    summary = Product.objects.values_list("best_price", "price_new", "weight_kg")
    assert summary.get(pk=product.pk) == (Decimal("25.00"), Decimal("25.00"), Decimal("1000.000"))
    assert Category.objects.get(pk=category.pk).position == 1000
    method.refresh_from_db()
    assert (method.fee, method.is_active, method.delivery_days_max) == (
        Decimal("1000.00"),
        False,
        90,
    )
