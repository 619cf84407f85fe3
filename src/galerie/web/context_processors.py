"""What every storefront page's layout shows about the visitor: the header's cart count."""

from functools import cache

from galerie.cart.selectors import cart_item_count_for_request
from galerie.web.caching import page_is_shared


def cart_count(request):
    """`cart_count`: a callable the template calls when it shows the header (at most one query,
    once per response); 0 on a page rendered for the page cache, which every visitor may get."""

    @cache
    def count() -> int:
        if getattr(request, "storefront", None) is None or page_is_shared(request):
            return 0
        return cart_item_count_for_request(request)

    return {"cart_count": count}
