"""The dashboard through HTTP: who may open it, charts, tables, CSV exports, bad input."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from galerie.reporting.chart import FixedCostKind
from galerie.reporting.services import fixed_cost_record

URL = "/admin/pilotage/"
YEAR_2026 = {"periode": "annee", "annee": "2026"}
pytestmark = pytest.mark.django_db


def _staff(client, group=None, **extra):
    user = get_user_model().objects.create_user(
        f"u-{group or 'none'}", password="pw-123456789", is_staff=True, **extra
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


def _get(client, params=None):
    return client.get(URL, params or {}, HTTP_HOST="localhost")


def test_finance_role_opens_the_dashboard(client):
    _staff(client, "Finance")
    response = _get(client)
    assert response.status_code == 200
    assert "Pilotage économique" in response.content.decode()


@pytest.mark.parametrize("group", ["Gestion du catalogue", "Service client", None])
def test_other_staff_are_refused(client, group):
    _staff(client, group)
    assert _get(client).status_code == 403
    assert _get(client, {"export": "boutiques"}).status_code == 403


def test_non_staff_and_anonymous_are_sent_to_the_login(client):
    assert _get(client).status_code == 302
    user = get_user_model().objects.create_user("shopper", password="pw-123456789")
    client.force_login(user)
    response = _get(client)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_headlines_per_storefront_and_group(client, trading):
    _staff(client, "Finance")
    html = _get(client, YEAR_2026).content.decode()
    assert "Bénéfice de 17 € sur 18 € de chiffre d&#x27;affaires" in html  # culture
    assert "Perte de 200 € sur 100 € de chiffre d&#x27;affaires" in html  # tech
    assert "Perte de 183 € sur 118 € de chiffre d&#x27;affaires" in html  # group


def test_charts_are_svg_with_one_bar_per_storefront_and_month(client, trading):
    _staff(client, "Finance")
    html = _get(client, YEAR_2026).content.decode()
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart') == 3
    revenue_svg = html.split('class="chart chart-bars"')[1].split("</svg>")[0]
    assert revenue_svg.count('class="bar"') == 12 * 2  # 12 months × 2 storefronts
    assert "<title" in revenue_svg and "<desc" in revenue_svg
    category_svg = html.split('class="chart chart-hbars"')[1].split("</svg>")[0]
    assert category_svg.count('class="bar"') == 1  # one department: Livres
    assert "Données des graphiques (tableau)" in html  # table fallback


def test_default_period_is_the_last_twelve_full_months(client):
    """The picker's default, the period's name and its dates say the same: 12 whole months,
    ending with the last day of the previous month."""
    from galerie.core import clock

    _staff(client, "Finance")
    html = _get(client).content.decode()
    today = clock.localdate()
    end = today.replace(day=1) - datetime.timedelta(days=1)
    # The 1st of the month eleven months before the previous one: for any day of November
    # 2026, November 2025 to October 2026.
    start = datetime.date(today.year - 1, today.month, 1)
    assert '<option value="12mois" selected>12 derniers mois</option>' in html
    assert f"<strong>les 12 derniers mois</strong> ({start:%d/%m/%Y} – {end:%d/%m/%Y})" in html
    assert f'name="au" id="au" value="{end:%Y-%m-%d}"' in html


def test_month_period_and_bad_period(client, trading):
    _staff(client, "Finance")
    html = _get(client, {"periode": "mois", "annee": "2026", "mois": "1"}).content.decode()
    svg = html.split('class="chart chart-bars"')[1].split("</svg>")[0]
    assert svg.count('class="bar"') == 2
    response = _get(client, {"periode": "plage", "du": "2026-03-01", "au": "2026-01-01"})
    assert response.status_code == 200
    assert "La date de fin précède la date de début." in response.content.decode()
    response = _get(client, {"periode": "mois", "annee": "2026", "mois": "13"})
    assert "Mois invalide" in response.content.decode()


def _csv(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_csv_exports_hold_the_same_figures(client, trading, culture, tech):
    _staff(client, "Finance")
    rows = _csv(_get(client, {**YEAR_2026, "export": "boutiques"}))
    assert rows[0][:3] == ["Boutique", "Volume d'affaires TTC", "Remboursements TTC"]
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {"Culture", "Tech", "Total"}
    assert by_name["Tech"][-1] == "-200,00"
    assert by_name["Culture"][1] == "38,66"
    assert by_name["Total"][-1] == "-182,55"
    months = _csv(_get(client, {**YEAR_2026, "export": "mois"}))
    assert months[1][:2] == ["Culture", "2026-01"]
    sellers = _csv(_get(client, {**YEAR_2026, "export": "vendeurs", "boutique": "tech"}))
    assert [r[0] for r in sellers[1:]] == ["Galerie (opérateur)", "Non ventilé", "Total"]
    categories = _csv(_get(client, {**YEAR_2026, "export": "categories"}))
    assert [r[0] for r in categories[1:]] == ["Livres", "Non ventilé", "Total"]
    response = _get(client, {"export": "nope"})
    assert response.status_code == 400


def test_dashboard_query_count_does_not_grow_with_rows(
    client, trading, django_assert_max_num_queries
):
    _staff(client, "Finance")
    # Three grouped reads (each: accounts, sold storefronts' cut-offs, P&L totals, cash totals,
    # labels) + session and user.
    with django_assert_max_num_queries(33):
        assert _get(client, YEAR_2026).status_code == 200


# --- Fixed costs in the admin --------------------------------------------------------------------


def test_finance_records_a_fixed_cost_through_the_admin(client, tech):
    _staff(client, "Finance")
    response = client.post(
        "/admin/reporting/fixedcost/add/",
        {"storefront": tech.pk, "month": "2026-03-17", "kind": "staff", "amount": "4200.50",
         "vat": "0", "label": "Salaires mars"},
        HTTP_HOST="localhost",
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    from galerie.reporting.models import FixedCost

    cost = FixedCost.objects.get()
    assert cost.month == datetime.date(2026, 3, 1) and cost.amount == Decimal("4200.50")
    lines = {line.account.code: (line.debit, line.credit) for line in cost.entry.lines.all()}
    assert lines == {
        "641000": (Decimal("4200.50"), Decimal("0.00")),
        "421000": (Decimal("0.00"), Decimal("4200.50")),
    }


def test_admin_refuses_a_bad_fixed_cost_and_writes_nothing(client, tech):
    from galerie.ledger.models import JournalEntry
    from galerie.reporting.models import FixedCost

    _staff(client, "Finance")
    response = client.post(
        "/admin/reporting/fixedcost/add/",
        {"storefront": tech.pk, "month": "2026-03-01", "kind": "staff", "amount": "-5",
         "vat": "0", "label": "Salaires"},
        HTTP_HOST="localhost",
    )  # fmt: skip
    assert response.status_code == 200
    assert "Le montant HT doit être positif" in response.content.decode()
    assert not FixedCost.objects.exists() and not JournalEntry.objects.exists()


def test_posted_cost_cannot_be_edited_only_reversed(client, tech):
    from galerie.ledger.models import JournalEntry
    from galerie.reporting.models import FixedCost

    _staff(client, "Finance")
    cost = fixed_cost_record(
        storefront=tech, month=datetime.date(2026, 3, 1), kind=FixedCostKind.MARKETING,
        amount="1000.00", vat="200.00", label="Campagne",
    )  # fmt: skip
    change_url = f"/admin/reporting/fixedcost/{cost.pk}/change/"
    client.post(change_url, {"amount": "1.00", "label": "x"}, HTTP_HOST="localhost")
    cost.refresh_from_db()
    assert cost.amount == Decimal("1000.00")
    assert (
        client.post(
            f"/admin/reporting/fixedcost/{cost.pk}/delete/", {"post": "yes"}, HTTP_HOST="localhost"
        ).status_code
        == 403
    )
    response = client.post(
        "/admin/reporting/fixedcost/",
        {"action": "reverse_costs", "_selected_action": [cost.pk]},
        HTTP_HOST="localhost",
    )
    assert response.status_code == 302
    reversal = FixedCost.objects.get(reverses=cost)
    assert reversal.amount == Decimal("-1000.00")
    assert reversal.entry.reverses_id == cost.entry_id
    assert JournalEntry.objects.count() == 2


def test_dashboard_says_when_a_simulation_is_still_filling_it(client):
    from django.utils import timezone

    from galerie.reporting.models import SimulationRun

    _staff(client, "Finance")
    run = SimulationRun.objects.create(
        seed=1, months=12, started_at=timezone.now(), orders_placed=420,
        simulated_until=datetime.date(2026, 3, 1),
    )  # fmt: skip
    assert "Simulation d'activité en cours (420 commandes" in _get(client).content.decode()
    SimulationRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
    assert "Simulation d'activité en cours" not in _get(client).content.decode()
    # Finance may look at the runs (read-only), never start or change one from the admin.
    assert client.get("/admin/reporting/simulationrun/", HTTP_HOST="localhost").status_code == 200
    assert (
        client.get("/admin/reporting/simulationrun/add/", HTTP_HOST="localhost").status_code == 403
    )


def test_postings_without_a_storefront_are_shown_beside_the_storefronts(client, trading):
    from django.db import transaction

    from galerie.ledger.services import LineSpec, journal_post

    with transaction.atomic():
        journal_post(
            journal="OD", date=datetime.date(2026, 2, 10), label="Frais bancaires du siège",
            lines=[LineSpec(account="627000", debit="50.00"),
                   LineSpec(account="512000", credit="50.00")],
        )  # fmt: skip
    _staff(client, "Finance")
    rows = _csv(_get(client, {**YEAR_2026, "export": "boutiques"}))
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["Hors boutique"][-1] == "-50,00"
    assert by_name["Total"][-1] == "-232,55"
    html = _get(client, YEAR_2026).content.decode()
    assert "Hors boutique" in html and "Perte de 233 € sur 118 €" in html


# --- Sold storefronts: history up to the cut-off, and the group at constant scope ----------------


def test_dashboard_shows_the_group_with_and_without_a_sold_storefront(
    client, trading, culture, tech
):
    from django.utils import timezone

    from galerie.reporting.selectors import economics, economics_total
    from galerie.reporting.views import headline
    from galerie.storefronts.models import Storefront

    Storefront.objects.filter(pk=culture.pk).update(
        detached_at=timezone.now(), successor_name="Maison Dupont", is_active=False,
        cutoff_date=datetime.date(2026, 2, 2),
    )  # fmt: skip
    _staff(client, "Finance")
    html = _get(client, YEAR_2026).content.decode()
    assert "Cédée à Maison Dupont ; chiffres jusqu&#x27;au 02/02/2026." in html
    assert "Groupe à périmètre constant (hors boutiques cédées)" in html
    year = {"start": datetime.date(2026, 1, 1), "end": datetime.date(2026, 12, 31)}
    everyone = economics_total(economics(**year))
    constant = economics_total(economics(constant_scope=True, **year))
    assert everyone.operating_result != constant.operating_result
    assert headline(everyone).replace("'", "&#x27;") in html
    assert headline(constant).replace("'", "&#x27;") in html
    assert 'name="perimetre"' in html

    toggled = _get(client, {**YEAR_2026, "perimetre": "constant"}).content.decode()
    assert "<h2>Culture</h2>" not in toggled and "<h2>Tech</h2>" in toggled
    assert headline(everyone).replace("'", "&#x27;") not in toggled
    assert headline(constant).replace("'", "&#x27;") in toggled
    exported = _get(client, {**YEAR_2026, "perimetre": "constant", "export": "boutiques"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == ["Tech", "Total"]
