"""The shop floor through HTTP: the buy box and its explanation, the per-condition « dès » lines on
cards and product pages, and the ranking page (« Comment nous classons les offres »)."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils.html import escape

from galerie.sellers.models import Offer
from galerie.sellers.selectors import OFFER_RANKING, offers_for_product
from galerie.storefronts.listing import SORTS
from galerie.testing.factories import make_offer, make_product, make_seller
from galerie.web.tests.conftest import get
from galerie.web.views import SORT_EXPLANATIONS

pytestmark = pytest.mark.django_db

NBSP = "\xa0"


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def buy_box_of(body: str) -> str:
    start = body.index('class="buy-box"')
    return body[start : body.index("</section>", start)]


def offer_ids(body: str) -> list[int]:
    """Offer ids of the page's add-to-cart forms, in page order (the buy box first)."""
    return [int(pk) for pk in re.findall(r'name="offer_id" value="(\d+)"', body)]


def others_from(body: str) -> dict[str, Decimal]:
    """The other-offers sub-line « Livraison comprise : neuf dès 13,00 € · … » as numbers."""
    line = re.search(r'<p class="others-from">(.*?)</p>', body).group(1)
    return {
        condition: Decimal(amount.replace(",", "."))
        for condition, amount in re.findall(r"(\w+) dès ([\d ]+,\d\d)", line)
    }


def money(amount: str) -> str:
    return f"{amount}{NBSP}€"


# --- the buy box ----------------------------------------------------------------------------


def test_new_copy_is_featured_over_a_private_sellers_cheaper_used_one(client, mall):
    product = make_product("La Grande Évasion (Blu-ray)", slug="evasion", category=mall.novels)
    make_offer(product, seller=mall.particulier, price="2.20", delivery_price="3.50",
               condition="used")  # fmt: skip
    make_offer(product, seller=mall.bouquiniste, price="13.99", delivery_price="3.49")

    body = text(get(client, "culture", "/p/evasion/"))

    box = buy_box_of(body)
    assert money("13,99") in box and "Le Bouquiniste" in box and "neuf" in box
    assert "Jean Dupont" not in box and "2,20" not in box
    assert f"+ {money('3,49')} de frais de port" in box
    assert f"Total livraison comprise : <strong>{money('17,48')}</strong>" in box
    # The used copy is still offered, one row down, with its total.
    assert "Jean Dupont" in body and money("5,70") in body


def test_free_delivery_is_said_and_no_total_is_repeated(client, mall):
    box = buy_box_of(text(get(client, "culture", "/p/les-miserables/")))

    assert money("12,00") in box and "Livraison gratuite" in box
    assert "Total livraison comprise" not in box and "de frais de port" not in box


def test_buy_box_links_to_the_ranking_explanation(client, mall):
    box = buy_box_of(text(get(client, "culture", "/p/les-miserables/")))

    assert '<a href="/classement/#offres">Pourquoi cette offre ?</a>' in box


@pytest.mark.parametrize(
    "offers",
    [
        # (seller, condition, price, delivery): a cheaper price but a dearer total, new.
        [("operator", "new", "10.00", "0"), ("bouquiniste", "new", "8.00", "5.00")],
        # The old heading said « dès 1,80 € » under a box showing 2,60 €.
        [
            ("operator", "new", "2.60", "3.99"),
            ("bouquiniste", "new", "1.80", "4.90"),
            ("particulier", "used", "1.00", "3.50"),
        ],
        # No new offer: the box is used, a cheaper used price with a dearer delivery follows.
        [("bouquiniste", "used", "6.00", "3.00"), ("particulier", "used", "4.00", "5.50")],
    ],
)
def test_other_offers_never_undercut_the_box_in_its_own_condition(client, mall, offers):
    product = make_product("Candide", slug="candide", category=mall.novels)
    for seller, condition, price, delivery in offers:
        make_offer(product, seller=getattr(mall, seller), condition=condition, price=price,
                   delivery_price=delivery)  # fmt: skip
    box = offers_for_product(product.pk)[0]

    body = text(get(client, "culture", "/p/candide/"))

    assert offer_ids(body)[0] == box.pk
    lowest = others_from(body)
    own = box.get_condition_display()
    assert own in lowest and lowest[own] >= box.total_price
    others = Offer.objects.filter(product=product).exclude(pk=box.pk)
    for offer in others:  # every « dès » is a true lower bound, delivery included
        assert lowest[offer.get_condition_display()] <= offer.total_price


