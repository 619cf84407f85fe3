"""Seller API token authentication: create, revoke and check `Authorization: Bearer <token>`.

A token is valid only while it is not revoked, its user is active and the user is still a
member of the token's seller (membership is re-checked on every request, like the portal does).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.utils.translation import gettext as _

from galerie.core import clock
from galerie.portal.errors import PortalError
from galerie.portal.models import SellerApiToken
from galerie.sellers.models import SellerMember

TOKEN_PREFIX = "gal_"  # noqa: S105 (a public marker, not a secret)
# Writing last_used_at on every call would turn every read into a write; a minute is precise enough.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: SellerApiToken
    secret: str  # shown once, never stored


def api_token_create(*, member: SellerMember, name: str) -> IssuedToken:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise PortalError(
            _("Donnez un nom au jeton (100 caractères au plus)."), code="token_name", field="name"
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = SellerApiToken.objects.create(
        user=member.user,
        seller=member.seller,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=_hash(secret),
    )
    return IssuedToken(token=token, secret=secret)


def api_token_revoke(*, token: SellerApiToken) -> SellerApiToken:
    """Revoke once; revoking again keeps the first date."""
    SellerApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=clock.now()
    )
    token.refresh_from_db()
    return token


def api_token_member(secret: str) -> SellerMember | None:
    """The membership a bearer secret stands for, or None (unknown, revoked, member removed)."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        SellerApiToken.objects.filter(token_hash=_hash(secret), revoked_at__isnull=True)
        .select_related("user", "seller")
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    member = (
        SellerMember.objects.filter(user_id=token.user_id, seller_id=token.seller_id)
        .select_related("seller", "user")
        .first()
    )
    if member is None:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        SellerApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return member
