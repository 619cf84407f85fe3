"""Transactional e-mails rendered from a text template, and the switch that silences them.

Callers register sends with `transaction.on_commit(..., robust=True)` so that a mail server that
is down never turns committed work into an error. Within `emails_suppressed()` nothing is sent
(the demo's simulated year of trading would only flood the console).
"""

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

_suppressed: ContextVar[bool] = ContextVar("galerie_emails_suppressed", default=False)


@contextlib.contextmanager
def emails_suppressed() -> Iterator[None]:
    """E-mails sent within the block are dropped."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def mail_send(subject: str, template: str, context: dict, to: list[str]) -> None:
    """Render `template` with `context` and send it to the non-empty addresses of `to`."""
    to = [address for address in to if address]
    if not to or _suppressed.get():
        return
    body = render_to_string(template, context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to, fail_silently=False)
