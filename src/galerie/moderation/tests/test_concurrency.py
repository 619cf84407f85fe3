"""Races on PostgreSQL with real threads: two operators deciding one notice make one decision,
two sellers' members contesting one decision lodge one complaint."""

import pytest

from galerie.moderation.errors import ComplaintRefused, DecisionRefused
from galerie.moderation.models import Complaint, Decision
from galerie.moderation.services import complaint_submit, notice_decide
from galerie.testing.concurrency import race
from galerie.testing.factories import make_notice, make_offer

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STATEMENT = {"facts": "Faits.", "ground_kind": "legal", "ground": "Loi", "automated": False}


def test_a_notice_decided_by_two_operators_at_once_is_decided_once():
    notice = make_notice(offer=make_offer())

    results = race(
        2, lambda i: notice_decide(notice=notice, kind="withdraw_offer", actor=None, **STATEMENT)
    )

    assert sum(isinstance(r, list) for r in results) == 1, results
    assert sum(isinstance(r, DecisionRefused) for r in results) == 1, results
    assert Decision.objects.filter(notice=notice).count() == 1


def test_one_complaint_when_two_members_contest_at_once():
    notice = make_notice(offer=make_offer())
    (decision,) = notice_decide(notice=notice, kind="withdraw_offer", actor=None, **STATEMENT)

    results = race(
        2,
        lambda i: complaint_submit(
            decision=decision, seller=decision.seller, text=f"Membre {i}", user=None
        ),
    )

    assert sum(isinstance(r, Complaint) for r in results) == 1, results
    assert sum(isinstance(r, ComplaintRefused) for r in results) == 1, results
    assert Complaint.objects.count() == 1
