"""Turning a raw user query into safe search terms: the only door between user input and FTS syntax.

Terms are runs of letters and digits, lower-cased, so no quote, operator (AND, OR, NEAR, `*`, `-`,
`:`, `&`, `|`, `!`) or parenthesis of FTS5 or tsquery syntax can ever come from the user.
"""

import re
import unicodedata

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


# Letters that accent stripping does not split, folded as PostgreSQL's `unaccent` folds them: a
# shopper types "soeurs" for "sœurs", "ss" for "ß". Both cases are listed because SQLite's
# `lower()` only knows ASCII (the SQLite index folds with `fold_sql`, FTS5 then folds the case).
FOLDS = {
    "œ": "oe",
    "Œ": "OE",
    "æ": "ae",
    "Æ": "AE",
    "ß": "ss",
    "ẞ": "SS",
    "ĳ": "ij",
    "Ĳ": "IJ",
    "ø": "o",
    "Ø": "O",
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "ﬀ": "ff",
    "ﬁ": "fi",
    "ﬂ": "fl",
    "ﬃ": "ffi",
    "ﬄ": "ffl",
    "ﬅ": "st",
    "ﬆ": "st",
}
_FOLD_TABLE = str.maketrans(FOLDS)

# Words worth offering as a correction: no shorter (too many neighbours), no longer (a
# pasted string, not a word).
VOCABULARY_MIN_CHARS = 3
VOCABULARY_MAX_CHARS = 30


def fold(text: str) -> str:
    """Lower-cased, ligatures split (œ → oe, ß → ss) and accents removed: "Sœurs" → "soeurs"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_TABLE).lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_sql(expression: str) -> str:
    """SQL applying FOLDS' ligatures to `expression` (an SQL expression from module constants):
    the SQLite index stores text so folded, its tokenizer removes the accents and the case."""
    for letter, replacement in FOLDS.items():
        expression = f"replace({expression}, '{letter}', '{replacement}')"
    return expression


def vocabulary_words(text: str) -> set[str]:
    """The folded words of `text` that may be offered as corrections (no numbers)."""
    words = set()
    for word in _WORD.findall(fold(text)):
        if VOCABULARY_MIN_CHARS <= len(word) <= VOCABULARY_MAX_CHARS and not word.isdigit():
            words.add(word)
    return words


def folded_terms(query: str) -> list[str]:
    """`search_terms`, folded (what the indexes hold), without the duplicates folding makes."""
    return list(dict.fromkeys(fold(term) for term in search_terms(query)))


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


# A query as the backends take it: every clause must match; a clause is a choice of phrases (a
# term and its synonyms); a phrase's words must all appear.
Phrase = tuple[str, ...]
Clause = tuple[Phrase, ...]


def synonym_clauses(terms: list[str], groups: list[tuple[Phrase, ...]]) -> list[Clause]:
    """`terms` (folded) as clauses, each run of terms that is a synonym phrase becoming the
    choice of its group's phrases; the longest phrase wins where several start at one term."""
    clauses: list[Clause] = []
    position = 0
    while position < len(terms):
        best: tuple[Phrase, tuple[Phrase, ...]] | None = None
        for group in groups:
            for phrase in group:
                size = len(phrase)
                if tuple(terms[position : position + size]) == phrase and (
                    best is None or size > len(best[0])
                ):
                    best = (phrase, group)
        if best is None:
            clauses.append(((terms[position],),))
            position += 1
        else:
            phrase, group = best
            clauses.append((phrase, *(p for p in group if p != phrase)))
            position += len(phrase)
    return clauses


def prefix_last(clauses: list[Clause]) -> bool:
    """Whether the last word is searched as a prefix ("as you type"): a lone word of 2+ letters,
    not one a synonym matched (that is a whole word)."""
    last = clauses[-1] if clauses else ()
    return len(last) == 1 and len(last[0]) == 1 and len(last[0][0]) >= 2
