"""A customer's address book. The customer's login is Django's User, with the e-mail as username."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from galerie.core.models import TimeStampedModel


class Address(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses"
    )
    label = models.CharField(_("libellé"), max_length=60, blank=True)
    name = models.CharField(_("nom et prénom"), max_length=120)
    line1 = models.CharField(_("adresse"), max_length=200)
    line2 = models.CharField(_("complément d'adresse"), max_length=200, blank=True)
    postcode = models.CharField(_("code postal"), max_length=12)
    city = models.CharField(_("ville"), max_length=100)
    country = models.CharField(_("pays"), max_length=2, default="FR")
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    is_default = models.BooleanField(_("adresse par défaut"), default=False)

    class Meta:
        verbose_name = _("adresse")
        verbose_name_plural = _("adresses")
        ordering = ["-is_default", "-updated_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(is_default=True),
                name="address_one_default_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.line1}, {self.postcode} {self.city}"

    def as_dict(self) -> dict:
        """The address shape order_place takes."""
        return {
            "name": self.name,
            "line1": self.line1,
            "line2": self.line2,
            "postcode": self.postcode,
            "city": self.city,
            "country": self.country,
            "phone": self.phone,
        }
