"""Inventory: stock reservations and the stock movements that explain every change."""
