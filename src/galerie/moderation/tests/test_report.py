"""The yearly transparency report (DSA art. 15 and 24) over notices, decisions and complaints of
known counts and delays, through the selector and the `galerie moderation-report` command."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from galerie.moderation.models import Complaint, Decision, Notice
from galerie.moderation.selectors import transparency_report
from galerie.moderation.services import complaint_resolve, complaint_submit, notice_decide
from galerie.testing.factories import make_notice, make_offer

pytestmark = pytest.mark.django_db

STATEMENT = {"facts": "Faits.", "ground_kind": "legal", "ground": "Loi", "automated": False}


def _at(notice, received, hours_to_decision=None):
    """Move a notice (and its decisions, complaints) to `received`, decided after `hours`."""
    received = timezone.make_aware(received)
    decided = (
        None if hours_to_decision is None else received + dt.timedelta(hours=hours_to_decision)
    )
    Notice.objects.filter(pk=notice.pk).update(created_at=received, decided_at=decided)
    if decided is not None:
        Decision.objects.filter(notice=notice).update(created_at=decided)
        Complaint.objects.filter(decision__notice=notice).update(created_at=decided)


@pytest.fixture
def year_2026():
    """Five notices in 2026 (three counterfeit, one unsafe, one other), one in 2025; four
    decisions taken in 2026 after 2, 10 and 30 hours (one notice is withdrawn from two sellers);
    two complaints, one reversed, one open."""

    def decide(notice, kind, actor=None):
        return notice_decide(notice=notice, kind=kind, actor=actor, **STATEMENT)

    a = make_offer()
    make_offer(a.product)  # a second seller on the same product
    n1 = make_notice(offer=a)
    (d1,) = decide(n1, "withdraw_offer")
    c1 = complaint_submit(decision=d1, seller=d1.seller, text="Non.", user=None)
    complaint_resolve(complaint=c1, reverse=True, reason="Erreur.", actor=None)
    _at(n1, dt.datetime(2026, 3, 1, 9), 2)

    n2 = make_notice(a.product, category="unsafe")
    d2 = decide(n2, "withdraw_unsafe")  # offers of a (again active) and b: two decisions
    complaint_submit(decision=d2[0], seller=d2[0].seller, text="Non.", user=None)
    _at(n2, dt.datetime(2026, 5, 1, 9), 10)

    n3 = make_notice(make_offer().product)
    decide(n3, "no_action")
    _at(n3, dt.datetime(2026, 7, 1, 9), 30)

    _at(make_notice(make_offer().product), dt.datetime(2026, 8, 1))  # still open
    _at(make_notice(make_offer().product, category="other"), dt.datetime(2026, 12, 31, 22))
    _at(make_notice(make_offer().product), dt.datetime(2025, 12, 31, 22))  # the year before


def test_the_report_counts_the_years_notices_decisions_and_complaints(year_2026):
    report = transparency_report(year=2026)

    assert report.notices["counterfeit"] == 3
    assert report.notices["unsafe"] == 1 and report.notices["other"] == 1
    assert sum(report.notices.values()) == 5
    assert report.decisions == {
        "no_action": 1,
        "withdraw_offer": 1,
        "withdraw_product": 0,
        "withdraw_unsafe": 2,
        "suspend_seller": 0,
    }
    assert report.median_hours == 10
    assert report.complaints == {"open": 1, "upheld": 0, "reversed": 1}
    assert sum(transparency_report(year=2025).notices.values()) == 1


def test_the_command_writes_the_report_as_csv(year_2026, tmp_path):
    out = io.StringIO()
    call_command("moderation_report", "--year", "2026", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))

    assert rows[0] == ["section", "key", "value"]
    assert ["notices", "counterfeit", "3"] in rows
    assert ["decisions", "withdraw_unsafe", "2"] in rows
    assert ["median_hours_to_decision", "all", "10.0"] in rows
    assert ["complaints", "reversed", "1"] in rows

    path = tmp_path / "dsa.csv"
    call_command("moderation_report", "--year", "2026", "-o", str(path), stderr=io.StringIO())
    assert path.read_text(encoding="utf-8").splitlines()[0] == "section,key,value"


def test_an_empty_year_has_no_median_and_a_bad_year_is_refused():
    assert transparency_report(year=2030).median_hours is None
    with pytest.raises(CommandError):
        call_command("moderation_report", "--year", "12")
