"""Customers' addresses in the back office (customer service corrects a typo for a customer)."""

from django.contrib import admin

from galerie.accounts.forms import AdminLoginForm
from galerie.accounts.models import Address
from galerie.core.admin import GalerieModelAdmin

admin.site.login_form = AdminLoginForm


@admin.register(Address)
class AddressAdmin(GalerieModelAdmin):
    list_display = ("name", "postcode", "city", "country", "user", "is_default")
    list_filter = ("country",)
    search_fields = ("name", "city", "postcode", "user__email")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
