"""Every row lock of the orders domain, in one place.

Lock order across the code base: Order, then its SellerOrders (by pk), then offers (by pk, done
with conditional updates in galerie.inventory.services).
"""

from galerie.orders.models import Order, SellerOrder


def order_lock(order_id: int) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


def seller_order_lock(seller_order_id: int) -> SellerOrder:
    seller_order = SellerOrder.objects.select_related("order").get(pk=seller_order_id)
    order_lock(seller_order.order_id)
    return SellerOrder.objects.select_for_update().select_related("seller").get(pk=seller_order_id)
