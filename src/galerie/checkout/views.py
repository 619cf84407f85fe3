"""Checkout pages under /commande/: addresses → delivery per seller → recap → place the order."""

import secrets

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from galerie.accounts.services import address_save
from galerie.cart.errors import CartError
from galerie.cart.selectors import (
    cart_for_request,
    cart_page,
    cart_page_seen,
    session_delivery_choices,
    session_delivery_choices_set,
)
from galerie.cart.services import cart_line_travellers_set
from galerie.checkout.forms import AddressStep, PlaceOrderForm, TripTravellers
from galerie.checkout.selectors import (
    checkout_email,
    checkout_state,
    checkout_state_set,
)
from galerie.checkout.services import checkout_place
from galerie.core.errors import DomainError
from galerie.orders.services import order_remember_in_session
from galerie.promotions.vouchers import VOUCHER_CODES
from galerie.travel.selectors import offers_trip_schedules


def _storefront_or_404(request):
    if getattr(request, "storefront", None) is None:
        raise Http404(_("La commande se passe sur une boutique."))
    return request.storefront


def _page_or_redirect(request):
    """The priced cart, or a redirect to the cart when there is nothing (valid) to order."""
    storefront = _storefront_or_404(request)
    page = cart_page(
        cart=cart_for_request(request),
        storefront=storefront,
        delivery_choices=session_delivery_choices(request),
    )
    cart_page_seen(request, page)  # the header's count, without another query
    if page.is_empty:
        messages.info(request, _("Votre panier est vide."))
        return page, redirect("cart:detail")
    if page.has_blocking_problems:
        messages.error(
            request, _("Certains articles de votre panier ne sont plus disponibles : vérifiez-le.")
        )
        return page, redirect("cart:detail")
    return page, None


BUYER_FIELDS = {"buyer_company", "buyer_siren", "buyer_vat_number"}


def _user(request):
    return request.user if request.user.is_authenticated else None


def address_view(request):
    page, early = _page_or_redirect(request)
    if early:
        return early
    user = _user(request)
    state = checkout_state(request)
    saved = list(user.addresses.all()) if user else []
    chosen = request.GET.get("adresse", "")
    if chosen:
        address = next((a for a in saved if str(a.pk) == chosen), None)
        if address is None:
            raise Http404(_("Adresse introuvable."))
        state = {**state, "shipping": address.as_dict()}
    elif not state and saved:
        state = {"shipping": saved[0].as_dict(), "billing_same": True}
    step = AddressStep(request.POST or None, need_email=user is None, initial=state)
    if request.method == "POST" and step.is_valid():
        new_state = step.state()
        checkout_state_set(request, new_state)
        if user and step.choice.cleaned_data.get("save_address"):
            address_save(user=user, data=new_state["shipping"])
        return redirect("checkout:travellers" if page.quote.has_trips else "checkout:delivery")
    return render(
        request,
        "checkout/address.html",
        {"step": step, "page": page, "saved_addresses": saved},
        status=400 if step.has_errors else 200,
    )


def _state_or_redirect(request):
    state = checkout_state(request)
    if not state.get("shipping") or not checkout_email(request, state):
        return state, redirect("checkout:address")
    return state, None


def travellers_view(request):
    """Each trip's travellers (name, birth date), stored on the cart line before ordering."""
    page, early = _page_or_redirect(request)
    if early:
        return early
    _state, early = _state_or_redirect(request)
    if early:
        return early
    data = request.POST if request.method == "POST" else None
    trips = [
        TripTravellers(data, quote_line=line)
        for group in page.quote.groups
        for line in group.lines
        if line.is_trip
    ]
    if not trips:
        return redirect(_after_travellers(page))
    if data is not None:
        for trip in trips:
            if not trip.is_valid():
                continue
            try:
                cart_line_travellers_set(
                    cart=page.cart, line_id=trip.line.cart_line.pk, travellers=trip.travellers()
                )
            except CartError as exc:
                trip.add_error(field=exc.field, message=exc.message)
        if not any(trip.has_errors for trip in trips):
            return redirect(_after_travellers(page))
    return render(
        request,
        "checkout/travellers.html",
        {"page": page, "trips": trips},
        status=400 if any(trip.has_errors for trip in trips) else 200,
    )


