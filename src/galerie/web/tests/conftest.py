"""A small two-storefront mall shared by the page tests (books and high-tech)."""

from types import SimpleNamespace

import pytest

from galerie.catalog.models import Attribute
from galerie.testing.factories import (
    make_book_type,
    make_category,
    make_offer,
    make_product,
    make_product_type,
    make_seller,
    make_storefront,
)


@pytest.fixture
def mall(db):
    books = make_category("Livres", slug="livres")
    novels = make_category("Romans", slug="romans", parent=books)
    tech = make_category("Informatique", slug="informatique")
    culture = make_storefront("culture", name="Culture", categories=[books])
    hightech = make_storefront("hightech", name="High-Tech", categories=[tech])
    operator = make_seller("Galerie SA", slug="galerie", is_operator=True, legal_name="Galerie SA")
    bouquiniste = make_seller(
        "Le Bouquiniste", slug="bouquiniste", address="3 quai Voltaire, 75007 Paris"
    )
    particulier = make_seller("Jean Dupont", slug="jean", is_trader=False, legal_name="Jean Dupont")
    book = make_book_type()
    laptop = make_product_type("ordinateur", name="Ordinateur")
    Attribute.objects.create(
        product_type=laptop, code="brand", name="Marque", kind="text", is_facet=True
    )
    hugo = make_product(
        "Les Misérables",
        slug="les-miserables",
        category=novels,
        product_type=book,
        attributes={"author": "Victor Hugo", "publisher": "Folio"},
        description="Le grand roman de Victor Hugo.",
    )
    zola = make_product(
        "Germinal",
        slug="germinal",
        category=novels,
        product_type=book,
        attributes={"author": "Émile Zola", "publisher": "Folio"},
    )
    notre_dame = make_product(
        "Notre-Dame de Paris",
        slug="notre-dame",
        category=books,
        product_type=book,
        attributes={"author": "Victor Hugo", "publisher": "Pocket"},
    )
    sold_out = make_product(
        "Nana", slug="nana", category=novels, product_type=book, attributes={"author": "Émile Zola"}
    )
    laptop_p = make_product(
        "Portable 14 pouces",
        slug="portable-14",
        category=tech,
        product_type=laptop,
        attributes={"brand": "Lenovo"},
    )
    make_offer(hugo, seller=operator, price="12.00", delivery_price="0")
    make_offer(hugo, seller=bouquiniste, price="6.00", condition="used", delivery_price="3.00")
    make_offer(hugo, seller=particulier, price="4.00", condition="used", delivery_price="4.50")
    make_offer(zola, seller=bouquiniste, price="25.00")
    make_offer(notre_dame, seller=operator, price="9.50")
    make_offer(sold_out, seller=operator, price="8.00", stock=0)
    make_offer(laptop_p, seller=operator, price="799.00")
    return SimpleNamespace(**locals())


def get(client, storefront_slug, path, **extra):
    return client.get(path, HTTP_HOST=f"{storefront_slug}.localhost", **extra)
