"""API: the JSON API (django-ninja), one module per domain, calling the services the pages use."""
