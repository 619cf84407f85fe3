import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from galerie.payments.models import Payment
from galerie.testing.factories import make_subscription_offer
from galerie.testing.subscriptions import saved_card_make, subscription_buy

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("subscriptions_daily", *args, stdout=out)
    return out.getvalue()


def test_the_daily_command_renews_what_is_due_and_a_second_run_does_nothing(
    storefront, django_capture_on_commit_callbacks
):
    subscription = subscription_buy(
        offer=make_subscription_offer(), storefront=storefront, card=saved_card_make()
    )
    day = (subscription.ends_on - dt.timedelta(days=2)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        first = run("--date", day)
        second = run("--date", day)
    assert "1 commandés, 1 payés" in first
    assert "0 commandés, 0 payés" in second
    assert Payment.objects.filter(idempotency_key__startswith="renewal-").count() == 1


def test_a_malformed_date_is_refused_with_a_clear_message():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        run("--date", "03/12/2026")
