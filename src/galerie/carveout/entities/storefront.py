"""storefront entities of the storefront archive: the storefront itself (settings, branding,
assortment), its host names and its legal pages.

An import always creates a NEW storefront, never merges into one: its slug is --rename-slug or
the archive's, and its host names --hosts or the archive's. A slug or a host name already taken
here is refused before anything is written, naming the option that avoids it.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.utils.translation import gettext as _

from galerie.carveout.archive import ArchiveError
from galerie.carveout.entities.base import Entity, ImportContext, Scope
from galerie.carveout.entities.checks import values_check
from galerie.storefronts.models import (
    Storefront,
    StorefrontHost,
    StorefrontPage,
)
from galerie.storefronts.selectors import storefront_cache_clear


def target_storefront_id(ctx: ImportContext) -> int | None:
    """The storefront this import created (the one row of `storefronts`)."""
    mapped = ctx.maps.get("storefronts") or {}
    return next(iter(mapped.values()), None)


def _hostname(value: str) -> str:
    return value.strip().lower().rstrip(".")


class StorefrontsEntity(Entity):
    name = "storefronts"
    model = Storefront
    fields = (
        "slug",
        "name",
        "tagline",
        "language",
        "currency",
        "logo_text",
        "primary_color",
        "accent_color",
        "show_out_of_stock",
        "is_active",
        "created_at",
        "updated_at",
    )
    description = (
        "La boutique : réglages, image de marque, langue et assortiment (catégories racines)."
    )

    def queryset(self, scope: Scope):
        return Storefront.objects.filter(pk=scope.storefront.pk)

    def export_row(self, row: dict, scope: Scope) -> dict:
        row["assortment"] = sorted(
            scope.storefront.categories.values_list("pk", flat=True).order_by()
        )
        return row

    def extra_schema(self) -> dict:
        return {
            "assortment": {
                "type": "array",
                "items": {"type": "integer"},
                "description": "ids → categories.jsonl",
            }
        }

    def preflight(self, reader, ctx: ImportContext) -> None:
        rows = list(reader.rows(self.name))
        if len(rows) != 1:
            raise ArchiveError(
                _("data/storefronts.jsonl : une boutique attendue, %(n)s trouvée(s).")
                % {"n": len(rows)}
            )
        line, row = rows[0]
        slug = ctx.rename_slug or row.get("slug") or ""
        try:
            validate_slug(slug)
        except ValidationError:
            raise ArchiveError(
                _("Identifiant de boutique invalide « %(slug)s » (lettres, chiffres, tirets).")
                % {"slug": slug}
            ) from None
        if Storefront.objects.filter(slug=slug).exists():
            raise ArchiveError(
                _(
                    "Une boutique « %(slug)s » existe déjà ici : choisissez un autre identifiant "
                    "avec --rename-slug."
                )
                % {"slug": slug}
            )
        if ctx.hosts:
            hosts = [_hostname(host) for host in ctx.hosts]
            if len(set(hosts)) != len(hosts):
                raise ArchiveError(_("--hosts : un même nom d'hôte est donné deux fois."))
            _hosts_free(hosts)

    def build(self, row: dict, ctx: ImportContext, *, line: int):
        storefront = super().build(row, ctx, line=line)
        if ctx.rename_slug:
            storefront.slug = ctx.rename_slug
        values_check(storefront, self.fields[:-2], what=self.name, line=line)
        assortment = row.get("assortment", [])
        if not isinstance(assortment, list) or not all(isinstance(i, int) for i in assortment):
            raise ArchiveError(
                _("%(what)s, ligne %(line)s : valeur de « %(field)s » invalide (%(value)s).")
                % {"what": self.name, "line": line, "field": "assortment", "value": assortment}
            )
        # Kept in the import's saved report: the assortment is set once the categories are in
        # (finalize), possibly by a resumed run.
        ctx.report.setdefault(self.name, {})["assortment"] = assortment
        return storefront

    def save_batch(self, objects, ctx: ImportContext) -> None:
        for storefront in objects:
            storefront.save()
            ctx.archive_import.storefront = storefront
            ctx.archive_import.save(update_fields=["storefront", "updated_at"])
            if ctx.hosts:
                # --hosts replaces the archive's host names (storefront_hosts maps onto these).
                StorefrontHost.objects.bulk_create(
                    StorefrontHost(
                        storefront=storefront, hostname=_hostname(host), is_primary=i == 0
                    )
                    for i, host in enumerate(ctx.hosts)
                )

    def finalize(self, ctx: ImportContext) -> None:
        storefront_id = target_storefront_id(ctx)
        if storefront_id is None:
            return
        storefront = Storefront.objects.get(pk=storefront_id)
        categories = ctx.maps.get("categories", {})
        assortment = ctx.report.get(self.name, {}).get("assortment", [])
        storefront.categories.set(sorted({categories[i] for i in assortment if i in categories}))
        missing = [i for i in assortment if i not in categories]
        if missing:
            ctx.note(
                self.name,
                _("Assortiment : catégories %(ids)s absentes de l'archive, ignorées.")
                % {"ids": ", ".join(map(str, missing))},
            )
        # Host names, pages, assortment and the new categories are cached: every page sees them.
        storefront_cache_clear(storefront_id=storefront_id)


def _hosts_free(hosts: list[str], *, except_storefront: int | None = None) -> None:
    taken = StorefrontHost.objects.filter(hostname__in=hosts)
    if except_storefront is not None:
        taken = taken.exclude(storefront_id=except_storefront)
    names = sorted(taken.values_list("hostname", flat=True))
    if names:
        raise ArchiveError(
            _(
                "Nom(s) d'hôte déjà utilisé(s) ici : %(hosts)s. Donnez ceux de la boutique "
                "importée avec --hosts."
            )
            % {"hosts": ", ".join(names)}
        )


class StorefrontHostsEntity(Entity):
    name = "storefront_hosts"
    model = StorefrontHost
    fields = ("hostname", "is_primary")
    refs = {"storefront": "storefronts"}
    description = "Les noms d'hôte de la boutique (sans port)."

    def queryset(self, scope: Scope):
        return StorefrontHost.objects.filter(storefront=scope.storefront)

    def timestamped_models(self):
        return ()

    def preflight(self, reader, ctx: ImportContext) -> None:
        if ctx.hosts:
            return  # checked with the storefront: these rows are replaced
        hosts = [_hostname(str(row.get("hostname", ""))) for _line, row in reader.rows(self.name)]
        _hosts_free(hosts, except_storefront=ctx.archive_import.storefront_id)

    def match(self, rows: list[dict], ctx: ImportContext) -> dict[int, int]:
        """With --hosts, every archive host name is replaced: its row maps onto the given host
        in the same position (the last one when the archive has more)."""
        if not ctx.hosts:
            return {}
        given = [_hostname(host) for host in ctx.hosts]
        ids = dict(
            StorefrontHost.objects.filter(
                storefront_id=target_storefront_id(ctx), hostname__in=given
            ).values_list("hostname", "pk")
        )
        ordered = [ids[host] for host in given if host in ids]
        position = ctx.extra.setdefault("storefront_hosts_seen", 0)
        mapping = {}
        for row in rows:
            mapping[row["id"]] = ordered[min(position, len(ordered) - 1)]
            if position < len(given) and row.get("hostname"):
                ctx.note(
                    self.name,
                    _("%(old)s remplacé par %(new)s (--hosts).")
                    % {"old": row["hostname"], "new": given[min(position, len(given) - 1)]},
                )
            position += 1
        ctx.extra["storefront_hosts_seen"] = position
        return mapping

    def build(self, row: dict, ctx: ImportContext, *, line: int):
        host = super().build(row, ctx, line=line)
        host.hostname = _hostname(host.hostname)
        values_check(host, ["hostname"], what=self.name, line=line)
        return host


class StorefrontPagesEntity(Entity):
    name = "storefront_pages"
    model = StorefrontPage
    fields = ("kind", "title", "body", "updated_at")
    refs = {"storefront": "storefronts"}
    description = (
        "Les pages d'information de la boutique (mentions légales, CGV, contact…), en Markdown ; "
        "le texte brut des archives plus anciennes s'affiche de même."
    )

    def queryset(self, scope: Scope):
        return StorefrontPage.objects.filter(storefront=scope.storefront)

    def build(self, row: dict, ctx: ImportContext, *, line: int):
        page = super().build(row, ctx, line=line)
        values_check(page, ["kind", "title", "body"], what=self.name, line=line)
        return page


ENTITIES: list[Entity] = [StorefrontsEntity(), StorefrontHostsEntity(), StorefrontPagesEntity()]
