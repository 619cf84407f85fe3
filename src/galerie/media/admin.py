"""The product page's pictures (an inline of catalog's ProductAdmin): every upload goes through
`product_image_add`, so the back office meets the same checks as the seller portal."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from galerie.media.errors import ImageRefused
from galerie.media.imaging import image_check
from galerie.media.models import ProductImage
from galerie.media.selectors import thumbnail_url
from galerie.media.services import (
    product_image_add,
    product_image_delete,
    product_image_update,
    upload_read,
)


class ProductImageForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("fichier"),
        required=False,
        help_text=_("JPEG, PNG ou WebP."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        model = ProductImage
        fields = ["upload", "alt", "position"]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            if self.instance.pk is None and self.has_changed():
                raise ValidationError(_("Choisissez un fichier image."))
            return None
        try:
            image_check(upload_read(upload))
        except ImageRefused as exc:
            raise ValidationError(exc.message, code=exc.code) from None
        return upload


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    form = ProductImageForm
    extra = 1
    fields = ["preview", "upload", "alt", "position", "source", "status", "error"]
    readonly_fields = ["preview", "source", "status", "error"]

    @admin.display(description=_("aperçu"))
    def preview(self, image):
        if not image.pk or image.status != "ready":
            return "—"
        return format_html('<img src="{}" alt="" width="80">', thumbnail_url(image.digest, 160))


def product_image_formset_save(formset, *, product) -> None:
    """Save the pictures inline through the media services (called by ProductAdmin)."""
    # What the admin's change message and history read, as formset.save() would set them.
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.forms:
        if not form.has_changed() and not formset._should_delete_form(form):
            continue
        image = form.instance
        if image.pk and formset._should_delete_form(form):
            product_image_delete(image=image)
            formset.deleted_objects.append(image)
        elif image.pk:
            product_image_update(
                image=image,
                alt=form.cleaned_data.get("alt", ""),
                position=form.cleaned_data.get("position") or 0,
            )
            formset.changed_objects.append((image, form.changed_data))
        elif form.cleaned_data.get("upload"):
            added = product_image_add(
                product=product,
                upload=form.cleaned_data["upload"],
                alt=form.cleaned_data.get("alt", ""),
            )
            formset.new_objects.append(added)
