"""Offers through the portal: find or create the product, publish, edit, deactivate; the seller's
status and the book-price law (loi Lang) are enforced by the services the pages call."""

import pytest

from galerie.catalog.models import Product
from galerie.inventory.models import StockMovement
from galerie.sellers.models import Offer, SellerStatus
from galerie.testing.factories import make_offer, make_product, valid_ean

pytestmark = pytest.mark.django_db

OFFER = {
    "price": "9.80",
    "stock": "3",
    "condition": "new",
    "condition_note": "",
    "delivery_price": "0",
    "lead_time_days": "2",
    "sku": "LIV-1",
}


def test_find_product_by_gtin_or_title(world, as_user):
    client = as_user(world.users.staff_a)
    by_gtin = client.get("/vendeur/offres/nouvelle/", {"q": world.book.gtin})
    assert [p.pk for p in by_gtin.context["products"]] == [world.book.pk]
    by_title = client.get("/vendeur/offres/nouvelle/", {"q": "rouge et le"})
    assert [p.pk for p in by_title.context["products"]] == [world.book.pk]
    nothing = client.get("/vendeur/offres/nouvelle/", {"q": "introuvable"})
    assert nothing.context["products"] == []
    assert "Créer sa fiche" in nothing.content.decode()


def test_new_book_priced_below_95_percent_is_refused(world, as_user):
    client = as_user(world.users.owner_a)
    response = client.post(f"/vendeur/offres/nouvelle/{world.book.pk}/", {**OFFER, "price": "9.40"})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["price"])
    assert "loi Lang" in errors and "9.50" in errors and "10.00" in errors
    assert not Offer.objects.filter(product=world.book).exists()


def test_new_book_within_the_law_is_published(world, as_user):
    client = as_user(world.users.owner_a)
    response = client.post(f"/vendeur/offres/nouvelle/{world.book.pk}/", OFFER)
    assert response.status_code == 302 and response["Location"] == "/vendeur/offres/"
    offer = Offer.objects.get(product=world.book)
    assert (offer.seller, str(offer.price), offer.stock, offer.sku) == (
        world.seller_a,
        "9.80",
        3,
        "LIV-1",
    )
    world.book.refresh_from_db()
    assert str(world.book.best_price) == "9.80"


def test_used_book_is_free_of_the_book_law_but_needs_a_condition_note(world, as_user):
    client = as_user(world.users.owner_a)
    used = {**OFFER, "price": "2.00", "condition": "used"}
    response = client.post(f"/vendeur/offres/nouvelle/{world.book.pk}/", used)
    assert "doit décrire son état" in " ".join(response.context["form"].errors["condition_note"])
    response = client.post(
        f"/vendeur/offres/nouvelle/{world.book.pk}/", {**used, "condition_note": "Corné"}
    )
    assert response.status_code == 302
    assert Offer.objects.get(product=world.book).condition == "used"


def test_sku_already_used_by_the_seller_is_refused(world, as_user):
    client = as_user(world.users.owner_a)
    response = client.post(f"/vendeur/offres/nouvelle/{world.book.pk}/", {**OFFER, "sku": "A-1"})
    assert "déjà utilisée" in " ".join(response.context["form"].errors["sku"])
    assert not Offer.objects.filter(product=world.book).exists()


def test_create_product_validates_the_gtin(world, as_user):
    client = as_user(world.users.owner_a)
    form = {
        "title": "Nouveau disque",
        "product_type": world.offer_a.product.product_type_id,
        "category": world.category.pk,
        "gtin": "3760000000001",
    }
    response = client.post("/vendeur/produits/nouveau/", form)
    assert "Clé de contrôle invalide" in " ".join(response.context["form"].errors["gtin"])
    assert not Product.objects.filter(title="Nouveau disque").exists()

    taken = client.post("/vendeur/produits/nouveau/", {**form, "gtin": world.book.gtin})
    assert "existe déjà" in " ".join(taken.context["form"].errors["gtin"])

    gtin = valid_ean()
    created = client.post("/vendeur/produits/nouveau/", {**form, "gtin": gtin})
    product = Product.objects.get(gtin=gtin)
    assert created["Location"] == f"/vendeur/offres/nouvelle/{product.pk}/"
    assert product.title == "Nouveau disque" and product.category == world.category


def test_create_book_needs_the_publisher_price(world, as_user):
    client = as_user(world.users.owner_a)
    form = {
        "title": "Un livre",
        "product_type": world.book_type.pk,
        "category": world.category.pk,
        "gtin": "978-2-07-036002-4",
    }
    response = client.post("/vendeur/produits/nouveau/", form)
    assert "prix éditeur" in " ".join(response.context["form"].errors["publisher_price"])
    ok = client.post("/vendeur/produits/nouveau/", {**form, "publisher_price": "8.00"})
    assert ok.status_code == 302
    assert Product.objects.get(gtin="9782070360024").publisher_price is not None


