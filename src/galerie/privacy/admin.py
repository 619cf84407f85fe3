"""Customer accounts in the back office: customer service anonymises one on request (by phone,
by letter) with the same service as the customer's own "Supprimer mon compte"."""

from django.contrib import admin, messages
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from galerie.core.admin import GalerieModelAdmin
from galerie.core.errors import DomainError
from galerie.privacy.models import Customer, Erasure, ErasureReason
from galerie.privacy.services import customer_erase


@admin.register(Customer)
class CustomerAdmin(GalerieModelAdmin):
    list_display = ("email", "username", "date_joined", "last_login", "is_active")
    list_filter = ("is_active",)
    search_fields = ("email", "username", "last_name")
    fields = ("username", "email", "first_name", "last_name", "date_joined", "last_login")
    readonly_fields = fields
    actions = ["erase_customers"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_staff=False, is_superuser=False)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # never deleted: its orders are kept; anonymised instead

    def has_change_permission(self, request, obj=None):
        return False

    def has_erase_customer_permission(self, request):
        return request.user.has_perm("privacy.erase_customer")

    @admin.action(description=_("Anonymiser (supprimer le compte)"), permissions=["erase_customer"])
    def erase_customers(self, request, queryset):
        if "apply" not in request.POST:
            return render(
                request,
                "admin/privacy/erase_confirm.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Anonymiser (supprimer le compte)"),
                    "queryset": queryset,
                    "action": request.POST["action"],
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        done = 0
        for customer in queryset:
            try:
                customer_erase(user=customer, actor=request.user, reason=ErasureReason.SUPPORT)
                done += 1
            except DomainError as exc:
                self.message_user(
                    request,
                    _("%(customer)s : %(error)s") % {"customer": customer, "error": exc.message},
                    messages.ERROR,
                )
        if done:
            self.message_user(
                request,
                ngettext("%(n)d compte anonymisé.", "%(n)d comptes anonymisés.", done)
                % {"n": done},
                messages.SUCCESS,
            )
        return None


@admin.register(Erasure)
class ErasureAdmin(GalerieModelAdmin):
    list_display = ("user", "erased_at", "reason", "actor")
    list_filter = ("reason",)
    readonly_fields = ("user", "erased_at", "reason", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
