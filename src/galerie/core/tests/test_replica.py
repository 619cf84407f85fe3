"""The read-replica router's rules, without a database (the pages' routing is checked against a
mirror alias in test_redis.py)."""

import os
import subprocess
import sys

import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings

from galerie.catalog.models import Product
from galerie.core.replica import ReplicaRouter, read_alias, replica_reads

router = ReplicaRouter()


@override_settings(GALERIE_READ_REPLICA=True)
def test_catalogue_reads_go_to_the_replica_inside_the_block_only():
    assert router.db_for_read(Product) is None
    with replica_reads():
        assert router.db_for_read(Product) == "replica" and read_alias() == "replica"
        assert router.db_for_read(Session) is None  # a visitor's own state stays on default
    assert read_alias() == "default"


@override_settings(GALERIE_READ_REPLICA=True)
def test_after_a_write_the_block_reads_from_default():
    with replica_reads():
        assert router.db_for_write(Product) == "default"
        assert router.db_for_read(Product) is None and read_alias() == "default"


@override_settings(GALERIE_READ_REPLICA=False)
def test_without_a_replica_nothing_is_routed():
    with replica_reads():
        assert router.db_for_read(Product) is None and read_alias() == "default"


def test_migrations_never_run_on_the_replica_and_relations_cross_aliases():
    assert router.allow_migrate("replica", "catalog") is False
    assert router.allow_migrate("default", "catalog") is True
    assert router.allow_relation(object(), object()) is True


@pytest.mark.django_db  # the test runs inside a transaction, as a writing request would
@override_settings(GALERIE_READ_REPLICA=True)
def test_reads_inside_a_transaction_stay_on_default():
    with replica_reads():
        assert router.db_for_read(Product) is None and read_alias() == "default"


def test_database_replica_url_configures_the_alias_and_the_router(tmp_path):
    code = (
        "from django.conf import settings; "
        "print(sorted(settings.DATABASES), settings.DATABASE_ROUTERS, settings.SESSION_ENGINE)"
    )
    env = {
        **os.environ,
        "GALERIE_VAR_DIR": str(tmp_path),
        "DATABASE_REPLICA_URL": f"sqlite:///{tmp_path}/replica.sqlite3",
        "REDIS_URL": "redis://127.0.0.1:1/0",
    }
    out = subprocess.run(
        [sys.executable, "-m", "galerie.cli", "shell", "-c", code],
        env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip

    assert "['default', 'replica'] ['galerie.core.replica.ReplicaRouter']" in out
    assert "galerie.core.sessions" in out
