"""Import and merge reports as text lines in the active language, for the commands."""

from babel.numbers import format_decimal
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from galerie.imports.services import ImportReport

CODE_LABELS = {
    "gtin_invalid": gettext_lazy("GTIN invalide"),
    "gtin_required": gettext_lazy("GTIN manquant"),
    "title_missing": gettext_lazy("titre manquant"),
    "title_too_long": gettext_lazy("titre trop long"),
    "price_missing": gettext_lazy("prix manquant"),
    "price_format": gettext_lazy("format de prix"),
    "price_currency": gettext_lazy("devise"),
    "price_negative": gettext_lazy("prix négatif ou nul"),
    "sale_price_above_price": gettext_lazy("prix soldé supérieur au prix"),
    "availability_unknown": gettext_lazy("disponibilité inconnue"),
    "quantity_invalid": gettext_lazy("quantité invalide"),
    "condition_unknown": gettext_lazy("état inconnu"),
    "id_missing": gettext_lazy("identifiant manquant"),
    "id_too_long": gettext_lazy("identifiant trop long"),
    "id_duplicate": gettext_lazy("identifiant en double"),
    "unmapped_category": gettext_lazy("catégorie non reconnue"),
    "category_parent": gettext_lazy("classé dans la catégorie parente"),
    "book_price_law": gettext_lazy("loi Lang (prix du livre)"),
    "row_width": gettext_lazy("nombre de colonnes"),
}
LISTED = 20  # values listed per section; the rest are counted


def _n(value: int) -> str:
    locale = "en_GB" if (get_language() or "fr").startswith("en") else "fr_FR"
    # Plain spaces: a terminal shows babel's narrow no-break space badly, and scripts grep it.
    return format_decimal(value, locale=locale).replace("\u202f", " ").replace("\xa0", " ")


def _figure(label: str, value: int) -> str:
    """« lignes lues ............... 2 000 »: labels padded with dots to one column."""
    return f"  {(label + ' ').ljust(27, '.')} {_n(value)}"


def _listed(lines: list[str], items: list, render) -> None:
    lines.extend(render(item) for item in items[:LISTED])
    if len(items) > LISTED:
        lines.append("    " + _("… et %(n)s autres") % {"n": _n(len(items) - LISTED)})


def _rows(count: int) -> str:
    return ngettext("%(n)s ligne", "%(n)s lignes", count) % {"n": _n(count)}


def report_lines(report: ImportReport, *, merge: bool = False) -> list[str]:
    job = report.job
    title = _("Fusion de boutique n° %(n)d") if merge else _("Import n° %(n)d")
    heading = (title % {"n": job.pk}) + " — " + _("vendeur « %(s)s »") % {"s": job.seller.name}
    if report.dry_run:
        heading += " — " + _("SIMULATION (--dry-run) : rien n'a été enregistré")
    lines = [
        heading,
        _figure(_("lignes lues"), job.last_row),
        _figure(_("lignes importées"), job.rows_ok),
        _figure(_("lignes rejetées"), job.rows_rejected),
        _figure(_("produits reconnus par GTIN"), job.products_matched),
        _figure(_("produits créés"), job.products_created),
        _figure(_("offres créées"), job.offers_created),
        _figure(_("offres modifiées"), job.offers_updated),
        _figure(_("offres inchangées"), job.offers_unchanged),
    ]
    if job.full:
        lines.append(_figure(_("offres désactivées (absentes du flux)"), job.offers_deactivated))
    if report.warnings:
        lines.append(_figure(_("avertissements"), report.warnings))
    if report.rejected_by_code:
        lines.append("  " + _("motifs de rejet :"))
        for code, count in report.rejected_by_code:
            label = CODE_LABELS.get(code, code)
            lines.append("    - " + _("%(label)s : %(n)s") % {"label": label, "n": _n(count)})
    if report.unmapped:
        lines.append(
            "  "
            + _(
                "catégories non reconnues (corriger le flux, ou ajouter une correspondance "
                "dans le back-office) :"
            )
        )

        def unmapped(item):
            value, count, suggestion = item
            hint = (
                (" — " + _("vouliez-vous dire « %(s)s » ?") % {"s": suggestion})
                if suggestion
                else ""
            )
            return "    - " + _("« %(v)s » : %(rows)s") % {"v": value, "rows": _rows(count)} + hint

        _listed(lines, report.unmapped, unmapped)
    if report.placed_in_parent:
        lines.append("  " + _("classés dans la catégorie parente (à vérifier) :"))
        _listed(lines, report.placed_in_parent, lambda i: f"    - {i[0]} ({_rows(i[1])})")
    if report.categories_created:
        lines.append(_figure(_("catégories créées"), len(report.categories_created)))
        _listed(lines, report.categories_created, lambda path: f"    - {path}")
    if report.categories_not_created:
        lines.append("  " + _("catégories non créées, trop proches d'une catégorie existante :"))
        _listed(
            lines,
            report.categories_not_created,
            lambda i: "    - " + _("« %(a)s » : voir « %(b)s »") % {"a": i[0], "b": i[1]},
        )
    if report.outside_assortment:
        lines.append(
            "  "
            + _("offres hors de l'assortiment de la boutique : %(n)s")
            % {"n": _n(report.outside_assortment)}
        )
    if merge:
        if report.categories_added:
            lines.append(
                "  "
                + _("catégories ajoutées à l'assortiment : %(c)s")
                % {"c": ", ".join(report.categories_added)}
            )
        lines.append(
            "  "
            + _(
                "offres en concurrence avec d'autres vendeurs : %(n)s (moins chères : %(a)s, "
                "même prix : %(b)s, plus chères : %(c)s)"
            )
            % {
                "n": _n(report.competing),
                "a": _n(report.competing_cheaper),
                "b": _n(report.competing_equal),
                "c": _n(report.competing_dearer),
            }
        )
    if report.errors_path:
        lines.append("  " + _("rapport d'erreurs : %(p)s") % {"p": report.errors_path})
    elif job.rows_rejected or report.warnings:
        lines.append("  " + _("(détail ligne par ligne : relancer avec --errors FICHIER.csv)"))
    return lines


def report_failure(report: ImportReport) -> str:
    """Why the commands exit with an error although the import ran (« » when rows came in)."""
    job = report.job
    if job.rows_ok:
        return ""
    message = ngettext(
        "Aucune ligne importée : la ligne du flux a été rejetée",
        "Aucune ligne importée : les %(n)s lignes du flux ont été rejetées",
        job.rows_rejected,
    ) % {"n": _n(job.rows_rejected)}
    if report.errors_path:
        return message + " " + _("(détail : %(p)s).") % {"p": report.errors_path}
    return message + " " + _("(motifs ci-dessus).")
