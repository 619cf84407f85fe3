"""Plumbing shared by every domain: base models, money, errors. No business rules."""
