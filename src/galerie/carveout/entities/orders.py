"""orders entities of the storefront archive."""

from galerie.carveout.entities.base import Entity

ENTITIES: list[Entity] = []
