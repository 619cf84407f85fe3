"""The retention job: a notice after three years without activity, erasure 30 days later unless
the customer came back; idempotent. Time moves with galerie.core.clock's simulated clock."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from galerie.core import clock
from galerie.privacy.models import Erasure, ErasureReason, InactivityNotice
from galerie.privacy.services import customers_retention_run

pytestmark = pytest.mark.django_db

START = timezone.make_aware(dt.datetime(2026, 1, 10, 9, 0))


def _days(n):
    return dt.timedelta(days=n)


def _customer(email, *, last_login):
    user = User.objects.create_user(email, email, "pw-123456789")
    User.objects.filter(pk=user.pk).update(date_joined=last_login, last_login=last_login)
    return user


def test_inactive_customer_is_notified_then_erased_30_days_later(
    django_capture_on_commit_callbacks,
):
    # Given: one customer last seen three years and a day ago, one seen last year
    sleeper = _customer("sleeper@example.fr", last_login=START - _days(3 * 365 + 2))
    regular = _customer("regular@example.fr", last_login=START - _days(200))

    with clock.simulated_clock(START) as now:
        # When: the first run
        with django_capture_on_commit_callbacks(execute=True):
            first = customers_retention_run()
        # Then: one notice, by e-mail, nobody erased
        assert first == {"notified": 1, "erased": 0, "kept": 0}
        assert [m.to for m in mail.outbox] == [["sleeper@example.fr"]]
        assert "30" in mail.outbox[0].subject

        # Run again the same day and 29 days later: nothing new (idempotent)
        assert customers_retention_run() == {"notified": 0, "erased": 0, "kept": 0}
        now.set(START + _days(29))
        assert customers_retention_run() == {"notified": 0, "erased": 0, "kept": 0}
        assert User.objects.get(pk=sleeper.pk).is_active

        # 30 days after the notice: erased, once
        now.set(START + _days(30))
        assert customers_retention_run() == {"notified": 0, "erased": 1, "kept": 0}
        assert customers_retention_run() == {"notified": 0, "erased": 0, "kept": 0}

    erasure = Erasure.objects.get()
    assert (erasure.user_id, erasure.reason) == (sleeper.pk, ErasureReason.RETENTION)
    assert User.objects.get(pk=regular.pk).is_active
    assert len(mail.outbox) == 1


def test_a_login_after_the_notice_keeps_the_account_and_voids_the_notice():
    sleeper = _customer("sleeper@example.fr", last_login=START - _days(3 * 365 + 2))
    with clock.simulated_clock(START) as now:
        customers_retention_run()
        now.set(START + _days(10))
        User.objects.filter(pk=sleeper.pk).update(last_login=clock.now())
        now.set(START + _days(40))
        assert customers_retention_run() == {"notified": 0, "erased": 0, "kept": 0}
    assert User.objects.get(pk=sleeper.pk).is_active
    assert InactivityNotice.objects.count() == 1  # stale, kept for the record


def test_a_recent_order_counts_as_activity(place):
    sleeper = _customer("sleeper@example.fr", last_login=START - _days(4 * 365))
    with clock.simulated_clock(START - _days(100)):
        place(sleeper)
    with clock.simulated_clock(START):
        assert customers_retention_run()["notified"] == 0


def test_an_open_order_postpones_the_erasure(place):
    sleeper = _customer("sleeper@example.fr", last_login=START - _days(3 * 365 + 40))
    with clock.simulated_clock(START - _days(31)):
        customers_retention_run()
    # an order left awaiting payment, dated before the inactivity cutoff
    with clock.simulated_clock(START - _days(3 * 365 + 30)):
        place(sleeper)
    with clock.simulated_clock(START):
        assert customers_retention_run() == {"notified": 0, "erased": 0, "kept": 1}
    assert User.objects.get(pk=sleeper.pk).is_active


def test_staff_are_never_notified():
    User.objects.create_user("admin", "a@example.fr", is_staff=True)
    User.objects.filter(username="admin").update(
        date_joined=START - _days(4000), last_login=START - _days(4000)
    )
    with clock.simulated_clock(START):
        assert customers_retention_run()["notified"] == 0


def test_the_command_runs_the_job_and_reports_counts(capsys):
    _customer("sleeper@example.fr", last_login=timezone.now() - _days(4 * 365))
    call_command("customers_retention")
    assert "1 avis envoyé(s), 0 compte(s) anonymisé(s)" in capsys.readouterr().out
    assert InactivityNotice.objects.count() == 1
