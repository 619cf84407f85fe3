"""Catalogue: the category tree, product types and attributes, products and their GTINs."""
