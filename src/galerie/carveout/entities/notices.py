"""notices entities of the storefront archive: who was told of the sale, and when (GDPR).

The buyer keeps the proof that the seller told each customer before the data moved. Rows refer
to the storefront and, when the customer had an account that the archive carries, to it."""

from django.db.models import Max
from django.utils.translation import gettext as _

from galerie.carveout.entities.base import Entity, ImportContext, Scope
from galerie.carveout.models import TransferNotice
from galerie.carveout.notices import storefront_customer_emails


class TransferNotices(Entity):
    name = "transfer_notices"
    model = TransferNotice
    fields = ("email", "new_owner", "transfer_date", "contact", "queued_at", "sent_at")
    refs = {"storefront": "storefronts", "user": "customers"}
    description = _("Avis de changement de responsable de traitement envoyés aux clients (RGPD).")

    def queryset(self, scope: Scope):
        return TransferNotice.objects.filter(storefront=scope.storefront)

    def manifest_extra(self, scope: Scope) -> dict:
        return {"notices": transfer_notices_summary(scope.storefront)}

    def match(self, rows: list[dict], ctx: ImportContext) -> dict[int, int]:
        """A notice the target already holds for the same storefront and e-mail (a re-run)."""
        storefront_ids = {
            ctx.maps.get("storefronts", {}).get(row.get("storefront")) for row in rows
        }
        known = {
            (storefront_id, email): pk
            for pk, storefront_id, email in TransferNotice.objects.filter(
                storefront_id__in=[pk for pk in storefront_ids if pk],
                email__in=[row.get("email") for row in rows],
            ).values_list("pk", "storefront_id", "email")
        }
        matched = {}
        for row in rows:
            key = (ctx.maps.get("storefronts", {}).get(row.get("storefront")), row.get("email"))
            if key in known:
                matched[row["id"]] = known[key]
        return matched


def transfer_notices_summary(storefront) -> dict:
    """How many customers ordered on the storefront, how many were told, and the last sending."""
    customers = set(storefront_customer_emails(storefront))
    sent = TransferNotice.objects.filter(storefront=storefront, sent_at__isnull=False)
    told = set(sent.values_list("email", flat=True))
    last = sent.aggregate(last=Max("sent_at"))["last"]
    return {
        "customers": len(customers),
        "told": len(customers & told),
        "last_sent_at": last.isoformat() if last else None,
    }


ENTITIES: list[Entity] = [TransferNotices()]
