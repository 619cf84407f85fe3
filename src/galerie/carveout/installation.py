"""This installation's identity: one id, created on first use, that archives name as source."""

import uuid

from galerie.carveout.models import Installation


def installation_id() -> uuid.UUID:
    installation = Installation.objects.order_by("pk").first()
    if installation is None:
        installation = Installation.objects.create()
    return installation.installation_id
