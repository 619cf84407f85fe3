"""The listing's URL parameters, sort orders and limits, and the cleaning of raw input."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MAX_PER_PAGE = 100
MAX_VALUES_PER_GROUP = 20
MAX_VALUE_LENGTH = 200
MAX_OPTIONS_PER_FACET = 30
MAX_QUERY_LENGTH = 500

PRICE_PARAM = "prix"
CONDITION_PARAM = "etat"
SELLER_PARAM = "vendeur"
SORT_PARAM = "tri"
PAGE_PARAM = "page"
QUERY_PARAM = "q"
# Search the query as typed, without the correction offered when it finds nothing.
EXACT_PARAM = "exact"
RESERVED_PARAMS = {
    PRICE_PARAM,
    CONDITION_PARAM,
    SELLER_PARAM,
    SORT_PARAM,
    PAGE_PARAM,
    QUERY_PARAM,
    EXACT_PARAM,
}
# Condition, price and seller describe one offer; every other filter describes the product.
OFFER_PARAMS = (PRICE_PARAM, CONDITION_PARAM, SELLER_PARAM)

SORT_RELEVANCE = "pertinence"
SORT_PRICE_ASC = "prix-croissant"
SORT_PRICE_DESC = "prix-decroissant"
SORT_NEWEST = "nouveautes"
SORTS = {
    SORT_RELEVANCE: _("Pertinence"),
    SORT_PRICE_ASC: _("Prix croissant"),
    SORT_PRICE_DESC: _("Prix décroissant"),
    SORT_NEWEST: _("Nouveautés"),
}

_CONTROL = dict.fromkeys(range(32))


def strip_control(text: str) -> str:
    """Drop control characters: PostgreSQL refuses NUL in text, and none belongs in a filter."""
    return text.translate(_CONTROL)


def clean_query(raw: str | None) -> str:
    """The search box's text with whitespace collapsed, cut to a sane length."""
    return " ".join(strip_control(raw or "").split())[:MAX_QUERY_LENGTH]


def clean_values(raw) -> list[str]:
    """A filter's values: strings without control characters, deduplicated, bounded."""
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [raw]
    values: list[str] = []
    # Repeated parameters, never comma-split: decimal facet values are written "15,6".
    for item in raw:
        part = strip_control(str(item)).strip()[:MAX_VALUE_LENGTH]
        if part and part not in values:
            values.append(part)
    return values[:MAX_VALUES_PER_GROUP]


def normalise_sort(sort: str | None) -> str:
    return sort if sort in SORTS else SORT_RELEVANCE


def parse_page(raw) -> int:
    try:
        page = int(str(raw).strip())
    except (TypeError, ValueError):
        return 1
    return max(page, 1)
