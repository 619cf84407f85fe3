from galerie.web.tests.conftest import mall  # noqa: F401  (the same small two-shop mall)
