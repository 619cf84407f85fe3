"""Reporting: the economics of each storefront, seller and category, read from the ledger."""
