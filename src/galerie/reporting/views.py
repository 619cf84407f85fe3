"""The finance dashboard (« Pilotage ») under /admin/pilotage/: staff with the reporting permission.

Views parse the period, call the selectors once (one grouped query over the ledger, folded per
table) and render; CSV exports reuse the very same rows.
"""

import csv
from decimal import Decimal

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from galerie.core import clock
from galerie.reporting.backoffice import PILOTAGE_PERMISSION
from galerie.reporting.charts import Series, bar_chart_svg, compact_euros, hbar_chart_svg
from galerie.reporting.models import SimulationRun
from galerie.reporting.periods import MONTH_NAMES, PeriodError, period_from_params, period_rolling
from galerie.reporting.selectors import (
    COLUMNS,
    EconomicsRow,
    economics,
    economics_constant_total,
    economics_regroup,
    economics_total,
)
from galerie.storefronts.models import Storefront

GROUP_COLOR = "#3c4043"
EXPORTS = {
    "boutiques": ("storefront",),
    "mois": ("storefront", "month"),
    "categories": ("category",),
    "vendeurs": ("seller",),
}


def _check(request) -> None:
    if not request.user.has_perm(PILOTAGE_PERMISSION):
        raise PermissionDenied(_("Le pilotage économique est réservé à la finance."))


def headline(row: EconomicsRow) -> str:
    """« Perte de 21 M€ sur 124 M€ de chiffre d'affaires »."""
    if not row.net_revenue and not row.operating_result:
        return _("Aucune activité sur la période")
    result = row.operating_result
    word = _("Perte") if result < 0 else _("Bénéfice")
    return _("%(w)s de %(r)s sur %(ca)s de chiffre d'affaires") % {
        "w": word,
        "r": compact_euros(abs(result)),
        "ca": compact_euros(row.net_revenue),
    }


def _period(request):
    today = clock.localdate()
    try:
        return period_from_params(request.GET, today=today), ""
    except PeriodError as exc:
        return period_rolling(today=today), exc.message


def _storefront_filter(request, storefronts):
    slug = (request.GET.get("boutique") or "").strip()
    if not slug:
        return None, ""
    for storefront in storefronts:
        if storefront.slug == slug:
            return storefront, ""
    return None, _("Boutique inconnue « %(s)s » : toutes les boutiques sont affichées.") % {
        "s": slug
    }


def _cells(row: EconomicsRow) -> dict:
    return {
        "label": row.label,
        "cells": [getattr(row, attribute) for attribute, _heading in COLUMNS],
        "margin_rate": row.margin_rate,
        "is_loss": row.operating_result < 0,
    }


def _table(rows: list[EconomicsRow], total: EconomicsRow, also: EconomicsRow | None = None) -> dict:
    """Rows as plain cells in COLUMNS order: the template only prints them. `also`: a second
    total (the group at constant scope)."""
    return {
        "headings": [heading for _attribute, heading in COLUMNS],
        "rows": [_cells(row) for row in rows],
        "total": _cells(total),
        "also": _cells(also) if also is not None else None,
    }


def _sold_note(storefront) -> str:
    if not storefront.is_detached:
        return ""
    return _("Cédée à %(owner)s ; chiffres jusqu'au %(date)s.") % {
        "owner": storefront.successor_name,
        "date": storefront.figures_end.strftime("%d/%m/%Y"),
    }


