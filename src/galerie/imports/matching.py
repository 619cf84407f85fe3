"""Which mall category a feed's category value names, when the mall's own tree can tell.

Values and category names are compared folded: accents, case, punctuation and a plural « s »/« x »
ignored, the path separator (« > » or « › ») and spaces normalised. A value names a category
when its path folds to the category's path, or — unambiguously — to the end of it (« Romans »,
« Culture > Livres > Romans »), and a category also answers to each part of a name that lists
several (« Casques et écouteurs » answers to « Casques »). Anything else is left unmatched, with
the closest category paths as a suggestion, never a guess.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from galerie.catalog.models import Category
from galerie.catalog.services import category_create

BUILTIN_MAPPINGS = Path(__file__).parent / "data" / "default_mappings.csv"

_SEPARATOR = re.compile(r"[>›]")
_WORD = re.compile(r"[^\W_]+")
# « Casques et écouteurs », « Cafetières & expressos », « CD, vinyles »: a name listing shelves.
_LISTING = re.compile(r"\s+(?:et|and)\s+|\s*[,&/+]\s*", re.IGNORECASE)

SUGGESTION_MIN_SCORE = 0.6  # difflib ratio of folded paths (or names) to suggest a category
NEAR_DUPLICATE_SCORE = 0.8  # a new category this close to a sibling's name is not created
STARTS_ALIKE_SCORE = 0.85  # « Casque audio » for « Casques et écouteurs »: a likely match
MAX_DEPTH = 8  # levels of a created path (a category's id path must fit its 255 characters)
MAX_SEGMENTS = 16  # of a feed value: lookups are quadratic in them, and no tree is that deep


@lru_cache(maxsize=8192)  # a feed repeats its segments (« Livres », « Romans ») endlessly
def fold(text: str) -> str:
    """One name or path segment folded: « Lave-Linge » and « lave linges » give « lave linge »."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(_singular(word) for word in _WORD.findall(text))


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


def fold_path(value: str) -> tuple[str, ...]:
    """A category path folded segment by segment (empty segments dropped, MAX_SEGMENTS kept)."""
    return tuple(f for f in (fold(part) for part in _SEPARATOR.split(value)) if f)[:MAX_SEGMENTS]


def path_segments(value: str) -> list[str]:
    """A path's segments as written (trimmed), aligned with `fold_path`'s."""
    parts = [" ".join(part.split()) for part in _SEPARATOR.split(value) if fold(part)]
    return parts[:MAX_SEGMENTS]


def _listed(name: str) -> list[str]:
    parts = [fold(part) for part in _LISTING.split(name)]
    parts = [p for p in parts if p]
    return parts if len(parts) > 1 else []


