"""What listings read from a product's stored offer facets: masks and `LIKE` patterns, held to
a brute-force match on the (condition, price range, seller) triples themselves."""

from hypothesis import given, settings
from hypothesis import strategies as st

from galerie.catalog.summary import (
    OFFER_CONDITIONS,
    PRICE_RANGES,
    offer_facets_parse,
    offer_facets_patterns,
    offer_facets_text,
    offer_filter_mask,
    offer_masks,
)
from galerie.sellers.models import Condition

RANGES = [key for key, _lo, _hi in PRICE_RANGES]
SELLERS = [1, 3, 12, 13, 31, 123]

triple_st = st.tuples(
    st.sampled_from(OFFER_CONDITIONS), st.sampled_from(RANGES), st.sampled_from(SELLERS)
)
selection_st = st.tuples(
    st.lists(st.sampled_from(OFFER_CONDITIONS), max_size=3, unique=True),
    st.lists(st.sampled_from(RANGES), max_size=3, unique=True),
    st.lists(st.sampled_from(SELLERS), max_size=3, unique=True),
)


def brute(triples, conditions, ranges, sellers) -> bool:
    return any(
        (not conditions or c in conditions)
        and (not ranges or p in ranges)
        and (not sellers or s in sellers)
        for c, p, s in triples
    )


def test_the_masks_know_every_condition_an_offer_can_have():
    assert set(OFFER_CONDITIONS) == set(Condition.values)


@settings(max_examples=300, derandomize=True, database=None)
@given(triples=st.lists(triple_st, max_size=6), selection=selection_st)
def test_patterns_match_a_product_iff_one_offer_matches_every_group(triples, selection):
    conditions, ranges, sellers = selection
    text = offer_facets_text((c, s, p) for c, p, s in triples)
    assert sorted(set(offer_facets_parse(text))) == sorted(set(triples))
    patterns = offer_facets_patterns(conditions=conditions, price_ranges=ranges, sellers=sellers)
    if not (conditions or ranges or sellers):
        assert patterns == []
        return
    found = any((text.endswith(p) if lookup == "endswith" else p in text) for lookup, p in patterns)
    assert found == brute(triples, conditions, ranges, sellers)


@settings(max_examples=300, derandomize=True, database=None)
@given(triples=st.lists(triple_st, max_size=6), selection=selection_st)
def test_masks_match_a_product_iff_one_offer_matches_condition_and_price(triples, selection):
    conditions, ranges, sellers = selection
    mask, by_seller = offer_masks(triples)
    allowed = offer_filter_mask(conditions=conditions, price_ranges=ranges)

    assert bool(mask & allowed) == brute(triples, conditions, ranges, [])
    for seller in SELLERS:
        assert bool(by_seller.get(seller, 0) & allowed) == brute(
            triples, conditions, ranges, [seller]
        )
