"""Review pages: the review policy (L111-7-2 Code de la consommation), and the form a customer
with a verified purchase fills in for a product."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from galerie.core.errors import DomainError
from galerie.reviews import services
from galerie.reviews.forms import ReviewForm
from galerie.reviews.selectors import MODERATION_DAYS, review_of_customer, review_purchases
from galerie.storefronts.listing import visible_products


def policy(request):
    return render(request, "reviews/policy.html", {"moderation_days": MODERATION_DAYS})


@login_required
def review_write(request, slug: str):
    storefront = getattr(request, "storefront", None)
    product = (
        visible_products(storefront).filter(slug=slug).first() if storefront is not None else None
    )
    if product is None:
        raise Http404(_("Ce produit n'est pas disponible dans cette boutique."))
    existing = review_of_customer(customer=request.user, product_id=product.pk)
    eligible = review_purchases(customer=request.user, product_id=product.pk).exists()
    form = ReviewForm(request.POST or None)
    status = 200
    if request.method == "POST" and existing is None and eligible:
        if form.is_valid():
            try:
                services.review_submit(customer=request.user, product=product, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(
                    request,
                    _("Merci ! Votre avis sera publié après modération (sous %(days)d jours).")
                    % {"days": MODERATION_DAYS},
                )
                return redirect("product", slug=product.slug)
        status = 400
    elif request.method == "POST":
        status = 409 if existing is not None else 403
    return render(
        request,
        "reviews/write.html",
        {
            "product": product,
            "form": form,
            "existing": existing,
            "eligible": eligible,
            "moderation_days": MODERATION_DAYS,
        },
        status=status,
    )
