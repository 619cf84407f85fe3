"""The demo catalogue reads like a shop's: every product its own title, descriptions in correct
French, and blurbs that fit the book's genre."""

import re
import unicodedata

import pytest

from galerie.catalog.models import Product
from galerie.demo import data
from galerie.demo.french import de, elides
from galerie.demo.generator import chunk_specs, product_specs
from galerie.demo.services import DEFAULT_PRODUCTS, demo_load


def normalised(title: str) -> str:
    folded = unicodedata.normalize("NFKD", title.casefold())
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())


# « de Arthur », « que 1 », « de le », two full stops: what the generator must never write.
BAD_FRENCH = re.compile(
    r"\b(?:de|que|le|la|ne|se|je) [aeiouàâäéèêëîïôöùûüœæ]|\bque 1\b|\bde les?\b|\bà les?\b|\.\.",
    re.IGNORECASE,
)


@pytest.mark.django_db
def test_the_default_demo_has_no_two_products_with_the_same_title():
    demo_load(products=DEFAULT_PRODUCTS)
    titles = list(Product.objects.values_list("title", flat=True))
    seen: dict[str, str] = {}
    for title in titles:
        key = normalised(title)
        assert key not in seen, f"{title!r} repeats {seen[key]!r}"
        seen[key] = title
    assert len(titles) == DEFAULT_PRODUCTS


def test_titles_stay_distinct_past_the_end_of_every_name_space():
    # Chunk 40 holds the 40,000th product: headphones and phones are past their real models.
    specs = [s for chunk in (0, 1, 40, 999) for s in chunk_specs(chunk)]
    keys = [normalised(s.title) for s in specs]
    assert len(set(keys)) == len(keys)
    assert any(" Gen " in s.title for s in specs if s.product_type == "casque")


def test_descriptions_are_correct_french():
    specs = [s for chunk in product_specs(DEFAULT_PRODUCTS) for s in chunk]
    wrong = [s.description for s in specs if BAD_FRENCH.search(s.description)]
    assert not wrong, wrong[:5]
    # The elided forms are used, not avoided.
    assert any(" d'" in s.description and s.product_type == "video" for s in specs)
    assert any("l'album du " in s.description or "l'album des " in s.description for s in specs)


def test_the_bad_french_pattern_catches_what_it_should():
    for bad in ("un film de Arthur Meyer.", "il ne reste que 1 exemplaire", "chez Sophie L.."):
        assert BAD_FRENCH.search(bad), bad
    assert not BAD_FRENCH.search("un film d'Arthur Meyer, de Yann Roux, de Haddad.")


def test_de_elides_and_contracts():
    assert de("Arthur Meyer") == "d'Arthur Meyer"
    assert de("Élise Roux") == "d'Élise Roux"
    assert de("Hugo Martin") == "d'Hugo Martin"  # mute h
    assert de("Haddad") == "de Haddad"  # aspirated h
    assert de("Yann Roux") == "de Yann Roux" and de("Yves Roux") == "d'Yves Roux"
    assert de("Sophie L.") == "de Sophie L."
    assert de("le Quatuor Ostinato") == "du Quatuor Ostinato"
    assert de("Les Marées") == "des Marées"
    assert de("l'Ensemble baroque de Lyon") == "de l'Ensemble baroque de Lyon"
    assert not elides("") and elides("Œdipe")


def _pitch_kinds(description: str) -> set[str]:
    return {
        kind
        for kind, pitches in data.BOOK_PITCHES.items()
        for pitch in pitches
        if pitch in description
    }


def test_book_blurbs_fit_the_genre():
    specs = [s for chunk in product_specs(DEFAULT_PRODUCTS) for s in chunk]
    books = [s for s in specs if s.product_type == "livre"]
    fantasy_heads = tuple(f"{head} " for head in data.FANTASY_HEADS)
    kinds_seen = set()
    for book in books:
        expected = book.category
        if book.category == "sf-fantasy":
            expected = "fantasy" if book.title.startswith(fantasy_heads) else "sf"
        assert _pitch_kinds(book.description) == {expected}, (book.title, book.description)
        kinds_seen.add(expected)
    assert kinds_seen == set(data.BOOK_PITCHES)  # fantasy and science fiction among them
    # Films and albums carry their own genre's sentence too.
    for spec in specs:
        if spec.product_type == "video":
            assert data.FILM_PITCHES[spec.attributes["genre"]] in spec.description
        elif spec.product_type == "musique":
            genre = spec.attributes["genre"]
            assert data.MUSIC_PITCHES[genre] in spec.description
            assert spec.attributes["label"] in data.GENRE_LABELS.get(genre, data.LABELS)
            if spec.title.split(" – ")[1].split(" (")[0] in data.CLASSICAL_ALBUMS:
                assert genre == "Classique", spec.title


@pytest.mark.django_db
def test_two_loads_with_the_same_seed_give_the_same_titles():
    from galerie.demo import generator

    demo_load(products=600)
    loaded = sorted(Product.objects.values_list("slug", "title"))
    first = sorted((s.slug, s.title) for chunk in product_specs(600) for s in chunk)
    generator._space_items.cache_clear()  # a fresh process: name spaces rebuilt from the seed
    generator._deal.cache_clear()
    second = sorted((s.slug, s.title) for chunk in product_specs(600) for s in chunk)
    assert loaded == first == second
