"""The search page forgives: a correction when the query finds nothing, the other storefronts'
results, synonyms edited in the back office, and an empty page that helps."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from galerie.catalog.models import Product
from galerie.core.roles import roles_sync
from galerie.search.models import SearchSynonym
from galerie.search.services import search_index_refresh
from galerie.testing.factories import make_offer, make_product
from galerie.web.tests.conftest import get

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def indexed(mall, settings):
    settings.GALERIE_PUBLIC_SCHEME, settings.GALERIE_PUBLIC_PORT = "http", "8000"
    mall.ideapad = make_product(
        "Ordinateur portable Lenovo IdeaPad Slim", slug="ideapad", category=mall.tech
    )
    make_offer(mall.ideapad, seller=mall.operator, price="549.00")
    search_index_refresh(product_ids=Product.objects.values_list("pk", flat=True))
    return mall


def test_a_misspelt_query_lists_the_correction_and_links_the_literal_search(client, indexed):
    body = text(get(client, "culture", "/recherche/?q=miserbles"))

    assert 'Vouliez-vous dire « <a href="/recherche/?q=miserables">miserables</a> » ?' in body
    assert "Les Misérables" in body and "1 produit" in body
    assert 'href="/recherche/?q=miserbles&amp;exact=1"' in body
    assert 'name="q" value="miserbles"' in body  # the query kept in the box


def test_the_literal_search_offers_no_correction(client, indexed):
    body = text(get(client, "culture", "/recherche/?q=miserbles&exact=1"))

    assert "Vouliez-vous dire" not in body
    assert "Les Misérables" not in body and "0 produit" in body


def test_a_ligature_finds_what_its_letters_find(client, indexed):
    product = make_product("Cœur de pirate", slug="coeur", category=indexed.novels)
    make_offer(product, seller=indexed.operator)
    search_index_refresh(product_ids=[product.pk])

    assert "Cœur de pirate" in text(get(client, "culture", "/recherche/?q=coeur"))
    assert "Cœur de pirate" in text(get(client, "culture", "/recherche/?q=cœur"))


def test_nothing_here_offers_the_other_storefront_and_the_categories(client, indexed):
    body = text(get(client, "culture", "/recherche/?q=lenovo"))

    assert "0 produit" in body
    assert (
        '<a href="http://hightech.localhost:8000/recherche/?q=lenovo">'
        "2 résultats pour « lenovo » sur High-Tech</a>"
    ) in body
    assert '<a href="/c/livres/">Livres</a>' in body
    assert "Aucun filtre disponible" not in body and "Appliquer les filtres" not in body
    assert 'name="q" value="lenovo"' in body


def test_a_misspelt_query_found_only_elsewhere_names_its_correction_there(client, indexed):
    body = text(get(client, "culture", "/recherche/?q=lenovvo"))

    # Not linked here, where it finds nothing either: the other storefront's link is.
    assert "Vouliez-vous dire « lenovo » ?" in body
    assert "2 résultats pour « lenovo » sur High-Tech" in body


def test_a_query_found_nowhere_still_helps(client, indexed):
    body = text(get(client, "culture", "/recherche/?q=xylophone"))

    assert "Vouliez-vous dire" not in body and "résultats pour" not in body
    assert "Vérifiez l'orthographe" in body and '<a href="/c/livres/">Livres</a>' in body
    assert "Appliquer les filtres" not in body


def test_results_keep_their_filters_form(client, indexed):
    body = text(get(client, "culture", "/recherche/?q=hugo"))

    assert "Appliquer les filtres" in body and "Pour trouver quand même" not in body


def test_a_seeded_synonym_finds_the_other_words(client, indexed):
    assert SearchSynonym.objects.filter(terms__startswith="pc portable").exists()

    assert "Lenovo IdeaPad" in text(get(client, "hightech", "/recherche/?q=pc+portable"))


# --- the synonyms in the back office ----------------------------------------------------------


def _staff(role: str | None) -> Client:
    roles_sync()
    user = get_user_model().objects.create_user(
        f"staff-{role}", f"{role}@example.fr", "pw-123456789", is_staff=True
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    staff = Client()
    staff.force_login(user)
    return staff


ADD = "/admin/search/searchsynonym/add/"


@pytest.mark.parametrize(
    ("role", "status"), [(None, 403), ("Service client", 403), ("Finance", 403)]
)
def test_only_the_catalogue_role_edits_synonyms(indexed, role, status):
    staff = _staff(role)

    assert staff.get(ADD).status_code == status
    assert staff.post(ADD, {"terms": "ultrabook, ordinateur portable"}).status_code == status
    assert not SearchSynonym.objects.filter(terms__startswith="ultrabook").exists()


def test_a_synonym_needs_two_expressions(indexed):
    response = _staff("Gestion du catalogue").post(ADD, {"terms": "ultrabook,  Ultrabook"})

    assert response.status_code == 200
    assert "au moins deux expressions" in text(response)
    assert not SearchSynonym.objects.filter(terms__startswith="ultrabook").exists()


def test_a_new_synonym_reaches_the_cached_search_page(client, indexed):
    first = get(client, "hightech", "/recherche/?q=ultrabook")
    assert "Lenovo IdeaPad" not in text(first)
    assert get(client, "hightech", "/recherche/?q=ultrabook")["X-Page-Cache"] == "hit"

    editor = _staff("Gestion du catalogue")
    response = editor.post(ADD, {"terms": "ultrabook, ordinateur portable"})
    assert response.status_code == 302

    again = get(client, "hightech", "/recherche/?q=ultrabook")
    assert again["X-Page-Cache"] == "miss"
    assert "Lenovo IdeaPad" in text(again)

    synonym = SearchSynonym.objects.get(terms__startswith="ultrabook")
    deleted = editor.post(f"/admin/search/searchsynonym/{synonym.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert "Lenovo IdeaPad" not in text(get(client, "hightech", "/recherche/?q=ultrabook"))
