def storefront(request):
    return {"storefront": getattr(request, "storefront", None)}