def _after_travellers(page) -> str:
    """Trips alone are not shipped: no delivery to choose, straight to the recap."""
    return "checkout:delivery" if page.quote.ships else "checkout:recap"


def delivery_view(request):
    page, early = _page_or_redirect(request)
    if early:
        return early
    _state, early = _state_or_redirect(request)
    if early:
        return early
    if page.needs_travellers:
        return redirect("checkout:travellers")
    if not page.quote.ships:
        return redirect("checkout:recap")
    groups = page.quote.groups
    if request.method == "POST":
        choices, missing = {}, False
        for group in groups:
            allowed = {option.method_id for option in group.delivery_options}
            raw = request.POST.get(f"delivery_{group.seller.pk}", "")
            if not raw.isdigit() or int(raw) not in allowed:
                missing = True
                continue
            choices[group.seller.pk] = int(raw)
        if not missing:
            session_delivery_choices_set(request, choices)
            return redirect("checkout:recap")
        messages.error(request, _("Choisissez un mode de livraison pour chaque vendeur."))
        return render(request, "checkout/delivery.html", {"page": page}, status=400)
    return render(request, "checkout/delivery.html", {"page": page})


def recap_view(request):
    page, early = _page_or_redirect(request)
    if early:
        return early
    state, early = _state_or_redirect(request)
    if early:
        return early
    if page.needs_travellers:
        return redirect("checkout:travellers")
    # Issued here, once per recap shown: a double click posts the same key twice → one order.
    form = PlaceOrderForm(
        initial={
            "idempotency_key": secrets.token_urlsafe(24),
            "expected_total": page.quote.total if page.quote is not None else None,
        }
    )
    return render(
        request,
        "checkout/recap.html",
        {
            "page": page,
            "state": state,
            "email": checkout_email(request, state),
            "form": form,
            # Shown before ordering (issue 14): each trip's cancellation fee schedule.
            "trip_schedules": offers_trip_schedules(
                [ql.offer.pk for group in page.quote.groups for ql in group.lines]
                if page.quote is not None
                else []
            ),
        },
    )


@require_POST
def place_view(request):
    storefront = _storefront_or_404(request)
    state, early = _state_or_redirect(request)
    if early:
        return early
    form = PlaceOrderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Le formulaire a expiré : vérifiez votre commande et validez."))
        return redirect("checkout:recap")
    cart = cart_for_request(request)
    try:
        result = checkout_place(
            storefront=storefront,
            cart=cart,
            email=checkout_email(request, state),
            user=_user(request),
            delivery_choices=session_delivery_choices(request),
            shipping_address=state["shipping"],
            billing_address=state.get("billing") or state["shipping"],
            idempotency_key=form.cleaned_data["idempotency_key"],
            payment_method=form.cleaned_data["payment_method"],
            expected_total=form.cleaned_data.get("expected_total"),
            buyer=state.get("buyer") or {},
        )
    except DomainError as error:
        messages.error(request, error.message)
        if error.code in {"out_of_stock", "offer_unavailable", "price_changed", "empty_order"}:
            return redirect("cart:detail")
        if error.code in VOUCHER_CODES:  # the code is removed or changed in the cart
            return redirect("cart:detail")
        if error.code == "invalid_address" or error.field in BUYER_FIELDS:
            return redirect("checkout:address")
        if error.code == "invalid_delivery":
            return redirect("checkout:delivery")
        if error.code in {"travellers_required", "bad_details"}:
            return redirect("checkout:travellers")
        return redirect("checkout:recap")
    # The checkout state stays: a double click's second request must find the same addresses
    # to be recognised as the same order (and the next order starts pre-filled).
    order_remember_in_session(request, result.order)
    redirect_url = getattr(result.payment, "redirect_url", None)
    if redirect_url:
        return redirect(redirect_url)
    if form.cleaned_data["payment_method"] == "transfer":
        messages.success(
            request,
            _("Commande enregistrée. Effectuez le virement avec la référence indiquée ci-dessous."),
        )
    return redirect(result.order.get_absolute_url())
