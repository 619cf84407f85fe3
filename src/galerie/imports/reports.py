"""Import and merge reports as French text lines, for the commands and the back office."""

from galerie.imports.services import ImportReport

CODE_LABELS = {
    "gtin_invalid": "GTIN invalide",
    "gtin_required": "GTIN manquant",
    "title_missing": "titre manquant",
    "title_too_long": "titre trop long",
    "price_missing": "prix manquant",
    "price_format": "format de prix",
    "price_currency": "devise",
    "price_negative": "prix négatif ou nul",
    "sale_price_above_price": "prix soldé supérieur au prix",
    "availability_unknown": "disponibilité inconnue",
    "quantity_invalid": "quantité invalide",
    "condition_unknown": "état inconnu",
    "id_missing": "identifiant manquant",
    "id_too_long": "identifiant trop long",
    "id_duplicate": "identifiant en double",
    "unmapped_category": "catégorie non reconnue",
    "category_parent": "classé dans la catégorie parente",
    "book_price_law": "loi Lang (prix du livre)",
    "row_width": "nombre de colonnes",
}


def _n(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def report_lines(report: ImportReport, *, merge: bool = False) -> list[str]:
    job = report.job
    title = "Fusion de boutique" if merge else "Import"
    lines = [
        f"{title} n° {job.pk} — vendeur « {job.seller.name} »"
        + (" — SIMULATION (--dry-run) : rien n'a été enregistré" if report.dry_run else ""),
        f"  lignes lues ............... {_n(job.last_row)}",
        f"  lignes importées .......... {_n(job.rows_ok)}",
        f"  lignes rejetées ........... {_n(job.rows_rejected)}",
        f"  produits reconnus par GTIN  {_n(job.products_matched)}",
        f"  produits créés ............ {_n(job.products_created)}",
        f"  offres créées ............. {_n(job.offers_created)}",
        f"  offres modifiées .......... {_n(job.offers_updated)}",
        f"  offres inchangées ......... {_n(job.offers_unchanged)}",
    ]
    if job.full:
        lines.append(
            f"  offres désactivées (absentes du flux complet) {_n(job.offers_deactivated)}"
        )
    if report.warnings:
        lines.append(f"  avertissements ............ {_n(report.warnings)}")
    if report.rejected_by_code:
        lines.append("  motifs de rejet :")
        for code, count in report.rejected_by_code:
            lines.append(f"    - {CODE_LABELS.get(code, code)} : {_n(count)}")
    if report.unmapped:
        lines.append(
            "  catégories non reconnues (corriger le flux, ou ajouter une correspondance "
            "dans le back-office) :"
        )
        for value, count, suggestion in report.unmapped[:20]:
            hint = f" — vouliez-vous dire « {suggestion} » ?" if suggestion else ""
            lines.append(f"    - « {value} » : {_n(count)} ligne(s){hint}")
        if len(report.unmapped) > 20:
            lines.append(f"    … et {len(report.unmapped) - 20} autres")
    if report.placed_in_parent:
        lines.append("  classés dans la catégorie parente (à vérifier) :")
        for message, count in report.placed_in_parent[:20]:
            lines.append(f"    - {message} ({_n(count)} ligne(s))")
        if len(report.placed_in_parent) > 20:
            lines.append(f"    … et {len(report.placed_in_parent) - 20} autres")
    if report.categories_created:
        lines.append(f"  catégories créées : {_n(len(report.categories_created))}")
        for path in report.categories_created[:20]:
            lines.append(f"    - {path}")
        if len(report.categories_created) > 20:
            lines.append(f"    … et {len(report.categories_created) - 20} autres")
    if report.categories_not_created:
        lines.append("  catégories non créées, trop proches d'une catégorie existante :")
        for wanted, close in report.categories_not_created[:20]:
            lines.append(f"    - « {wanted} » : voir « {close} »")
        if len(report.categories_not_created) > 20:
            lines.append(f"    … et {len(report.categories_not_created) - 20} autres")
    if report.outside_assortment:
        lines.append(
            f"  offres hors de l'assortiment de la boutique : {_n(report.outside_assortment)}"
        )
    if merge:
        if report.categories_added:
            lines.append(
                "  catégories ajoutées à l'assortiment : " + ", ".join(report.categories_added)
            )
        lines.append(
            f"  offres en concurrence avec d'autres vendeurs : {_n(report.competing)} "
            f"(moins chères : {_n(report.competing_cheaper)}, même prix : "
            f"{_n(report.competing_equal)}, plus chères : {_n(report.competing_dearer)})"
        )
    if report.errors_path:
        lines.append(f"  rapport d'erreurs : {report.errors_path}")
    elif job.rows_rejected or report.warnings:
        lines.append("  (détail ligne par ligne : relancer avec --errors FICHIER.csv)")
    return lines


def report_failure(report: ImportReport) -> str:
    """Why the commands exit with an error although the import ran (« » when rows came in)."""
    job = report.job
    if job.rows_ok:
        return ""
    return (
        f"Aucune ligne importée : les {_n(job.rows_rejected)} ligne(s) du flux ont été rejetées"
        + (f" (détail : {report.errors_path})." if report.errors_path else " (motifs ci-dessus).")
    )
