from galerie.storefronts.selectors import storefront_page_links


def storefront(request):
    current = getattr(request, "storefront", None)
    return {"storefront": current, "storefront_pages": storefront_page_links(current)}
