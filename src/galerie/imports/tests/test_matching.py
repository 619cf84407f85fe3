"""Folding and the category index: which category a feed value names, what is too close to create,
what to suggest. Pure lookups over a small tree (no database)."""

import pytest

from galerie.imports.matching import CategoryIndex, builtin_mappings, fold, fold_path

# (id, parent, name): a slice of the demo mall's tree, with one name twice (DVD) and one shelf
# only the phone department has (Accessoires).
TREE = [
    (1, None, "Livres"),
    (2, 1, "Romans"),
    (3, 1, "Policiers et thrillers"),
    (4, 1, "Jeunesse"),
    (5, None, "Musique"),
    (6, 5, "CD"),
    (7, 5, "DVD"),
    (8, None, "Vidéo"),
    (9, 8, "DVD"),
    (10, 8, "Blu-ray"),
    (11, None, "Image et son"),
    (12, 11, "Casques et écouteurs"),
    (13, None, "Téléphonie"),
    (14, 13, "Accessoires"),
    (15, None, "Informatique"),
    (16, 15, "Ordinateurs portables"),
    (17, None, "Électroménager"),
    (18, 17, "Lave-linge"),
]


def index(preferred=()):
    paths = {}
    rows = []
    for pk, parent, name in TREE:
        paths[pk] = f"{paths[parent] if parent else '/'}{pk}/"
        rows.append((pk, parent, name, paths[pk]))
    return CategoryIndex(rows, preferred=preferred)


def find(value, **kw):
    return index(kw.pop("preferred", ())).find(fold_path(value), **kw)


def test_folding_ignores_accents_case_punctuation_plurals_and_separator_spacing():
    assert fold("Électroménager") == fold("electromenager") == "electromenager"
    assert fold("Lave-Linge") == fold("lave  linges") == "lave linge"
    assert fold_path("LIVRES›Romans") == fold_path(" livre >  roman ") == ("livre", "roman")
    assert fold_path("Livres > > Romans") == ("livre", "roman")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Livres > Romans", 2),
        ("livre>roman", 2),
        ("ÉLECTROMÉNAGER › lave linges", 18),
        ("Romans", 2),  # the last segment alone, unambiguous
        ("Culture > Livres > Romans", 2),  # the end of a longer path
        ("Image et son > Casques", 12),  # a part of a name that lists several
        ("Casques", 12),
        ("Livres > Policier", 3),
        ("Mobile > Accessoires", 14),  # « Mobile » names no category: no contradiction
        ("Informatique > Accessoires", None),  # the accessories are not below Informatique
        ("Livres > Romans > Policier", None),  # Policiers et thrillers is not below Romans
        ("DVD", None),  # two categories: ambiguous
        ("Vidéo > DVD", 9),
        ("Media > Books", None),  # Google's taxonomy is the built-in table's business
    ],
)
def test_a_value_names_a_category_by_its_folded_path_or_the_end_of_it(value, expected):
    assert find(value) == expected


def test_a_storefront_assortment_settles_an_ambiguous_name():
    assert find("DVD", preferred={8, 9, 10}) == 9
    assert find("DVD", preferred={1, 2, 5, 6, 7, 8, 9}) is None


def test_strict_lookup_takes_whole_paths_only():
    assert find("Romans", strict=True) is None
    assert find("livres > romans", strict=True) == 2
    assert find("Image et son > Casques", strict=True) == 12


def test_near_misses_are_suggested_and_far_values_are_not():
    idx = index()
    assert idx.suggest([fold_path("Image et son > Casque audio")]) == 12
    assert idx.suggest([fold_path("Informatique > Ordinateur portable gamer")]) == 16
    assert idx.suggest([fold_path("Jardin > Tondeuses")]) is None
    assert idx.label(12) == "Image et son > Casques et écouteurs"


@pytest.mark.parametrize(
    ("parent", "name", "close"),
    [
        (15, "Ordinateurs", 16),  # one word list starts the other
        (11, "Casque audio", 12),  # starts a shelf the sibling's name lists
        (8, "Blu-ray 4K", 10),
        (17, "Lave-vaisselle", None),
        (None, "Jeux vidéo", None),
        (1, "Poésie", None),
    ],
)
def test_a_new_category_too_close_to_a_sibling_is_detected(parent, name, close):
    assert index().close_sibling(parent, name) == close


def test_the_builtin_table_maps_google_values_to_mall_paths():
    table = builtin_mappings()
    books = table[fold_path("Media > Books")]
    assert books.target == ("livre",) and books.is_book and books.tax_class == "reduced"
    headphones = table[fold_path("Electronics > Audio > Audio Components > Headphones & Headsets")]
    assert find(" > ".join(headphones.target), strict=True) == 12


def test_a_created_path_stops_at_the_maximum_depth(db):
    from galerie.catalog.models import Category
    from galerie.imports.matching import MAX_DEPTH, category_path_ensure

    idx = CategoryIndex([])
    names = [f"Niveau {n}" for n in range(MAX_DEPTH + 5)]

    outcome = category_path_ensure(idx, names)

    assert len(outcome.created) == MAX_DEPTH == Category.objects.count()
    assert Category.objects.get(pk=outcome.category).depth == MAX_DEPTH - 1
    # Again: every level is found, nothing more is created.
    assert category_path_ensure(idx, names).created == []


def test_absurd_values_stay_cheap_and_never_crash():
    idx = index()
    deep = " > ".join(["Romans"] * 5000)
    assert len(fold_path(deep)) == 16
    assert idx.find(fold_path(deep)) is None  # « Romans » is not below « Romans »
    assert idx.find(fold_path(" > ".join(["Culture"] * 40 + ["Romans"]))) is None  # cut at 16
    assert idx.suggest([fold_path("x" * 750)]) is None
