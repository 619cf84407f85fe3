"""What every portal template receives about the current seller."""

from galerie.portal.access import BLOCKED_STATUSES, PENDING_STATUSES
from galerie.portal.selectors import member_is_owner


def portal_context(request, **extra) -> dict:
    member = request.seller_member
    return {
        "member": member,
        "seller": member.seller,
        "is_owner": member_is_owner(member),
        "memberships": getattr(request, "seller_memberships", [member]),
        "seller_blocked": member.seller.status in BLOCKED_STATUSES,
        "seller_pending": member.seller.status in PENDING_STATUSES,
        **extra,
    }
