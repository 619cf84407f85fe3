"""Imports: catalogue feeds (Google Merchant Center) into offers, shop merges, exports."""
