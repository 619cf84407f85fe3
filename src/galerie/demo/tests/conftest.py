"""`galerie demo` in-process: its server and worker recorded instead of started."""

import pytest


class RecordedChildren:
    """Stands in for galerie.demo.processes.Children: records what would start, runs nothing
    (test_processes.py and test_first_hour.py start the real ones)."""

    def __init__(self, started: list, *, write):
        self.started, self.processes = started, {}

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return None

    def start(self, name: str, argv: list[str]):
        self.started.append((name, argv))
        return type("Process", (), {"pid": 4242})()

    def wait(self):
        return None  # as after Ctrl-C


@pytest.fixture
def demo_children(monkeypatch) -> list:
    """What `galerie demo` started, as (name, argv): the worker, then the server."""
    started: list = []
    monkeypatch.setattr(
        "galerie.demo.management.commands.demo.Children",
        lambda **kw: RecordedChildren(started, **kw),
    )
    return started
