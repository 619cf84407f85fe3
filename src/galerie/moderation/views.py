"""The notice form (DSA art. 16): anyone, logged in or not, reports a product or one of its
offers as illegal from the product page. The link there is the same for every visitor (the page
is cached): /signalement/produit/<id>/[offre/<id>/], built from ids the page already has."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from galerie.core import throttle
from galerie.core.errors import DomainError, NotFound
from galerie.core.throttle import Throttled, client_ip
from galerie.moderation.forms import NoticeForm
from galerie.moderation.services import notice_submit
from galerie.sellers.models import OFFER_VISIBLE, Offer
from galerie.storefronts.listing import visible_products


def notice_view(request, product_id: int, offer_id: int | None = None):
    storefront = getattr(request, "storefront", None)
    if storefront is None:
        raise Http404(_("Aucune boutique à cette adresse."))
    product = visible_products(storefront).filter(pk=product_id).first()
    if product is None:
        raise Http404(_("Ce produit n'est pas disponible dans cette boutique."))
    offer = None
    if offer_id is not None:
        offer = (
            Offer.objects.filter(OFFER_VISIBLE, pk=offer_id, product_id=product.pk)
            .select_related("seller")
            .first()
        )
        if offer is None:
            raise Http404(_("Cette offre n'est pas disponible."))
    form = NoticeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                throttle.throttle_hit(throttle.NOTICE_IP, client_ip(request))
                notice = notice_submit(
                    product=product, offer=offer, storefront=storefront, **form.cleaned_data
                )
            except Throttled as error:
                form.add_error(None, error.message)
                status = 429
            except NotFound as error:
                raise Http404(error.message) from error
            except DomainError as error:
                form.add_error(error.field, error.message)
            else:
                return render(request, "moderation/notice_sent.html", {"notice": notice})
    return render(
        request,
        "moderation/notice_form.html",
        {"form": form, "product": product, "offer": offer},
        status=status,
    )
