"""Galerie's own `check --deploy` checks: test machinery must not reach a deployment."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def payment_simulator_off(app_configs, **kwargs):
    if not settings.GALERIE_PAYMENT_SIMULATOR:
        return []
    return [
        Error(
            "GALERIE_PAYMENT_SIMULATOR=1: the simulated card gateway is mounted, so test card "
            "4242 4242 4242 4242 pays any order.",
            hint="Unset GALERIE_PAYMENT_SIMULATOR outside the demo and the tests.",
            id="galerie.E001",
        )
    ]
