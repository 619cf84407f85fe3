"""Back office of notice and action: notices to decide (with the statement of reasons), the
decisions taken, the sellers' complaints to uphold or reverse. Every write is a service call,
behind the `moderation.decide` permission."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from galerie.core import clock
from galerie.core.admin import GalerieModelAdmin
from galerie.core.errors import DomainError
from galerie.moderation.limits import FACTS_MAX, GROUND_MAX
from galerie.moderation.models import (
    Complaint,
    ComplaintStatus,
    Decision,
    DecisionKind,
    DecisionOffer,
    GroundKind,
    Notice,
    NoticeCategory,
    NoticeStatus,
)
from galerie.moderation.selectors import transparency_report
from galerie.moderation.services import complaint_resolve, notice_decide

DECIDE = "moderation.decide"


class DecideForm(forms.Form):
    kind = forms.ChoiceField(label=_("Décision"), choices=DecisionKind.choices)
    facts = forms.CharField(
        label=_("Faits et circonstances"),
        max_length=FACTS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    ground_kind = forms.ChoiceField(label=_("Fondement"), choices=GroundKind.choices)
    ground = forms.CharField(
        label=_("Disposition légale ou clause des conditions"), max_length=GROUND_MAX
    )
    automated = forms.BooleanField(label=_("Moyens automatisés utilisés"), required=False)


class OutcomeForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif"), max_length=FACTS_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


def _form_page(modeladmin, request, queryset, *, form, title):
    return render(
        request,
        "admin/moderation/action_form.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "form": form,
            "queryset": queryset,
            "action": request.POST["action"],
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


def _report(modeladmin, request, done: int, label) -> None:
    if done:
        modeladmin.message_user(
            request,
            ngettext("%(action)s : %(n)d élément.", "%(action)s : %(n)d éléments.", done)
            % {"action": label, "n": done},
            messages.SUCCESS,
        )


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "seller", "ground", "automated", "decided_by", "reversed_at"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(GalerieModelAdmin):
    """Rows written by the services only: viewed here, never edited or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_decide_permission(self, request):
        return request.user.has_perm(DECIDE)


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "category", "product", "offer", "status", "created_at"]
    list_filter = ["status", "category"]
    search_fields = ["product__title", "reporter_email", "explanation"]
    date_hierarchy = "created_at"
    list_select_related = ["product", "offer__seller"]
    readonly_fields = [
        "storefront",
        "product",
        "offer",
        "category",
        "explanation",
        "reporter_name",
        "reporter_email",
        "good_faith",
        "status",
        "created_at",
        "decided_at",
    ]
    fields = readonly_fields
    inlines = [DecisionInline]
    actions = ["decide"]

    def get_urls(self):
        return [
            path(
                "rapport/",
                self.admin_site.admin_view(self.report_view),
                name="moderation_notice_report",
            ),
            *super().get_urls(),
        ]

    def report_view(self, request):
        """The year's transparency counts (DSA art. 15 and 24), as `galerie moderation-report`."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            year = int(request.GET.get("annee", ""))
        except ValueError:
            year = clock.localdate().year
        year = min(max(year, 2000), 9998)
        report = transparency_report(year=year)
        labels = {
            **dict(NoticeCategory.choices),
            **dict(DecisionKind.choices),
            **dict(ComplaintStatus.choices),
        }
        return TemplateResponse(
            request,
            "admin/moderation/report.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Rapport de transparence %(year)d") % {"year": year},
                "report": report,
                "year": year,
                "sections": [
                    (_("Signalements reçus, par catégorie"), report.notices),
                    (_("Décisions prises, par type"), report.decisions),
                    (_("Réclamations déposées, par issue"), report.complaints),
                ],
                "labels": labels,
            },
        )

    @admin.action(description=_("Décider (exposé des motifs)"), permissions=["decide"])
    def decide(self, request, queryset):
        form = DecideForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return _form_page(
                self, request, queryset, form=form, title=_("Décider des suites du signalement")
            )
        done = 0
        for notice in queryset.filter(status=NoticeStatus.OPEN):
            try:
                notice_decide(notice=notice, actor=request.user, **form.cleaned_data)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{notice} : {exc.message}", messages.ERROR)
        _report(self, request, done, _("Décision prise"))
        return None


class DecisionOfferInline(admin.TabularInline):
    model = DecisionOffer
    extra = 0
    can_delete = False
    fields = ["offer"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "seller", "automated", "created_at", "reversed_at"]
    list_filter = ["kind", "ground_kind", "automated"]
    search_fields = ["seller__name", "notice__product__title"]
    list_select_related = ["notice", "seller"]
    readonly_fields = [
        "notice",
        "kind",
        "seller",
        "facts",
        "ground_kind",
        "ground",
        "automated",
        "decided_by",
        "created_at",
        "reversed_at",
    ]
    fields = readonly_fields
    inlines = [DecisionOfferInline]


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "created_at", "resolved_at"]
    list_filter = ["status"]
    list_select_related = ["decision__notice"]
    readonly_fields = [
        "decision",
        "text",
        "submitted_by",
        "status",
        "outcome_reason",
        "resolved_at",
        "resolved_by",
        "created_at",
    ]
    fields = readonly_fields
    actions = ["uphold", "reverse"]

    def _resolve(self, request, queryset, *, reverse: bool, label):
        form = OutcomeForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return _form_page(self, request, queryset, form=form, title=label)
        done = 0
        for complaint in queryset.filter(status=ComplaintStatus.OPEN):
            try:
                complaint_resolve(
                    complaint=complaint,
                    reverse=reverse,
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{complaint} : {exc.message}", messages.ERROR)
        _report(self, request, done, label)
        return None

    @admin.action(description=_("Maintenir la décision"), permissions=["decide"])
    def uphold(self, request, queryset):
        return self._resolve(request, queryset, reverse=False, label=_("Décision maintenue"))

    @admin.action(description=_("Annuler la décision (lever les mesures)"), permissions=["decide"])
    def reverse(self, request, queryset):
        return self._resolve(request, queryset, reverse=True, label=_("Décision annulée"))
