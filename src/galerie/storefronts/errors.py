"""Storefront errors, with the stable codes the API returns."""

from django.utils.translation import gettext as _

from galerie.core.errors import DomainError


class StorefrontDetached(DomainError):
    """The storefront was sold (`galerie detach-storefront`): it takes no new order."""

    code = "storefront_detached"
    status = 410


def storefront_detached_message(*, name: str, successor_name: str) -> str:
    """What every interface says of a sold storefront (notice page, checkout, API)."""
    return _("%(shop)s a été cédée à %(owner)s et ne prend plus de commandes ici.") % {
        "shop": name,
        "owner": successor_name,
    }
