"""The product listing of a storefront: visibility, facets with counts, sorting and pagination.

One selector serves the category page, the search page and the JSON API, so that the three always
agree on what a shopper may see. Facets are disjunctive: values of one group combine with OR, groups
combine with AND, and each group's counts are computed with every *other* group's filters applied.
Condition, price and seller filters apply to one and the same purchasable offer. How counts stay
cheap at any size (precomputed, sampled, capped) is told in `counting`.

    params      URL parameters, sorts, limits, cleaning raw input
    catalogue   cached reads: the storefront's categories, the facet attributes, visibility
    filters     the shopper's selection and what it means, in SQL and on stored offer facets
    counting    totals and facet counts
    facets      facets as a page shows them
    pages       one page in a sort order
    selector    `product_listing`, `storefront_search`
"""

from galerie.storefronts.listing.catalogue import (
    AttributeGroup,
    category_by_slug,
    category_children,
    category_map,
    facet_attribute_groups,
    mall_root_ids,
    scopes_of,
    storefront_breadcrumb,
    storefront_category_tree,
    storefront_root_ids,
    storefront_visible_category_ids,
    visible_products,
)
from galerie.storefronts.listing.facets import Facet, FacetOption
from galerie.storefronts.listing.pages import CARD_FIELDS
from galerie.storefronts.listing.params import (
    CONDITION_PARAM,
    EXACT_PARAM,
    MAX_PER_PAGE,
    PAGE_PARAM,
    PRICE_PARAM,
    QUERY_PARAM,
    SELLER_PARAM,
    SORT_NEWEST,
    SORT_PARAM,
    SORT_PRICE_ASC,
    SORT_PRICE_DESC,
    SORT_RELEVANCE,
    SORTS,
    clean_query,
    normalise_sort,
    parse_page,
    strip_control,
)
from galerie.storefronts.listing.selector import (
    SEARCH_LIMIT,
    Listing,
    SearchElsewhere,
    product_listing,
    storefront_search,
    storefront_search_elsewhere,
)

__all__ = [
    "CARD_FIELDS",
    "CONDITION_PARAM",
    "EXACT_PARAM",
    "MAX_PER_PAGE",
    "PAGE_PARAM",
    "PRICE_PARAM",
    "QUERY_PARAM",
    "SEARCH_LIMIT",
    "SELLER_PARAM",
    "SORTS",
    "SORT_NEWEST",
    "SORT_PARAM",
    "SORT_PRICE_ASC",
    "SORT_PRICE_DESC",
    "SORT_RELEVANCE",
    "AttributeGroup",
    "Facet",
    "FacetOption",
    "Listing",
    "SearchElsewhere",
    "category_by_slug",
    "category_children",
    "category_map",
    "clean_query",
    "facet_attribute_groups",
    "mall_root_ids",
    "normalise_sort",
    "parse_page",
    "product_listing",
    "scopes_of",
    "storefront_breadcrumb",
    "storefront_category_tree",
    "storefront_root_ids",
    "storefront_search",
    "storefront_search_elsewhere",
    "storefront_visible_category_ids",
    "strip_control",
    "visible_products",
]
