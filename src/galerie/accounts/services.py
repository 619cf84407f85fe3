"""Customer accounts: registration (with an activation link), the address book.

Throttling of logins, resets and registrations lives in `galerie.core.throttle`.
"""

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from galerie.accounts.addresses import ADDRESS_FIELDS, address_clean
from galerie.accounts.models import Address


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """One-time activation links: the hash covers last_login, which the activation sets."""

    key_salt = "galerie.accounts.activation"


activation_token = ActivationTokenGenerator()


def user_is_pending(user: User) -> bool:
    """Registered but not activated yet (an account disabled by staff has logged in before)."""
    return not user.is_active and user.last_login is None and user.has_usable_password()


def user_register(*, email: str, password: str, base_url: str, site_name: str) -> None:
    """Register `email` (validated by the form) and answer the same whatever the database holds,
    so the form tells nobody who has an account: a new address gets an inactive account and an
    activation link by e-mail; an address already registered gets an e-mail saying so (with the
    activation link again while its account awaits it). Nothing else differs, not even the time
    taken: the password is hashed in every case.

    `base_url` is the storefront's root ("https://host/"): links in the e-mail start with it.
    """
    email = email.strip().lower()
    hashed = make_password(password)
    user = None
    if not User.objects.filter(username__iexact=email).exists():
        try:
            with transaction.atomic():
                user = User.objects.create(
                    username=email, email=email, password=hashed, is_active=False
                )
        except IntegrityError:  # registered at the same instant by another request
            user = None
    existing = user is None
    if existing:
        user = User.objects.filter(username__iexact=email).first()
        if user is None:
            return
    context = {"site_name": site_name, "email": email, "base_url": base_url.rstrip("/")}
    if user_is_pending(user):
        template = "activation"
        context["activation_path"] = reverse(
            "accounts:activate",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": activation_token.make_token(user),
            },
        )
    else:
        template = "register_existing"
        context["login_path"] = reverse("accounts:login")
        context["reset_path"] = reverse("accounts:password_reset")
    subject = render_to_string(f"accounts/{template}_subject.txt", context).strip()
    body = render_to_string(f"accounts/{template}_email.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=False)
    )


def user_activate(*, user: User, token: str) -> bool:
    """Activate a pending account if the link's token is right; False otherwise."""
    if not user_is_pending(user) or not activation_token.check_token(user, token):
        return False
    User.objects.filter(pk=user.pk, is_active=False).update(is_active=True)
    user.is_active = True
    return True


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
