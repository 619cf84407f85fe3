"""Demo: the deterministic demo mall loaded by `galerie loaddemo`.

DEMO_ENVIRONMENT is what `galerie demo` (and the test suite) sets before Django reads its
settings: plain http on localhost and the simulated card gateway, both off in production.
"""

DEMO_ENVIRONMENT = {"GALERIE_HTTPS": "0", "GALERIE_PAYMENT_SIMULATOR": "1"}
