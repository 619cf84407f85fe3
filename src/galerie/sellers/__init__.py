"""Sellers (the operator is seller number one) and their offers on catalogue products."""
