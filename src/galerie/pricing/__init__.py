"""Pricing: VAT classes and effective-dated rates, the French book-price law, delivery fees."""
