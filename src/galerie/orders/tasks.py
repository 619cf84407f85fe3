"""Background tasks of orders: the order e-mails when GALERIE_ORDER_EMAILS is "task".

Each task sends its e-mail at most once per order and kind (OrderMailSent, inserted in the same
transaction as the send): a retried or duplicated task does nothing the second time.
"""

from galerie.core.tasks import task
from galerie.orders import emails


@task()
def order_mail_send(*, kind: str, order_id: int, language: str = "") -> bool:
    """Send the `kind` e-mail of an order ("confirmation" or "paid"); False if already sent."""
    return emails.order_mail_send_once(kind=kind, order_id=order_id, language=language)
