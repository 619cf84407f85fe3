"""Background tasks of orders: releasing the stock of orders left unpaid past their deadline."""

from django.tasks import task


@task()
def release_expired_orders() -> int:
    from galerie.orders.services import orders_release_expired

    return orders_release_expired()
