"""Listing and search reads on a read replica, when DATABASE_REPLICA_URL is set.

Explicit, never guessed: only code run inside `replica_reads()` (the storefront's category and
search pages, the public catalogue API's listings and searches) reads from the `replica` alias,
and only the catalogue's tables (CATALOGUE_APPS): sessions, accounts and carts read on those
pages stay on `default`, so a visitor never sees their own write missing. Inside the block,
reads go back to `default` as soon as anything was written or a transaction is open.
Migrations never run on the replica; relations across the two aliases are allowed (same data).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
# The catalogue as a visitor browses it: a few seconds of replication lag show a price or a
# stock level a moment late, never someone's own change missing.
CATALOGUE_APPS = frozenset(
    {"catalog", "storefronts", "sellers", "search", "pricing", "inventory", "media", "reviews"}
)

# None outside replica_reads(); inside, a one-element list: [whether something was written].
_state: ContextVar[list[bool] | None] = ContextVar("galerie_replica_reads", default=None)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Send the catalogue reads of the block to the replica. Also a view decorator
    (`@replica_reads()`): each call gets its own state."""
    token = _state.set([False])
    try:
        yield
    finally:
        _state.reset(token)


def _replica_usable() -> bool:
    state = _state.get()
    return (
        state is not None
        and not state[0]
        and getattr(settings, "GALERIE_READ_REPLICA", False)
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    )


def read_alias() -> str:
    """The alias for a raw catalogue read (a cursor) at this point: `replica` or `default`."""
    return REPLICA if _replica_usable() else DEFAULT_DB_ALIAS


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label in CATALOGUE_APPS and _replica_usable():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        state = _state.get()
        if state is not None:
            state[0] = True  # this request has written: its later reads must see it
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
