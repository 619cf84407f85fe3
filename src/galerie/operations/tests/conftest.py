import io
import json
import logging

import pytest

from galerie.core.logs import JsonFormatter


@pytest.fixture(autouse=True)
def no_replica_alias(settings):
    """The suite's `replica` alias mirrors default and is closed to ordinary tests: readiness
    checks every alias the deployment configures (`database_<alias>` for a replica), here
    default only."""
    settings.DATABASES = {"default": settings.DATABASES["default"]}


class JsonLines:
    """What a JSON-format handler wrote, one parsed object per line."""

    def __init__(self, stream: io.StringIO):
        self.stream = stream

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.stream.getvalue().splitlines()]


@pytest.fixture
def json_log():
    """A handler with production's JSON formatter on the root logger, the access log on."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root, access = logging.getLogger(), logging.getLogger("galerie.access")
    previous = access.level
    root.addHandler(handler)
    access.setLevel(logging.INFO)
    try:
        yield JsonLines(stream)
    finally:
        root.removeHandler(handler)
        access.setLevel(previous)
