"""Payouts: paying sellers their balance, statements and SEPA transfer files."""
