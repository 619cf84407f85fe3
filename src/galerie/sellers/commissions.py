"""Commission rules: which rule applies to a line, and what the operator earns on it.

Specificity: a rule on the line's own category beats one on an ancestor, which beats a rule for
every category; at equal category depth, a rule for this storefront beats one for all storefronts.
The commission is rounded half-up to the cent, never more than the line itself.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from galerie.catalog.models import Category
from galerie.core.money import to_money
from galerie.sellers.models import CommissionRule

# When no rule at all matches (a new installation), the operator takes this.
DEFAULT_RATE = Decimal("15.00")


@dataclass(frozen=True)
class Commission:
    rate: Decimal
    fixed_fee: Decimal
    amount: Decimal
    rule_id: int | None


def commission_rule_for(*, storefront_id: int | None, category: Category) -> CommissionRule | None:
    ancestor_ids = [int(pk) for pk in category.path.strip("/").split("/") if pk]
    depth = {pk: i + 1 for i, pk in enumerate(ancestor_ids)}
    rules = CommissionRule.objects.filter(
        Q(storefront_id=storefront_id) | Q(storefront__isnull=True),
        Q(category_id__in=ancestor_ids) | Q(category__isnull=True),
    )
    return max(
        rules,
        key=lambda r: (depth.get(r.category_id, 0), r.storefront_id is not None),
        default=None,
    )


def commission_compute(*, line_total: Decimal, rule: CommissionRule | None) -> Commission:
    """The commission on one line incl. VAT (`line_total` = unit price × quantity)."""
    rate = rule.rate if rule else DEFAULT_RATE
    fee = rule.fixed_fee if rule else Decimal("0.00")
    amount = min(to_money(line_total * rate / 100 + fee), to_money(line_total))
    return Commission(rate=rate, fixed_fee=fee, amount=amount, rule_id=rule.pk if rule else None)


def commission_refund_share(
    *, commission: Decimal, line_total: Decimal, refunded: Decimal
) -> Decimal:
    """The part of a frozen commission given back when `refunded` of the line is refunded
    (pro rata, rounded half-up to the cent)."""
    if line_total <= 0:
        return Decimal("0.00")
    return to_money(commission * min(refunded, line_total) / line_total)
