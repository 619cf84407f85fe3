"""Cart: per-storefront carts holding sellers' offers."""
