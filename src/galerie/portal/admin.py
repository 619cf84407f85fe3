"""Back office view of seller API tokens: who holds one, when it was last used; revoke only."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from galerie.core.admin import GalerieModelAdmin
from galerie.portal.auth import api_token_revoke
from galerie.portal.models import SellerApiToken


@admin.register(SellerApiToken)
class SellerApiTokenAdmin(GalerieModelAdmin):
    list_display = ["name", "prefix", "seller", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "seller__name", "user__username", "user__email"]
    list_select_related = ["seller", "user"]
    readonly_fields = list_display
    fields = list_display
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # a token is created by its user in the portal, and shown to them only

    def has_change_permission(self, request, obj=None):
        return False

    def has_revoke_permission(self, request):
        # Revoking sets `revoked_at`: the model's change right, although no field is editable.
        return request.user.has_perm("portal.change_sellerapitoken")

    @admin.action(description=_("Révoquer les jetons sélectionnés"), permissions=["revoke"])
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token)
        messages.success(request, _("Jetons révoqués."))