def test_offers_table_shows_each_total_with_delivery(client, mall):
    body = text(get(client, "culture", "/p/les-miserables/"))

    table = body[body.index('class="other-offers"') :]
    assert '<th scope="col">Total</th>' in table
    # data-label names the amount on a phone, where each offer is a card without the headers.
    assert f'<td class="price" data-label="Total">{money("8,50")}</td>' in table  # 4 € + 4,50 €
    assert f'<td class="price" data-label="Total">{money("9,00")}</td>' in table  # 6 € + 3 €
    assert "Livraison comprise : occasion dès " + money("8,50") in body


def test_product_page_shows_the_lowest_price_per_condition_like_the_card(client, mall):
    make_offer(mall.hugo, seller=mall.bouquiniste, price="9.90", condition="refurbished")

    body = text(get(client, "culture", "/p/les-miserables/"))

    expected = (
        f"Neuf dès {money('12,00')}</span> · "
        f'<span class="condition-price">Reconditionné dès {money("9,90")}</span> · '
        f'<span class="condition-price">Occasion dès {money("4,00")}'
    )
    assert expected in body
    assert body.index("Neuf dès") > body.index('class="buy-box"')  # under the box


def test_product_page_query_count_does_not_grow_with_offers(
    client, mall, django_assert_max_num_queries
):
    for n in range(6):
        make_offer(mall.hugo, seller=make_seller(), price=f"{20 + n}.00",
                   condition=("new", "used", "refurbished")[n % 3])  # fmt: skip
    get(client, "culture", "/recherche/?q=warm-up")

    with django_assert_max_num_queries(9):  # as pinned in test_pages for three offers
        body = text(get(client, "culture", "/p/les-miserables/"))
    assert len(offer_ids(body)) == 9


# --- listing cards --------------------------------------------------------------------------


def test_cards_show_the_lowest_price_per_condition(client, mall):
    only_used = make_product("Thérèse Raquin", slug="therese", category=mall.novels)
    make_offer(only_used, seller=mall.particulier, price="3.10", condition="used")

    body = text(get(client, "culture", "/c/romans/"))

    hugo = body[body.index("Les Misérables") :]
    hugo = hugo[: hugo.index("</li>")]
    assert f"Neuf dès {money('12,00')}</span> · " in hugo
    assert f"Occasion dès {money('4,00')}" in hugo and "Reconditionné" not in hugo
    therese = body[body.index("Thérèse Raquin") :]
    therese = therese[: therese.index("</li>")]
    assert f"Occasion dès {money('3,10')}" in therese and "Neuf dès" not in therese
    assert " · " not in therese


def test_sold_out_cards_keep_their_state(client, mall):
    mall.culture.show_out_of_stock = True
    mall.culture.save()

    body = text(get(client, "culture", "/c/romans/"))

    nana = body[body.index("Nana") :]
    nana = nana[: nana.index("</li>")]
    assert "Épuisé" in nana and "dès" not in nana


# --- the ranking page -----------------------------------------------------------------------


def test_ranking_page_lists_the_criteria_in_their_order_of_importance(client, mall):
    body = text(get(client, "culture", "/classement/"))

    assert "Comment nous classons les offres et les produits" in body
    positions = [body.index(escape(str(c.label))) for c in OFFER_RANKING]
    assert positions == sorted(positions)
    for criterion in OFFER_RANKING:
        assert escape(str(criterion.explanation)) in body
    assert "neuf › reconditionné › occasion" in body
    assert "2019/1150" in body and "L.111-7" in body
    assert "Aucun vendeur ne paie pour être mieux classé" in body


def test_ranking_page_explains_every_listing_sort_and_search(client, mall):
    body = text(get(client, "culture", "/classement/"))

    assert set(SORT_EXPLANATIONS) == set(SORTS)
    for key, label in SORTS.items():
        assert f"<dt>{label}" in body
        assert escape(str(SORT_EXPLANATIONS[key])) in body
    assert "EAN ou ISBN exact" in body


def test_ranking_page_is_linked_from_the_product_page_and_the_footer(client, mall):
    body = text(get(client, "culture", "/p/notre-dame/"))

    assert 'href="/classement/#offres"' in body
    footer = body[body.index('class="site-footer"') :]
    assert '<a href="/classement/">Comment les offres sont classées</a>' in footer


def test_ranking_page_on_the_mall_host_and_in_english(client, mall):
    assert get(client, "nope", "/classement/").status_code == 404  # unknown host
    assert "Comment nous classons" in text(client.get("/classement/", HTTP_HOST="localhost"))

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = text(get(client, "culture", "/classement/"))
    assert "How we rank offers and products" in body
    assert "Condition" in body and "Total price, delivery included" in body
    assert "No seller pays" in body
    product = text(get(client, "culture", "/p/les-miserables/"))
    assert "Why this offer?" in product and "Used from" in product