def dashboard(request):
    _check(request)
    period, error = _period(request)
    storefronts = list(Storefront.objects.order_by("name"))
    chosen, store_error = _storefront_filter(request, storefronts)
    # « Périmètre constant »: sold storefronts left out of every period and table.
    constant = request.GET.get("perimetre") == "constant"
    sold = [s for s in storefronts if s.is_detached]
    if constant:
        storefronts = [s for s in storefronts if not s.is_detached]
    if request.GET.get("export"):
        return _export(request, period, chosen, constant)

    # Three grouped reads of the ledger's monthly totals; the storefront cards fold the first.
    span = {"start": period.start, "end": period.end, "constant_scope": constant}
    monthly = economics(group_by=["storefront", "month"], **span)
    by_storefront = {r.storefront_id: r for r in economics_regroup(monthly, group_by="storefront")}
    group = economics_total(by_storefront.values(), label=_("Groupe"))
    cards = [
        {
            "name": s.name,
            "color": s.primary_color or GROUP_COLOR,
            "row": by_storefront.get(s.pk) or EconomicsRow(storefront_id=s.pk, label=s.name),
            "sold": _sold_note(s),
        }
        for s in storefronts
    ]
    if None in by_storefront:  # postings without a storefront: shown, since the group counts them
        cards.append({"name": _("Hors boutique"), "color": GROUP_COLOR, "row": by_storefront[None]})
    constant_total = None
    if sold and not constant:
        constant_total = economics_constant_total(
            by_storefront.values(), label=_("Groupe à périmètre constant (hors boutiques cédées)")
        )
        cards.append({"name": constant_total.label, "color": GROUP_COLOR, "row": constant_total})
    group_name = (
        _("Groupe à périmètre constant (hors boutiques cédées)")
        if constant and sold
        else _("Groupe (toutes boutiques)")
    )
    cards.append({"name": group_name, "color": GROUP_COLOR, "row": group})
    for card in cards:
        card["headline"] = headline(card["row"])
        card["is_loss"] = card["row"].operating_result < 0

    months = period.months
    month_labels = [f"{MONTH_NAMES[m.month - 1]} {m.year}" for m in months]
    grid = {(r.storefront_id, r.month): r for r in monthly}

    def series(attribute: str) -> list[Series]:
        return [
            Series(
                s.name,
                s.primary_color or GROUP_COLOR,
                [
                    getattr(grid[(s.pk, m)], attribute) if (s.pk, m) in grid else Decimal("0.00")
                    for m in months
                ],
            )
            for s in storefronts
        ]

    revenue_series, result_series = series("net_revenue"), series("operating_result")
    scope = chosen.name if chosen else _("toutes boutiques")
    scoped = [chosen.pk] if chosen else None
    if constant and chosen is not None and chosen.is_detached:
        scoped = []
    categories = economics(group_by="category", category_depth=1, storefront_ids=scoped, **span)
    sellers = economics(group_by="seller", storefront_ids=scoped, **span)
    sellers.sort(key=lambda r: (r.seller_id is None, -r.gmv))
    charted = [r for r in categories if r.category_id is not None]
    context = {
        **admin.site.each_context(request),
        "title": _("Pilotage économique"),
        "period": period,
        "error": error or store_error,
        "simulation": SimulationRun.objects.filter(finished_at__isnull=True, error="").first(),
        "params": request.GET,
        "query": request.GET.urlencode(),
        "storefronts": storefronts,
        "chosen": chosen,
        "scope": scope,
        "years": list(range(clock.localdate().year, clock.localdate().year - 6, -1)),
        "month_choices": list(enumerate(MONTH_NAMES, start=1)),
        "cards": cards,
        "month_labels": month_labels,
        "revenue_chart": bar_chart_svg(
            title=_("Chiffre d'affaires net HT par mois et par boutique"),
            desc=_("Barres groupées, une par boutique pour chaque mois de la période (%(p)s).")
            % {"p": period.label},
            labels=month_labels,
            series=revenue_series,
        ),
        "result_chart": bar_chart_svg(
            title=_("Résultat d'exploitation par mois et par boutique"),
            desc=_("Barres groupées ; sous l'axe, une perte. Période : %(p)s.")
            % {"p": period.label},
            labels=month_labels,
            series=result_series,
        ),
        "monthly_rows": [
            {
                "label": label,
                "cells": [
                    (s.values[i], r.values[i])
                    for s, r in zip(revenue_series, result_series, strict=True)
                ],
            }
            for i, label in enumerate(month_labels)
        ],  # fmt: skip
        "category_chart": hbar_chart_svg(
            title=_("Marge sur coûts variables par rayon (%(s)s)") % {"s": scope},
            desc=_("Une barre par rayon ; verte pour une marge positive, rouge pour une perte."),
            labels=[r.label for r in charted],
            values=[r.contribution_margin for r in charted],
        ),
        "charted_categories": charted,
        "storefront_table": _table(
            [card["row"] for card in cards[:-1] if card["row"] is not constant_total],
            group,
            also=constant_total,
        ),
        "constant": constant,
        "sold": sold,
        "category_table": _table(categories, economics_total(categories)),
        "seller_table": _table(sellers, economics_total(sellers)),
    }
    return TemplateResponse(request, "reporting/dashboard.html", context)


def _export(request, period, chosen, constant: bool = False) -> HttpResponse:
    name = request.GET.get("export", "")
    if name not in EXPORTS:
        return HttpResponse(
            _("Export inconnu « %(n)s » (boutiques, mois, categories, vendeurs).") % {"n": name},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    group_by = EXPORTS[name]
    scoped = [chosen.pk] if chosen and name in ("categories", "vendeurs") else None
    rows = economics(
        start=period.start,
        end=period.end,
        group_by=group_by,
        category_depth=1 if name == "categories" else None,
        storefront_ids=scoped,
        constant_scope=constant,
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"pilotage-{name}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # lets spreadsheet software read the file as UTF-8
    writer = csv.writer(response, delimiter=";")
    headings = {
        "storefront": _("Boutique"),
        "month": _("Mois"),
        "category": _("Rayon"),
        "seller": _("Vendeur"),
    }
    writer.writerow([headings[g] for g in group_by] + [label for _attr, label in COLUMNS])
    total = economics_total(rows)
    for row in [*rows, total]:
        if row is total:
            keys = [_("Total")] + [""] * (len(group_by) - 1)
        else:
            keys = [
                row.month.strftime("%Y-%m") if g == "month" else row.extra[f"{g}_label"]
                for g in group_by
            ]
        writer.writerow(keys + [_csv_amount(getattr(row, attr)) for attr, _label in COLUMNS])
    return response


def _csv_amount(value: Decimal) -> str:
    """French spreadsheet convention: comma as the decimal separator, no thousands separator."""
    return f"{value:.2f}".replace(".", ",")
