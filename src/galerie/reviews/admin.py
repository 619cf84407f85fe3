"""Review moderation in the back office: publish, or reject with a reason (e-mailed)."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from galerie.core.admin import GalerieModelAdmin
from galerie.core.errors import DomainError
from galerie.reviews import services
from galerie.reviews.models import REASON_MAX, Review


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif (envoyé au client)"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@admin.register(Review)
class ReviewAdmin(GalerieModelAdmin):
    list_display = ["product", "rating", "title", "author_name", "purchased_on", "status",
                    "created_at"]  # fmt: skip
    list_filter = ["status", "rating"]
    search_fields = ["product__title", "title", "body", "author_name"]
    list_select_related = ["product"]
    date_hierarchy = "created_at"
    actions = ["publish_reviews", "reject_reviews"]
    # Moderation goes through the actions (and their service): nothing is edited by hand.
    readonly_fields = [f.name for f in Review._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_moderate_permission(self, request):
        return request.user.has_perm("reviews.moderate")

    def _run(self, request, queryset, service, label, **kwargs):
        done = 0
        for review in queryset:
            try:
                service(review=review, actor=request.user, **kwargs)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{review} : {exc.message}", messages.ERROR)
        if done:
            self.message_user(
                request,
                ngettext("%(action)s : %(n)d avis.", "%(action)s : %(n)d avis.", done)
                % {"action": label, "n": done},
                messages.SUCCESS,
            )

    @admin.action(description=_("Publier"), permissions=["moderate"])
    def publish_reviews(self, request, queryset):
        self._run(request, queryset, services.review_publish, _("Publiés"))

    @admin.action(description=_("Refuser (avec motif)"), permissions=["moderate"])
    def reject_reviews(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return render(
                request,
                "admin/reviews/reason.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Refuser des avis"),
                    "form": form,
                    "queryset": queryset,
                    "action": request.POST["action"],
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        self._run(
            request,
            queryset,
            services.review_reject,
            _("Refusés"),
            reason=form.cleaned_data["reason"],
        )
        return None
