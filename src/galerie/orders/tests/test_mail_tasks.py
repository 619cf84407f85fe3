"""Order e-mails as background tasks (GALERIE_ORDER_EMAILS="task"): queued on commit, sent by
the task once, and a task run twice sends nothing the second time."""

import pytest
from django.core import mail
from django.test import override_settings

from galerie.orders.models import OrderMailSent
from galerie.orders.tasks import order_mail_send
from galerie.testing.factories import make_offer

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@override_settings(GALERIE_ORDER_EMAILS="task", TASKS=DUMMY)
def test_placing_queues_the_confirmation_instead_of_sending_it(
    place, django_capture_on_commit_callbacks
):
    from django.tasks import default_task_backend

    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        order = place([(make_offer(price="10.00").pk, 1)])
    assert mail.outbox == []
    [queued] = default_task_backend.results
    assert queued.task.name == order_mail_send.name
    assert queued.kwargs["kind"] == "confirmation" and queued.kwargs["order_id"] == order.pk


@override_settings(GALERIE_ORDER_EMAILS="task", TASKS=IMMEDIATE)
def test_a_mail_task_run_twice_sends_once(place, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = place([(make_offer(price="10.00").pk, 1)])
    assert len(mail.outbox) == 1 and order.number in mail.outbox[0].subject
    assert order_mail_send.call(kind="confirmation", order_id=order.pk) is False
    assert len(mail.outbox) == 1
    assert OrderMailSent.objects.filter(order=order, kind="confirmation").count() == 1


@override_settings(GALERIE_ORDER_EMAILS="task")
def test_a_failed_send_leaves_no_marker_so_a_retry_sends(place, monkeypatch):
    from galerie.orders import emails

    order = place([(make_offer(price="10.00").pk, 1)])

    def down(order_id):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setitem(emails.ORDER_MAILS, "confirmation", down)
    with pytest.raises(ConnectionRefusedError):
        order_mail_send.call(kind="confirmation", order_id=order.pk)
    assert not OrderMailSent.objects.filter(order=order).exists()
    monkeypatch.undo()
    assert order_mail_send.call(kind="confirmation", order_id=order.pk) is True
    assert len(mail.outbox) == 1


def test_without_a_queue_the_confirmation_is_sent_after_commit(
    place, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        place([(make_offer(price="10.00").pk, 1)])
    assert len(mail.outbox) == 1
    assert not OrderMailSent.objects.exists()
