"""Row locks of notice and action: a notice is decided once, a decision contested once, a
complaint resolved once, a recall sent once, whoever acts at the same time. Related rows are
read, never locked (`of=("self",)`: PostgreSQL refuses to lock the nullable side of a join)."""

from galerie.moderation.models import Complaint, Decision, Notice
from galerie.sellers.models import Seller


def notice_lock(pk: int) -> Notice:
    return Notice.objects.select_for_update(of=("self",)).select_related("offer__seller").get(pk=pk)


def seller_decision_lock(*, pk: int, seller: Seller) -> Decision | None:
    """The seller's decision, locked; None for another seller's (or no) decision."""
    return Decision.objects.select_for_update().filter(pk=pk, seller=seller).first()


def decision_lock(pk: int) -> Decision:
    return Decision.objects.select_for_update(of=("self",)).select_related("seller").get(pk=pk)


def complaint_lock(pk: int) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=pk)
