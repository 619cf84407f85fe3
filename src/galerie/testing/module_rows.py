"""Rows built once for a whole test module, as Django's `TestCase.setUpTestData` builds them once
per class: a long parametrized matrix then pays for its world once instead of once per case.

The rows live in a transaction that wraps the module's tests and is rolled back after the last
one; each test runs in a savepoint inside it (pytest-django's `db`), so what a test writes is
undone before the next. The Python objects are the test's to change: give each test a
`copy.deepcopy` of them, as `setUpTestData` does.
"""

from contextlib import contextmanager

from django.db import transaction

from galerie.testing.versions import run_committed_bumps


@contextmanager
def module_rows(django_db_blocker, build):
    """Yield what `build()` returns, its rows kept until the `with` block ends."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        # Never committed, like the test's own blocks: galerie.testing.versions treats it so.
        atomic._from_testcase = True
        atomic.__enter__()
        try:
            built = build()
            run_committed_bumps()  # its version bumps run as the commit would have run them
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
