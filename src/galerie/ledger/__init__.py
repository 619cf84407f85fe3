"""Ledger: double-entry bookkeeping — accounts, balanced journal entries, the FEC export."""