def test_edit_price_and_stock_records_a_stock_movement(world, as_user):
    client = as_user(world.users.staff_a)
    offer = world.offer_a
    response = client.post(
        f"/vendeur/offres/{offer.pk}/",
        {
            **OFFER,
            "price": "18.50",
            "stock": "25",
            "sku": "A-1",
            "is_active": "on",
            "lead_time_days": "4",
            "delivery_price": "3.90",
        },
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (str(offer.price), offer.stock, offer.lead_time_days, str(offer.delivery_price)) == (
        "18.50",
        25,
        4,
        "3.90",
    )
    movement = StockMovement.objects.filter(offer=offer, kind="adjust").get()
    assert (movement.delta, movement.stock_after, movement.actor) == (16, 25, world.users.staff_a)


def test_edit_refuses_a_negative_price_and_changes_nothing(world, as_user):
    client = as_user(world.users.owner_a)
    response = client.post(
        f"/vendeur/offres/{world.offer_a.pk}/", {**OFFER, "price": "-1", "is_active": "on"}
    )
    assert response.status_code == 200 and response.context["form"].errors["price"]
    world.offer_a.refresh_from_db()
    assert str(world.offer_a.price) == "20.00"


def test_deactivate_hides_the_offer(world, as_user):
    client = as_user(world.users.owner_a)
    response = client.post(f"/vendeur/offres/{world.offer_a.pk}/desactiver/")
    assert response.status_code == 302
    world.offer_a.refresh_from_db()
    assert world.offer_a.is_active is False


def test_list_search_filter_and_only_own_offers(world, as_user, django_assert_max_num_queries):
    for n in range(60):
        make_offer(make_product(f"Album {n:02d}"), seller=world.seller_a, stock=n % 2)
    client = as_user(world.users.owner_a)
    with django_assert_max_num_queries(13):  # + cache version, legal pages (cold)
        page1 = client.get("/vendeur/offres/")
    assert page1.context["page"].paginator.count == 61
    assert len(page1.context["page"].object_list) == 50
    assert world.offer_b not in page1.context["page"].paginator.object_list
    page2 = client.get("/vendeur/offres/", {"page": 2})
    assert len(page2.context["page"].object_list) == 11
    assert client.get("/vendeur/offres/", {"q": "Abbey"}).context["page"].paginator.count == 1
    assert client.get("/vendeur/offres/", {"q": "A-1"}).context["page"].paginator.count == 1
    assert client.get("/vendeur/offres/", {"q": "Bel-Ami"}).context["page"].paginator.count == 0
    out = client.get("/vendeur/offres/", {"state": "out_of_stock"}).context["page"]
    assert out.paginator.count == 30


def test_suspended_seller_sees_a_banner_and_cannot_publish(world, as_user):
    world.seller_a.status = SellerStatus.SUSPENDED
    world.seller_a.status_reason = "Contrôle en cours"
    world.seller_a.save()
    client = as_user(world.users.owner_a)
    page = client.get("/vendeur/offres/").content.decode()
    assert "Compte vendeur suspendu" in page and "Contrôle en cours" in page
    response = client.post(f"/vendeur/offres/nouvelle/{world.book.pk}/", OFFER)
    assert "ni publier ni modifier" in " ".join(response.context["form"].non_field_errors())
    assert not Offer.objects.filter(product=world.book).exists()
    edit = client.post(
        f"/vendeur/offres/{world.offer_a.pk}/",
        {**OFFER, "price": "1.00", "sku": "A-1", "is_active": "on"},
    )
    assert "ni publier ni modifier" in " ".join(edit.context["form"].non_field_errors())
    # taking an offer off sale stays possible
    assert client.post(f"/vendeur/offres/{world.offer_a.pk}/desactiver/").status_code == 302
    world.offer_a.refresh_from_db()
    assert (str(world.offer_a.price), world.offer_a.is_active) == ("20.00", False)


def test_applied_seller_sees_only_its_application_status(world, as_user):
    world.seller_a.status = SellerStatus.APPLIED
    world.seller_a.save()
    client = as_user(world.users.owner_a)
    home = client.get("/vendeur/")
    assert home.status_code == 200 and "en cours d'examen" in home.content.decode()
    for path in (
        "/vendeur/offres/",
        "/vendeur/commandes/",
        "/vendeur/jetons/",
        f"/vendeur/commandes/{world.order_a.pk}/",
    ):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/vendeur/", path
