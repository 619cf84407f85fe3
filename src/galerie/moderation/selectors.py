"""Reads of notice and action: a seller's decisions (filtered by seller: another's is not found)
and the yearly transparency report (DSA art. 15 and 24)."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from galerie.moderation.models import (
    Complaint,
    ComplaintStatus,
    Decision,
    DecisionKind,
    DecisionOffer,
    Notice,
    NoticeCategory,
)
from galerie.sellers.models import Seller


def decisions_of_seller(seller: Seller) -> QuerySet[Decision]:
    """The decisions concerning `seller`, newest first, with what their pages show."""
    return (
        Decision.objects.filter(seller=seller)
        .select_related("notice__product", "notice__offer", "complaint")
        .order_by("-created_at", "-pk")
    )


def decision_of_seller(seller: Seller, decision_id: int) -> Decision | None:
    return decisions_of_seller(seller).filter(pk=decision_id).first()


def offers_withdrawn(*, offer_ids) -> set[int]:
    """Those of `offer_ids` that a decision still standing withdrew: their seller may not put
    them back on sale (the portal, the API, a feed); only a reversed decision does."""
    offer_ids = list(offer_ids)
    if not offer_ids:
        return set()
    return set(
        DecisionOffer.objects.filter(
            offer_id__in=offer_ids, decision__reversed_at__isnull=True
        ).values_list("offer_id", flat=True)
    )


def offer_withdrawn(*, offer_id: int) -> bool:
    return bool(offers_withdrawn(offer_ids=[offer_id]))


@dataclass(frozen=True)
class TransparencyReport:
    year: int
    notices: dict[str, int]  # category → notices received in the year
    decisions: dict[str, int]  # kind → decisions taken in the year
    median_hours: float | None  # median time from notice to decision, notices decided in the year
    complaints: dict[str, int]  # status → complaints lodged in the year

    def rows(self) -> list[tuple[str, str, str]]:
        """(section, key, value) rows, for the CSV export."""
        rows = [("notices", key, str(n)) for key, n in self.notices.items()]
        rows += [("decisions", key, str(n)) for key, n in self.decisions.items()]
        median = "" if self.median_hours is None else f"{self.median_hours:.1f}"
        rows.append(("median_hours_to_decision", "all", median))
        rows += [("complaints", key, str(n)) for key, n in self.complaints.items()]
        return rows


def _counts(queryset, field: str, keys) -> dict[str, int]:
    found = dict(queryset.values_list(field).annotate(n=Count("pk")).order_by())
    return {key: found.get(key, 0) for key in keys}


def transparency_report(*, year: int) -> TransparencyReport:
    """The year's counts, by the creation date of each notice, decision and complaint."""
    start = timezone.make_aware(dt.datetime(year, 1, 1))  # the operator's time zone's year
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    notices = Notice.objects.filter(created_at__gte=start, created_at__lt=end)
    decisions = Decision.objects.filter(created_at__gte=start, created_at__lt=end)
    complaints = Complaint.objects.filter(created_at__gte=start, created_at__lt=end)
    delays = [
        (decided - created).total_seconds() / 3600
        for created, decided in Notice.objects.filter(
            decided_at__gte=start, decided_at__lt=end
        ).values_list("created_at", "decided_at")
    ]
    return TransparencyReport(
        year=year,
        notices=_counts(notices, "category", NoticeCategory.values),
        decisions=_counts(decisions, "kind", DecisionKind.values),
        median_hours=statistics.median(delays) if delays else None,
        complaints=_counts(complaints, "status", ComplaintStatus.values),
    )
