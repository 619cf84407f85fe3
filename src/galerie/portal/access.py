"""Who may use the portal as which seller: the current seller of a request.

The selected seller id lives in the session but is never trusted: it is re-checked against
SellerMember on every request. Anonymous → login; no membership (a customer, or operator staff,
who use the back office instead) → 403; a foreign object id → 404 (the selectors filter by seller).
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from galerie.portal.selectors import member_is_owner, memberships_of
from galerie.sellers.models import SellerMember, SellerStatus

SESSION_KEY = "portal_seller_id"
# Sellers whose account is not (or not yet) open see only their application's status.
PENDING_STATUSES = (SellerStatus.APPLIED, SellerStatus.REJECTED)
BLOCKED_STATUSES = (SellerStatus.SUSPENDED, SellerStatus.CLOSED)


def current_member(request) -> SellerMember | None:
    """The membership the request acts through: the session's seller if the user is (still) a
    member of it, else the user's first seller. None when the user works for no seller."""
    members = memberships_of(request.user)
    if not members:
        request.session.pop(SESSION_KEY, None)
        return None
    wanted = request.session.get(SESSION_KEY)
    member = next((m for m in members if m.seller_id == wanted), members[0])
    if wanted != member.seller_id:
        request.session[SESSION_KEY] = member.seller_id
    request.seller_memberships = members
    return member


def member_select(request, seller_id: int) -> SellerMember | None:
    member = next((m for m in memberships_of(request.user) if m.seller_id == seller_id), None)
    if member is not None:
        request.session[SESSION_KEY] = member.seller_id
    return member


def forbidden(request, message: str):
    return render(request, "portal/forbidden.html", {"message": message}, status=403)


def seller_view(*, owner_only: bool = False, pending_ok: bool = False):
    """Decorate a portal view: sets request.seller_member and request.seller, or answers
    302 (login, or the status page for a seller not yet open) / 403 (no membership, or staff on
    an owner-only page)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            member = current_member(request)
            if member is None:
                return forbidden(request, _("Votre compte n'est membre d'aucun compte vendeur."))
            if member.seller.status in PENDING_STATUSES and not pending_ok:
                return redirect("portal:index")
            if owner_only and not member_is_owner(member):
                return forbidden(
                    request, _("Cette page est réservée au propriétaire du compte vendeur.")
                )
            request.seller_member = member
            request.seller = member.seller
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
