"""Web: the server-rendered storefront pages and the mall index."""
