"""Customer accounts: registration, login throttling, the address book.

Login throttling counts failures per (e-mail, IP) in the Django cache: at most
LOGIN_MAX_FAILURES failures in LOGIN_WINDOW_SECONDS, after which even the right password is
refused until the window ends — so a guessing script gains nothing by continuing.
"""

import hashlib

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from galerie.accounts.addresses import ADDRESS_FIELDS, address_clean
from galerie.accounts.errors import TooManyLoginAttempts
from galerie.accounts.models import Address

LOGIN_MAX_FAILURES = 5
LOGIN_WINDOW_SECONDS = 15 * 60


def user_register(*, email: str, password: str) -> User:
    """Create a customer whose login is the e-mail (validated and unused: the form checks)."""
    email = email.strip().lower()
    return User.objects.create_user(username=email, email=email, password=password)


def _throttle_key(*, email: str, ip: str) -> str:
    digest = hashlib.sha256(f"{email.strip().lower()}|{ip}".encode()).hexdigest()
    return f"login-failures:{digest}"


def login_throttle_check(*, email: str, ip: str) -> None:
    """Raise TooManyLoginAttempts while this e-mail + IP has used up its failures."""
    if (cache.get(_throttle_key(email=email, ip=ip)) or 0) >= LOGIN_MAX_FAILURES:
        raise TooManyLoginAttempts(
            _(
                "Trop de tentatives de connexion échouées. Pour votre sécurité, réessayez dans "
                "15 minutes ou réinitialisez votre mot de passe."
            )
        )


def login_failure_record(*, email: str, ip: str) -> int:
    key = _throttle_key(email=email, ip=ip)
    # add() starts the window at the first failure; incr() keeps its expiry.
    cache.add(key, 0, LOGIN_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, LOGIN_WINDOW_SECONDS)
        return 1


def login_failures_reset(*, email: str, ip: str) -> None:
    cache.delete(_throttle_key(email=email, ip=ip))


@transaction.atomic
def address_save(*, user: User, data: dict, address: Address | None = None) -> Address:
    """Create or update one of the user's addresses; `is_default` moves the default flag."""
    if address is not None and address.user_id != user.pk:
        raise Address.DoesNotExist
    address = address or Address(user=user)
    data = {
        **data,
        **address_clean({k: data.get(k, "") for k in ADDRESS_FIELDS}, which=_("du carnet")),
    }
    for field in ("label", "name", "line1", "line2", "postcode", "city", "country", "phone"):
        if field in data:
            setattr(address, field, data[field] or "")
    make_default = (
        bool(data.get("is_default")) or not user.addresses.exclude(pk=address.pk).exists()
    )
    if make_default:
        user.addresses.exclude(pk=address.pk).filter(is_default=True).update(is_default=False)
    address.is_default = make_default
    address.save()
    return address


@transaction.atomic
def address_delete(*, user: User, address: Address) -> None:
    if address.user_id != user.pk:
        raise Address.DoesNotExist
    was_default = address.is_default
    address.delete()
    if was_default:
        other = user.addresses.order_by("-updated_at").first()
        if other is not None:
            other.is_default = True
            other.save(update_fields=["is_default", "updated_at"])
