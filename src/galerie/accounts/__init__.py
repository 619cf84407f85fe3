"""Accounts: customer registration, login, password reset, address book."""
