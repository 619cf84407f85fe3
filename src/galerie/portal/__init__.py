"""Seller portal: the pages sellers' users work in, at /vendeur/."""
