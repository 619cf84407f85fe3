"""Turning a raw user query into safe search terms: the only door between user input and FTS syntax.

Terms are runs of letters and digits, lower-cased, so no quote, operator (AND, OR, NEAR, `*`, `-`,
`:`, `&`, `|`, `!`) or parenthesis of FTS5 or tsquery syntax can ever come from the user.
"""

import re

from galerie.catalog.gtin import InvalidGTIN, normalize_gtin

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
MAX_TERM_CHARS = 60

# Letters and digits of any script; `\w` minus the underscore.
_WORD = re.compile(r"[^\W_]+")
_GTIN_SHAPE = re.compile(r"[0-9]{7,13}[0-9X]")

# Articles, prepositions, conjunctions and elided letters ("l'école" → "l", "école"). Dropped
# because terms are ANDed: "les misérables de hugo" must not require "de" in the document. Both
# backends use the same list so they answer alike (PostgreSQL's french stemmer drops them too).
STOPWORDS = frozenset(
    (  # noqa: SIM905 - a word list reads better as one string
        "a à au aux avec c ce ces d dans de des du en et j l la le les leur m n ou par pour qu que "
        "qui s sur t un une y"
    ).split()
)


def search_terms(query: str) -> list[str]:
    """The cleaned words of a query, in order, without duplicates or stop words.

    Lower-cased, accents kept (for display and highlighting; the index ignores them). At most
    MAX_TERMS words from the first MAX_QUERY_CHARS characters. [] for an empty or meaningless query.
    """
    if not isinstance(query, str):
        return []
    seen: dict[str, None] = {}
    for word in _WORD.findall(query[:MAX_QUERY_CHARS].lower()):
        word = word[:MAX_TERM_CHARS]
        if word not in STOPWORDS:
            seen.setdefault(word, None)
        if len(seen) >= MAX_TERMS:
            break
    return list(seen)


def query_gtin(query: str) -> str | None:
    """The canonical GTIN when the whole query is one (ISBN-10 → ISBN-13), else None."""
    if not isinstance(query, str) or len(query) > 40:
        return None
    compact = re.sub(r"[\s-]", "", query).upper()
    if not _GTIN_SHAPE.fullmatch(compact):
        return None
    try:
        return normalize_gtin(compact)
    except (InvalidGTIN, ValueError):
        return None
