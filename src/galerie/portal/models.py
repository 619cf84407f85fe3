"""Seller API tokens: one per (user, seller) key, stored hashed; shown once at creation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from galerie.core import clock


class SellerApiToken(models.Model):
    """A bearer token of a seller's user for the seller API.

    Only the SHA-256 of the secret is stored: the secret is random (256 bits), so a slow hash
    would add nothing, and a leaked table does not leak usable tokens. `prefix` (the first
    characters of the secret) lets people tell their tokens apart.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="seller_api_tokens",
        verbose_name=_("utilisateur"),
    )
    seller = models.ForeignKey(
        "sellers.Seller",
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("vendeur"),
    )
    name = models.CharField(_("nom"), max_length=100)
    prefix = models.CharField(_("début du jeton"), max_length=12)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = clock.DateTimeField(_("créé le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("jeton d'API vendeur")
        verbose_name_plural = _("jetons d'API vendeur")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
