"""The back office of notice and action: lists and pages open, an incomplete statement of reasons
is asked again with nothing decided."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from galerie.moderation.models import Decision, Notice, NoticeStatus
from galerie.moderation.services import complaint_submit, notice_decide
from galerie.testing.factories import make_notice, make_offer

pytestmark = pytest.mark.django_db

STATEMENT = {"facts": "Faits.", "ground_kind": "contractual", "ground": "CGV, art. 7"}


@pytest.fixture
def admin_client():
    user = get_user_model().objects.create_superuser("root", "root@example.fr", "pw-123456789")
    client = Client()
    client.force_login(user)
    return client


def test_every_moderation_page_opens(admin_client):
    notice = make_notice(offer=make_offer())
    (decision,) = notice_decide(
        notice=notice, kind="withdraw_offer", automated=False, actor=None, **STATEMENT
    )
    complaint = complaint_submit(decision=decision, seller=decision.seller, text="Non.", user=None)

    for path in (
        "/admin/moderation/notice/",
        f"/admin/moderation/notice/{notice.pk}/change/",
        "/admin/moderation/decision/",
        f"/admin/moderation/decision/{decision.pk}/change/",
        "/admin/moderation/complaint/",
        f"/admin/moderation/complaint/{complaint.pk}/change/",
    ):
        assert admin_client.get(path).status_code == 200, path


def test_a_decision_without_its_facts_asks_again_and_decides_nothing(admin_client):
    notice = make_notice(offer=make_offer())

    response = admin_client.post(
        "/admin/moderation/notice/",
        {
            "action": "decide",
            "_selected_action": [notice.pk],
            "apply": "1",
            "kind": "withdraw_offer",
            "ground_kind": "legal",
            "ground": "CPI",
            "facts": "",
        },
    )

    assert response.status_code == 200
    assert "Faits et circonstances" in response.content.decode()
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.OPEN
    assert not Decision.objects.exists()


def test_a_refused_decision_is_reported_and_the_notice_stays_open(admin_client):
    notice = make_notice(make_offer().product)  # on the product: no seller to suspend

    response = admin_client.post(
        "/admin/moderation/notice/",
        {
            "action": "decide",
            "_selected_action": [notice.pk],
            "apply": "1",
            "kind": "suspend_seller",
            **STATEMENT,
        },
        follow=True,
    )

    assert "aucun vendeur n&#x27;est désigné" in response.content.decode()
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.OPEN


def test_the_transparency_report_page_counts_the_year(admin_client):
    notice = make_notice(offer=make_offer(), category="unsafe")
    notice_decide(notice=notice, kind="withdraw_offer", automated=False, actor=None, **STATEMENT)
    year = notice.created_at.year

    listing = admin_client.get("/admin/moderation/notice/").content.decode()
    page = admin_client.get(f"/admin/moderation/notice/rapport/?annee={year}")
    html = page.content.decode()

    assert "/admin/moderation/notice/rapport/" in listing
    assert page.status_code == 200
    assert '<th scope="row">Produit dangereux</th><td>1</td>' in html
    assert '<th scope="row">Retrait de l&#x27;offre</th><td>1</td>' in html
    assert '<th scope="row">Contrefaçon</th><td>0</td>' in html
    assert admin_client.get("/admin/moderation/notice/rapport/?annee=abc").status_code == 200


def test_the_report_page_needs_the_right_to_see_notices():
    user = get_user_model().objects.create_user("staff", is_staff=True)
    client = Client()
    client.force_login(user)

    assert client.get("/admin/moderation/notice/rapport/").status_code == 403
