"""Writes to the product search index. Call `search_index_refresh` after changing products."""

from collections.abc import Iterable

from django.db import transaction

from galerie.core.versions import global_bump
from galerie.search.backends import backend, vocabulary_texts
from galerie.search.terms import vocabulary_words


def search_index_refresh(*, product_ids: Iterable[int]) -> None:
    """(Re)index these products: active ones are (re)written, missing or inactive ones removed.

    Their words join the vocabulary that corrections are drawn from; a word whose products are
    gone stays there but is never offered (a correction must find products).
    """
    ids = sorted({int(pk) for pk in product_ids})
    if ids:
        with transaction.atomic():
            backend().refresh(ids)
            _vocabulary_add(vocabulary_texts(ids))


def search_index_rebuild() -> int:
    """Rebuild the whole index from the catalogue in set-based SQL, and the vocabulary from the
    titles and text attributes; returns the products indexed."""
    with transaction.atomic():
        count = backend().rebuild()
        _vocabulary_add(vocabulary_texts(None))
    return count


def _vocabulary_add(texts: Iterable[str]) -> None:
    words: set[str] = set()
    for text in texts:
        words |= vocabulary_words(text)
    if words:
        backend().vocabulary_add(sorted(words))


def search_synonyms_changed() -> None:
    """Call after adding, editing or deleting a synonym. The synonyms are cached per catalogue
    generation, like every page that may show a search: a bump of the global version (rare, an
    editor's change) reaches every process and every cached page."""
    global_bump()
