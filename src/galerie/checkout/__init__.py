"""Checkout: addresses, delivery per seller, the legal recap, placing the order."""