def _ratio(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.ratio() if matcher.real_quick_ratio() >= SUGGESTION_MIN_SCORE else 0.0


@dataclass(frozen=True)
class BuiltinMapping:
    """A row of the shipped table: a feed value (Google taxonomy or a common shop path) → a mall
    path, with the product type it suggests."""

    target: tuple[str, ...]
    product_type: str
    product_type_name: str
    is_book: bool
    tax_class: str


@cache
def builtin_mappings() -> dict[tuple[str, ...], BuiltinMapping]:
    """The shipped table (`data/default_mappings.csv`), read once: it is part of the code."""
    table: dict[tuple[str, ...], BuiltinMapping] = {}
    with open(BUILTIN_MAPPINGS, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            table.setdefault(
                fold_path(row["source"]),
                BuiltinMapping(
                    target=fold_path(row["category"]),
                    product_type=row["product_type"].strip(),
                    product_type_name=row["product_type_name"].strip(),
                    is_book=row["is_book"].strip() == "1",
                    tax_class=row["tax_class"].strip(),
                ),
            )
    return table


class CategoryIndex:
    """The category tree folded, for lookups by path, by the end of a path, and by similarity.

    Built once per import from (id, parent id, name, materialised path) rows — a few hundred —
    and kept current when the import creates categories. `preferred` (a storefront's assortment)
    settles a value that names several categories.
    """

    def __init__(self, rows: Iterable[tuple[int, int | None, str, str]], *, preferred=()):
        self.preferred = frozenset(preferred)
        self.parent: dict[int, int | None] = {}
        self.name: dict[int, str] = {}
        self.tree_path: dict[int, str] = {}
        self.key: dict[int, tuple[str, ...]] = {}
        self.children: dict[int | None, list[int]] = defaultdict(list)
        self._exact: dict[tuple[str, ...], list[int]] = defaultdict(list)
        self._exact_listed: dict[tuple[str, ...], list[int]] = defaultdict(list)
        self._tail: dict[tuple[str, ...], list[int]] = defaultdict(list)
        self._tail_listed: dict[tuple[str, ...], list[int]] = defaultdict(list)
        self._by_token: dict[str, set[int]] = defaultdict(set)
        pending = list(rows)
        for pk, parent_id, name, tree_path in pending:
            self.parent[pk], self.name[pk], self.tree_path[pk] = parent_id, name, tree_path
        for pk, *_rest in pending:
            self._index(pk)

    def add(self, pk: int, parent_id: int | None, name: str, tree_path: str) -> None:
        self.parent[pk], self.name[pk], self.tree_path[pk] = parent_id, name, tree_path
        self._index(pk)

    def _key_of(self, pk: int) -> tuple[str, ...]:
        key = self.key.get(pk)
        if key is None:
            parent = self.parent[pk]
            head = self._key_of(parent) if parent is not None else ()
            key = self.key[pk] = (*head, fold(self.name[pk]) or str(pk))
        return key

    def _index(self, pk: int) -> None:
        key = self._key_of(pk)
        self.children[self.parent[pk]].append(pk)
        self._exact[key].append(pk)
        for k in range(1, len(key) + 1):
            self._tail[key[-k:]].append(pk)
        for part in _listed(self.name[pk]):
            listed = (*key[:-1], part)
            self._exact_listed[listed].append(pk)
            for k in range(1, len(listed) + 1):
                self._tail_listed[listed[-k:]].append(pk)
        for segment in key:
            for word in segment.split():
                self._by_token[word[:4]].add(pk)

    # ------------------------------------------------------------------------------- reading

    def label(self, pk: int) -> str:
        names = []
        node: int | None = pk
        while node is not None:
            names.append(self.name[node])
            node = self.parent[node]
        return " > ".join(reversed(names))

    def is_below(self, pk: int, ancestor: int) -> bool:
        node = self.parent[pk]
        while node is not None:
            if node == ancestor:
                return True
            node = self.parent[node]
        return False

    def find(self, key: tuple[str, ...], *, strict: bool = False) -> int | None:
        """The one category `key` (a folded path) names, or None (none, or several).

        Strict: the whole path only (a mall path in a mappings file). Otherwise also the end of
        a path: the longest end that names categories decides, and the rest of the value, when
        it names a category itself, must be above the one chosen (« Informatique > Accessoires »
        is not « Téléphonie > Accessoires »).
        """
        if not key:
            return None
        for table in (self._exact, self._exact_listed):
            ids = table.get(key)
            if ids:
                return self._one(ids)
        if strict:
            return None
        for k in range(len(key), 0, -1):
            for table in (self._tail, self._tail_listed):
                ids = table.get(key[-k:])
                if not ids:
                    continue
                if k < len(key):
                    head = self.find(key[:-k])
                    if head is not None:
                        ids = [pk for pk in ids if self.is_below(pk, head)]
                        if not ids:
                            continue
                return self._one(ids)
        return None

    def _one(self, ids: list[int]) -> int | None:
        if len(ids) == 1:
            return ids[0]
        preferred = [pk for pk in ids if pk in self.preferred]
        return preferred[0] if len(preferred) == 1 else None

    def _starts_alike(self, words: list[str], pk: int) -> bool:
        """One word list starts the other, for the category's name or a shelf it lists."""
        for part in [self.key[pk][-1], *_listed(self.name[pk])]:
            part_words = part.split()
            shorter = min(len(words), len(part_words))
            if words[:shorter] == part_words[:shorter]:
                return True
        return False

    def suggest(self, keys: Iterable[tuple[str, ...]]) -> int | None:
        """The category whose path (or name) is closest to one of `keys`, if close enough."""
        best: tuple[float, bool, int] | None = None
        for key in keys:
            if not key:
                continue
            text = " > ".join(key)
            leaf_words = key[-1].split()
            candidates: set[int] = set()
            for word in text.replace(">", " ").split():
                candidates |= self._by_token.get(word[:4], set())
            for pk in candidates:
                other = self.key[pk]
                score = max(_ratio(text, " > ".join(other)), _ratio(key[-1], other[-1]))
                if score < STARTS_ALIKE_SCORE and self._starts_alike(leaf_words, pk):
                    score = STARTS_ALIKE_SCORE
                if score < SUGGESTION_MIN_SCORE:
                    continue
                rank = (score, pk in self.preferred, -pk)
                if best is None or rank > best:
                    best = rank
        return -best[2] if best is not None else None

    def close_sibling(self, parent: int | None, name: str) -> int | None:
        """An existing child of `parent` that a new category `name` would nearly duplicate: one
        word list starting the other (« Ordinateurs » / « Ordinateurs portables », « Casque
        audio » / « Casques et écouteurs ») or names this similar (« Blu-ray 4K » / « Blu-ray »)."""
        wanted = fold(name)
        words = wanted.split()
        best: tuple[float, int] | None = None
        for pk in self.children.get(parent, ()):
            if self._starts_alike(words, pk):
                score = 1.0
            else:
                other = self.key[pk][-1]
                score = difflib.SequenceMatcher(None, wanted, other, autojunk=False).ratio()
            if score >= NEAR_DUPLICATE_SCORE and (best is None or score > best[0]):
                best = (score, pk)
        return best[1] if best is not None else None


@dataclass
class PathOutcome:
    category: int | None  # the category at the end of the path (None: refused)
    created: list[int]
    close: int | None = None  # the existing sibling a new name would nearly duplicate


def category_path_ensure(
    index: CategoryIndex,
    names: list[str],
    *,
    parent: int | None = None,
    allow_similar: bool = False,
) -> PathOutcome:
    """The category at path `names` below `parent` (the root without one), each level found by
    its folded name (« Casques » finds « Casques et écouteurs ») or else created — but never
    beside a sibling it would nearly duplicate, unless `allow_similar`: then nothing is created
    and `close` names that sibling. Levels beyond MAX_DEPTH are not created."""
    created: list[int] = []
    room = MAX_DEPTH - (len(index.key[parent]) if parent is not None else 0)
    for name in names[: max(room, 0)]:
        below = index.key[parent] if parent is not None else ()
        existing = index.find((*below, fold(name)), strict=True)
        if existing is not None and index.parent[existing] == parent:
            parent = existing
            continue
        if not allow_similar:
            close = index.close_sibling(parent, name)
            if close is not None:
                return PathOutcome(None, created, close)
        parent_obj = Category.objects.get(pk=parent) if parent is not None else None
        category = category_create(name=name, parent=parent_obj)
        index.add(category.pk, parent, category.name, category.path)
        created.append(category.pk)
        parent = category.pk
    return PathOutcome(parent, created)
