"""Marketplace transparency on the shop floor: each offer says who sells it (professional or
private, and what a private sale does not give) and whether it is sponsored; sponsoring never
changes the buy box."""

import pytest
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict
from django.test import Client

from galerie.sellers.admin import OfferAdminForm, offer_form_save
from galerie.sellers.models import PRIVATE_SELLER_NOTICE, Offer, SellerKind
from galerie.sellers.selectors import OFFER_RANKING, offers_for_product
from galerie.sellers.services import offer_sponsor_set
from galerie.testing.factories import make_seller
from galerie.web.tests.conftest import get

pytestmark = pytest.mark.django_db

NOTICE = (
    "Vendeur particulier : pas de garantie légale de conformité ni de droit de rétractation au "
    "titre du Code de la consommation"
)


def page(client, path="/p/les-miserables/") -> str:
    response = get(client, "culture", path)
    assert response.status_code == 200
    return response.content.decode()


def test_seller_kind_and_notice_come_from_one_rule_on_the_seller():
    trader, private = make_seller(), make_seller(is_trader=False)
    assert (trader.kind, trader.kind_label, trader.consumer_law_notice) == (
        SellerKind.TRADER,
        "Professionnel",
        "",
    )
    assert (private.kind, private.kind_label) == (SellerKind.PRIVATE, "Particulier")
    assert private.consumer_law_notice == str(PRIVATE_SELLER_NOTICE) == NOTICE
    assert trader.consumer_law_applies and not private.consumer_law_applies


def test_every_offer_on_the_product_page_shows_its_sellers_kind(client, mall):
    body = page(client)

    box = body[body.index('class="buy-box"') : body.index("</section>", body.index("buy-box"))]
    others = body[body.index('class="other-offers"') :]
    assert 'seller-kind-trader">Professionnel' in box and NOTICE not in box
    tbody = others[others.index("<tbody>") : others.index("</tbody>")]
    rows = tbody.split("<tr>")[1:]
    assert len(rows) == 2
    private = next(r for r in rows if "Jean Dupont" in r)
    trader = next(r for r in rows if "Le Bouquiniste" in r)
    assert 'seller-kind-private">Particulier' in private and NOTICE in private
    assert 'href="/classement/#vendeurs"' in private
    assert 'seller-kind-trader">Professionnel' in trader and NOTICE not in trader


def test_a_private_sellers_buy_box_states_the_consequence(client, mall):
    Offer.objects.filter(product=mall.hugo).exclude(seller=mall.particulier).update(stock=0)

    box = page(client)
    box = box[box.index('class="buy-box"') :]
    box = box[: box.index("</section>")]

    assert 'seller-kind-private">Particulier' in box and NOTICE in box


def test_sponsored_offer_is_labelled_and_keeps_its_rank(client, mall):
    before = [o.pk for o in offers_for_product(mall.hugo.pk)]
    body = page(client)  # cached now: the sponsoring must refresh it
    assert "Sponsorisé" not in body
    used = Offer.objects.get(product=mall.hugo, seller=mall.bouquiniste)

    offer_sponsor_set(offer=used, is_sponsored=True)

    assert [o.pk for o in offers_for_product(mall.hugo.pk)] == before
    assert all("sponsor" not in c.code for c in OFFER_RANKING)
    body = page(client)
    others = body[body.index('class="other-offers"') :]
    row = next(r for r in others.split("<tr>") if "Le Bouquiniste" in r)
    assert 'class="badge sponsored" href="/classement/#sponsorise"' in row
    assert body.count(">Sponsorisé</a>") == 1  # the buy box (the operator's) is not


def test_a_sponsored_buy_box_is_labelled(client, mall):
    box_offer = offers_for_product(mall.hugo.pk)[0]
    offer_sponsor_set(offer=box_offer, is_sponsored=True)

    body = page(client)

    box = body[body.index('class="buy-box"') : body.index("</section>", body.index("buy-box"))]
    assert ">Sponsorisé</a>" in box


def test_ranking_page_explains_seller_kinds_and_that_sponsoring_never_ranks(client, mall):
    body = page(client, "/classement/")

    assert 'id="vendeurs"' in body and "ni droit de rétractation" in body
    assert 'id="sponsorise"' in body
    assert "Le sponsoring ne change jamais le classement" in body


def test_api_offers_carry_seller_kind_notice_and_sponsored_flag(mall):
    offer_sponsor_set(
        offer=Offer.objects.get(product=mall.hugo, seller=mall.particulier), is_sponsored=True
    )

    body = Client().get("/api/storefronts/culture/products/les-miserables").json()

    by_seller = {o["seller"]["slug"]: o for o in body["offers"]}
    assert by_seller["jean"]["seller"]["kind"] == "private"
    assert by_seller["jean"]["seller"]["notice"] == NOTICE
    assert by_seller["jean"]["is_sponsored"] is True
    assert by_seller["bouquiniste"]["seller"] == {**by_seller["bouquiniste"]["seller"],
                                                  "kind": "trader", "notice": ""}  # fmt: skip
    assert by_seller["bouquiniste"]["is_sponsored"] is False


def test_only_the_back_office_sets_sponsoring(mall):
    """The admin's offer form sets it through the service; no seller-facing path accepts it."""
    from galerie.sellers.services import OfferError, offer_update

    offer = Offer.objects.get(product=mall.hugo, seller=mall.bouquiniste)
    with pytest.raises(OfferError):
        offer_update(offer=offer, is_sponsored=True)
    root = get_user_model().objects.create_superuser("root", "root@example.fr", "pw")
    admin = Client()
    admin.force_login(root)
    form = admin.get(f"/admin/sellers/offer/{offer.pk}/change/").content.decode()
    assert 'name="is_sponsored"' in form
    assert Offer.objects.get(pk=offer.pk).is_sponsored is False

    data = {k: v for k, v in model_to_dict(offer).items() if v is not None}
    saved = OfferAdminForm(instance=offer, data={**data, "is_sponsored": "on"})
    assert saved.is_valid(), saved.errors
    offer_form_save(saved, actor=root)

    assert Offer.objects.get(pk=offer.pk).is_sponsored is True
    assert "Sponsorisé" in page(Client())


def test_a_subscription_buy_box_shows_its_sellers_kind(client, mall):
    from galerie.testing.factories import make_subscription_offer

    offer = make_subscription_offer(price="39.00")
    mall.culture.categories.add(offer.product.category)

    body = page(client, f"/p/{offer.product.slug}/")

    box = body[body.index('class="buy-box"') : body.index("</section>", body.index("buy-box"))]
    assert 'seller-kind-trader">Professionnel' in box
