"""Reading and validating a feed ahead of the database writes, one batch at a time.

`prepared_batches` turns a feed into batches of checked rows: for each row its number, its seller
id (`id`), the parsed `FeedRow` (None when rejected) and its problems, plus the new product's
slug. This is about a quarter of an import's CPU and needs no database, so for a large feed it runs
in a child process and overlaps with the database writes on another core; a pipe of a few
batches keeps memory flat whatever the feed's size.

The child is a fork of the importing process when that process runs a single thread (the
`galerie import` command, a task worker): a copy of the configured process, ready at once.
Forking beside other threads can deadlock the child, so a multi-threaded process reads in-process,
unless told to use a child anyway (`parallel=True`), which is then a fresh interpreter ("spawn")
that sets Django up first.
"""

import hashlib
import multiprocessing
import os
import pickle
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from galerie.core.errors import DomainError
from galerie.imports.feeds import Feed, FeedError
from galerie.imports.validation import FeedRow, RowError, row_parse

# Below this size a child process costs more than it saves (a fork, a pipe).
PARALLEL_MIN_BYTES = 4 << 20

# slugify is wrapped by keep_lazy_text, whose check of every argument costs as much as the slug.
_slugify = getattr(slugify, "__wrapped__", slugify)

# (row number, seller id or None for a row too wide to read, row or None, problems)
PreparedRow = tuple[int, str | None, FeedRow | None, list[RowError]]


@dataclass(slots=True)
class PreparedBatch:
    rows: list[PreparedRow]
    position: int  # bytes of the feed consumed after this batch (read-ahead included)


def slug_for(title: str, suffix: str) -> str:
    base = _slugify(title)[:200].strip("-") or "produit"
    return f"{base}-{suffix}"


def slug_suffix(row: FeedRow, seller_pk: int) -> str:
    """The GTIN, or for a product without one a short hash of the seller and its id."""
    if row.gtin:
        return row.gtin
    return hashlib.blake2b(f"{seller_pk}:{row.sku}".encode(), digest_size=5).hexdigest()


def _prepare(n: int, raw: dict | None, seller_pk: int) -> PreparedRow:
    if raw is None:
        return (
            n,
            None,
            None,
            [RowError(n, "*", "row_width", _("Nombre de colonnes incorrect sur cette ligne."))],
        )
    row, problems = row_parse(n, raw)
    if row is not None:
        row.slug = slug_for(row.title, slug_suffix(row, seller_pk))
    return n, (raw.get("id") or "").strip(), row, problems


def _batches(path: str, *, skip_to: int, batch_size: int, seller_pk: int):
    with Feed(path) as feed:
        rows: list[PreparedRow] = []
        for n, raw in feed.rows(skip_to=skip_to):
            if n <= skip_to:
                continue
            rows.append(_prepare(n, raw, seller_pk))
            if len(rows) >= batch_size:
                yield PreparedBatch(rows, feed.position())
                rows = []
        if rows:
            yield PreparedBatch(rows, feed.total_bytes)


def _child(conn, path: str, skip_to: int, batch_size: int, seller_pk: int, language: str) -> None:
    """Runs in the reader process: batches down the pipe, then None, or the error's message."""
    try:
        from django.apps import apps

        if not apps.ready:  # a spawned interpreter
            import django

            django.setup()
        if language:
            translation.activate(language)  # the messages of the error report
        for batch in _batches(path, skip_to=skip_to, batch_size=batch_size, seller_pk=seller_pk):
            conn.send_bytes(pickle.dumps(batch, pickle.HIGHEST_PROTOCOL))
        conn.send_bytes(pickle.dumps(None))
    except (BrokenPipeError, KeyboardInterrupt):
        pass  # the importing process stopped first
    except DomainError as exc:
        conn.send_bytes(pickle.dumps(("error", exc.message)))
    except Exception as exc:  # noqa: BLE001 - shipped to the parent, which raises it
        conn.send_bytes(pickle.dumps(("error", f"{type(exc).__name__}: {exc}")))
    finally:
        conn.close()


def _thread_count() -> int:
    """Threads of this process as the OS sees them (what fork's own safety warning counts)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def start_method() -> str:
    if "fork" in multiprocessing.get_all_start_methods() and _thread_count() == 1:
        return "fork"
    return "spawn"


def parallel_possible() -> bool:
    """Whether a large feed is read in a forked child (see the module docstring)."""
    return (
        (os.cpu_count() or 1) > 1
        and start_method() == "fork"
        # A daemonic process (a multiprocessing pool's worker) may not have children.
        and not multiprocessing.current_process().daemon
    )


def prepared_batches(
    path: str,
    *,
    skip_to: int = 0,
    batch_size: int,
    seller_pk: int,
    parallel: bool | None = None,
) -> Iterator[PreparedBatch]:
    """The feed's rows after `skip_to`, checked, in batches (see module docstring).

    `parallel`: None decides by the feed's size and the machine; True and False force it (tests).
    """
    if parallel is None:
        try:
            large = os.path.getsize(path) >= PARALLEL_MIN_BYTES
        except OSError:
            large = False  # Feed() reports the unreadable file
        parallel = large and parallel_possible()
    if not parallel:
        yield from _batches(path, skip_to=skip_to, batch_size=batch_size, seller_pk=seller_pk)
        return
    with Feed(path):
        pass  # an unreadable file fails here, in this process, with its message
    context = multiprocessing.get_context(start_method())
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child,
        args=(sender, path, skip_to, batch_size, seller_pk, translation.get_language()),
        name="galerie-import-reader",
        daemon=True,
    )
    child.start()
    sender.close()
    try:
        while True:
            try:
                message = pickle.loads(receiver.recv_bytes())  # noqa: S301 - our own child
            except EOFError:
                raise FeedError(_("La lecture du flux s'est interrompue.")) from None
            if message is None:
                return
            if isinstance(message, tuple):
                raise FeedError(message[1])
            yield message
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
        child.join()
