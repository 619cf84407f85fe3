"""Demo: the deterministic demo mall loaded by `galerie loaddemo`.

DEMO_ENVIRONMENT is what `galerie demo` (and the test suite) sets before Django reads its
settings: plain http on localhost and the simulated card gateway, both off in production, and
plain-text logs (`galerie serve` writes JSON lines otherwise).
"""

DEMO_ENVIRONMENT = {
    "GALERIE_HTTPS": "0",
    "GALERIE_PAYMENT_SIMULATOR": "1",
    "GALERIE_LOG_FORMAT": "text",
}
