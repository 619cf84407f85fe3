"""Galerie: a marketplace platform with several storefronts over one shared catalogue."""
