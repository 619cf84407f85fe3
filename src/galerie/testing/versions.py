"""Test support: run the version bumps of transactions that would have committed.

A test wrapped in a transaction (pytest-django's default) never commits, so `on_commit`
callbacks never run. Once no transaction of the code under test is open any more (only the
test's own atomic blocks are), every queued bump belongs to work that production would have
committed: run it before versions are read, exactly as a commit would have. Rolled-back work
is not affected: Django drops the callbacks of a savepoint that rolls back.
"""

from django.db import connection


def _noop():
    return None


_noop.galerie_version_bump = True  # still recognisable once it has run


def run_committed_bumps() -> None:
    if not connection.in_atomic_block:
        return
    if any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
        return  # the code under test is inside its own transaction: nothing has committed yet
    pending = connection.run_on_commit
    for i, (sids, func, robust) in enumerate(pending):
        if getattr(func, "galerie_version_bump", False):
            # Replaced, not removed: captureOnCommitCallbacks slices this list by position.
            pending[i] = (sids, _noop, robust)
            func()
