"""Records of the personal-data duties (RGPD): who was anonymised, when and by whom, and the
inactivity notices sent before an account is closed for good.

`Customer` is a proxy of Django's User: the back office's list of customer accounts, which
carries the right to erase one (`privacy.erase_customer`, granted to customer service)."""

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.utils.translation import gettext_lazy as _

from galerie.core import clock


class Customer(User):
    class Meta:
        proxy = True
        verbose_name = _("compte client")
        verbose_name_plural = _("comptes clients")
        permissions = [("erase_customer", _("Peut anonymiser un compte client"))]


class ErasureReason(models.TextChoices):
    CUSTOMER = "customer", _("demande du client")
    SUPPORT = "support", _("service client")
    RETENTION = "retention", _("inactivité (durée de conservation)")


class Erasure(models.Model):
    """One anonymised account (the accountability record of art. 5.2 RGPD): it holds no personal
    data, only the account's id, the date, the reason and the staff member who ran it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="erasure",
        verbose_name=_("compte"),
    )
    erased_at = clock.DateTimeField(_("anonymisé le"), auto_now_add=True)
    reason = models.CharField(_("motif"), max_length=10, choices=ErasureReason.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("par"),
    )

    class Meta:
        verbose_name = _("anonymisation")
        verbose_name_plural = _("anonymisations")
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"{self.user_id} — {self.erased_at:%d/%m/%Y}"


# A customer inactive for INACTIVITY_YEARS gets a notice; NOTICE_DAYS later, still inactive, the
# account is erased (CNIL: a customer's data is kept three years after the last contact).
INACTIVITY_YEARS = 3
NOTICE_DAYS = 30


class InactivityNotice(models.Model):
    """A notice sent to a customer inactive for three years. It stands for the inactivity it was
    sent about: any later login or order makes it stale, and the next run starts over."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inactivity_notices"
    )
    sent_at = clock.DateTimeField(_("envoyé le"), db_index=True)
    last_activity_at = models.DateTimeField(_("dernière activité constatée"))

    class Meta:
        verbose_name = _("avis d'inactivité")
        verbose_name_plural = _("avis d'inactivité")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.user_id} — {self.sent_at:%d/%m/%Y}"
