"""Order bounds, written once: units of one offer per cart or order line, and an order's total.
The cart and order lines' validators and CHECK constraints read the first, and so do the cart's
services, its API schema, the quote and `order_place`; the quote refuses a total above the second
(not a CHECK: orders placed before it are history, never rewritten).
"""

from decimal import Decimal

LINE_QUANTITY_MAX = 99
# An order's total incl. VAT: far above any real basket, far below a money column's 12 digits
# (99 units of a 1 M€ offer on each of many lines would otherwise overflow it).
ORDER_TOTAL_MAX = Decimal("100000000.00")
