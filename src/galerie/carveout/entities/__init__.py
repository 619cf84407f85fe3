"""The archive's entity files, in the order an import writes them (a file refers only to files
before it). Each domain's entities live in their own module."""

from galerie.carveout.entities import (
    catalogue,
    customers,
    ledger,
    notices,
    orders,
    pictures,
    press,
    sellers,
    storefront,
    travel,
)
from galerie.carveout.entities.base import Entity

ENTITIES: list[Entity] = [
    *storefront.ENTITIES,
    *catalogue.ENTITIES,
    *pictures.ENTITIES,
    *sellers.ENTITIES,
    *customers.ENTITIES,
    *orders.ENTITIES,
    *travel.ENTITIES,
    *press.ENTITIES,
    *ledger.ENTITIES,
    *notices.ENTITIES,
]
ENTITY_NAMES = {entity.name for entity in ENTITIES}
