"""API: the JSON API (django-ninja), one module per domain, calling the same services as the pages."""
