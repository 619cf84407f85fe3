"""Product full-text search: the one read every search box, page and API endpoint calls, with
the synonyms it expands and the corrections it offers when a query finds nothing."""

from collections.abc import Collection

from django.core.cache import cache

from galerie.catalog.models import Product
from galerie.core.versions import global_version
from galerie.search.backends import backend
from galerie.search.models import SearchSynonym, synonym_phrases
from galerie.search.terms import Phrase, folded_terms, query_gtin, synonym_clauses
from galerie.search.terms import search_terms as search_terms

MAX_LIMIT = 10_000
_CACHE_SECONDS = 300
# Vocabulary words compared with a word in no product, nearest first by trigrams.
NEIGHBOURS = 40


def search_synonym_groups() -> list[tuple[Phrase, ...]]:
    """Every synonym set as folded phrases, cached per catalogue generation: saving a synonym
    bumps it (`galerie.search.services.search_synonyms_changed`), in every process."""
    key = f"search-synonyms:{global_version()}"
    groups = cache.get(key)
    if groups is None:
        rows = SearchSynonym.objects.values_list("terms", flat=True)
        groups = [phrases for phrases in map(synonym_phrases, rows) if len(phrases) >= 2]
        cache.set(key, groups, _CACHE_SECONDS)
    return groups


def product_search_ids(
    *, query: str, category_ids: Collection[int] | None = None, limit: int = 1000
) -> list[int]:
    """Ids of active products matching `query`, best match first, at most `limit`.

    A query that is a valid GTIN/ISBN (ISBN-10 included) puts that exact product first. Words
    are folded (case, accents, ligatures: "soeurs" finds "Sœurs") and a run of words that is a
    synonym finds its synonyms too ("pc portable" finds "ordinateur portable").
    `category_ids` restricts to products directly in those categories (pass every id of the
    storefront's assortment, e.g. from `storefront_category_ids`); None means the whole mall, an
    empty collection means nothing. Stock is not filtered: callers filter the returned ids.
    Never raises on user input: an empty or meaningless query gives [].
    """
    limit = min(int(limit), MAX_LIMIT)
    if limit <= 0:
        return []
    if category_ids is not None:
        category_ids = sorted({int(pk) for pk in category_ids})
        if not category_ids:
            return []
    ids: list[int] = []
    gtin = query_gtin(query)
    if gtin:
        exact = Product.objects.filter(gtin=gtin, is_active=True).values_list("pk", "category_id")
        # Membership checked here, not in SQL: an assortment can exceed SQLite's parameter cap.
        allowed = None if category_ids is None else set(category_ids)
        ids.extend(pk for pk, category_id in exact if allowed is None or category_id in allowed)
    terms = folded_terms(query)
    if terms:
        clauses = synonym_clauses(terms, search_synonym_groups())
        found = backend().search(clauses, category_ids, limit)
        exact = set(ids)  # a set: `in` on the list made 1,000 results cost half a million steps
        ids.extend(pk for pk in found if pk not in exact)
    return ids[:limit]


def search_correction(*, query: str) -> str | None:
    """A likelier query when some words of `query` are in no product, or None.

    Each such word becomes the closest word of the catalogue's titles, authors, brands … (one
    letter away for a word of up to 4, two beyond, a swap of two letters counting one; the
    commonest among equals), and a word cut in two is joined back ("i phone" → "iphone").
    Meant for a query that found nothing: it costs a few index lookups.
    """
    if query_gtin(query):
        return None
    terms = folded_terms(query)
    if not terms:
        return None
    engine = backend()
    joined = [a + b for a, b in zip(terms, terms[1:], strict=False)]
    counts = engine.word_frequencies(list(dict.fromkeys([*terms, *joined])))
    corrected: list[str] = []
    changed = False
    position = 0
    while position < len(terms):
        word = terms[position]
        if position + 1 < len(terms):
            following = terms[position + 1]
            pair = word + following
            unknown_part = not counts[word] or not counts[following]
            if counts[pair] and (unknown_part or min(len(word), len(following)) <= 2):
                corrected.append(pair)
                changed = True
                position += 2
                continue
        if not counts[word] and len(word) >= 3 and not word.isdigit():
            better = _closest_word(engine, word)
            if better is not None:
                corrected.append(better)
                changed = True
                position += 1
                continue
        corrected.append(word)
        position += 1
    return " ".join(corrected) if changed else None


def _closest_word(engine, word: str) -> str | None:
    allowed = 1 if len(word) <= 4 else 2
    distances = {}
    for candidate in engine.vocabulary_neighbours(word, NEIGHBOURS):
        if candidate != word:
            distance = edit_distance(word, candidate)
            if distance <= allowed:
                distances[candidate] = distance
    if not distances:
        return None
    # A vocabulary word whose products are all gone has no count: never offered.
    counts = engine.word_frequencies(sorted(distances))
    live = [c for c in distances if counts[c]]
    if not live:
        return None
    return min(live, key=lambda c: (distances[c], -counts[c], c))


def edit_distance(a: str, b: str) -> int:
    """Letters inserted, deleted, replaced, or two neighbours swapped, to turn `a` into `b`
    (optimal string alignment distance)."""
    previous_row: list[int] | None = None
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        before, previous_row = previous_row, row
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(previous_row[j] + 1, row[j - 1] + 1, previous_row[j - 1] + cost)
            if (
                before is not None
                and i > 1
                and j > 1
                and a[i - 1] == b[j - 2]
                and a[i - 2] == b[j - 1]
            ):
                row[j] = min(row[j], before[j - 2] + 1)
    return row[len(b)]
