"""Facets as a page shows them: options with labels and counts, built from raw counts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from galerie.catalog.summary import PRICE_RANGES
from galerie.sellers.models import Condition, Seller, SellerStatus
from galerie.storefronts.listing.catalogue import facet_attribute_groups
from galerie.storefronts.listing.params import (
    CONDITION_PARAM,
    MAX_OPTIONS_PER_FACET,
    PRICE_PARAM,
    SELLER_PARAM,
)


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    param: str
    label: str
    options: list[FacetOption]
    # Counted over a sample of the products and scaled to their number: an estimate.
    estimated: bool = False

    @property
    def selected(self) -> list[FacetOption]:
        return [o for o in self.options if o.selected]


def price_facet(counts: dict[str, int], selected: list[str], *, estimated=False) -> Facet:
    options = []
    for key, lo, hi in PRICE_RANGES:
        n = counts.get(key, 0)
        if n or key in selected:
            options.append(FacetOption(key, _price_label(lo, hi), n, key in selected))
    return Facet(PRICE_PARAM, str(_("Prix")), options, estimated)


def _price_label(lo: Decimal | None, hi: Decimal | None) -> str:
    if lo is None:
        return str(_("Moins de %(hi)s €") % {"hi": hi})
    if hi is None:
        return str(_("%(lo)s € et plus") % {"lo": lo})
    return str(_("%(lo)s à %(hi)s €") % {"lo": lo, "hi": hi})


def condition_facet(counts: dict[str, int], selected: list[str], *, estimated=False) -> Facet:
    options = [
        FacetOption(value, str(label), counts.get(value, 0), value in selected)
        for value, label in Condition.choices
        if counts.get(value) or value in selected
    ]
    return Facet(CONDITION_PARAM, str(_("État")), options, estimated)


def seller_facet(counts: dict[int, int], selected: list[str], storefront, *, estimated=False):
    """`counts` by seller id; only verified sellers are shown."""
    rows = []
    if counts:
        found = Seller.objects.filter(pk__in=sorted(counts), status=SellerStatus.VERIFIED)
        rows = found.values_list("pk", "slug", "name", "is_operator")
    options = []
    for pk, slug, name, is_operator in rows:
        label = storefront.name if is_operator else name
        options.append(FacetOption(slug, label, counts[pk], slug in selected))
    for slug in selected:
        if not any(o.value == slug for o in options):
            options.append(FacetOption(slug, slug, 0, True))
    options.sort(key=lambda o: (-o.count, o.label.lower()))
    return Facet(SELLER_PARAM, str(_("Vendeur")), options, estimated)


def attribute_facets(
    counts: dict[int, dict[str, int]], selected: dict[str, list[str]], estimated: set[str]
) -> list[Facet]:
    """Facets of the attribute groups from per-attribute value counts; `estimated`: the groups
    whose counts are estimates."""
    facets = []
    groups = facet_attribute_groups()
    for group in sorted(groups.values(), key=lambda g: (g.position, g.label)):
        merged: dict[str, int] = {}
        for attr_id in group.attribute_ids:
            for value, n in counts.get(attr_id, {}).items():
                merged[value] = merged.get(value, 0) + n
        chosen = selected.get(group.param, [])
        if not merged and not chosen:
            continue
        top = sorted(merged.items(), key=lambda kv: (-kv[1], kv[0].lower()))
        top = top[:MAX_OPTIONS_PER_FACET]
        options = [FacetOption(v, v, n, v in chosen) for v, n in top]
        for value in chosen:
            if value not in dict(top):
                options.append(FacetOption(value, value, merged.get(value, 0), True))
        facets.append(Facet(group.param, group.label, options, group.param in estimated))
    return facets


def facet_list(price: Facet, attributes: list[Facet], condition: Facet, seller: Facet):
    return [f for f in (price, *attributes, condition, seller) if f.options]
