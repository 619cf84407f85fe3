"""The demo's logins: made by `galerie demo` only, each with a random password printed once and
kept in var/ (mode 600); later runs reuse it and say where it is. README's *Demo accounts* lists
exactly these, and each logs in where README says."""

import re
import stat
from io import StringIO
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from galerie.demo.services import (
    ADMIN_USERNAME,
    SELLER_LOGIN,
    SELLER_SLUG,
    demo_accounts_ensure,
    demo_admin_ensure,
    demo_seller_ensure,
)
from galerie.sellers.models import SellerMember, SellerRole

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[4] / "README.md"


@pytest.fixture
def mall(db):
    call_command("loaddemo", products=24, stdout=StringIO())


def test_first_run_creates_a_superuser_with_a_random_password_in_a_private_file(tmp_path):
    account = demo_admin_ensure(var_dir=tmp_path)
    admin = get_user_model().objects.get(username=ADMIN_USERNAME)
    password = account.new_password
    assert admin.is_superuser and admin.is_staff
    assert password and len(password) >= 16 and password != "admin"
    assert admin.check_password(password) and not admin.check_password("admin")
    assert account.password_file == tmp_path / "demo-admin-password"
    assert account.password_file.read_text().strip() == password
    assert stat.S_IMODE(account.password_file.stat().st_mode) == 0o600


def test_later_runs_keep_the_password_and_print_nothing_new(tmp_path):
    password = demo_admin_ensure(var_dir=tmp_path).new_password
    again = demo_admin_ensure(var_dir=tmp_path)
    assert again.new_password is None and again.password_file.read_text().strip() == password
    assert get_user_model().objects.get(username=ADMIN_USERNAME).check_password(password)
    assert get_user_model().objects.count() == 1


def test_two_installations_get_different_passwords(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = demo_admin_ensure(var_dir=tmp_path / "a").new_password
    get_user_model().objects.all().delete()
    second = demo_admin_ensure(var_dir=tmp_path / "b").new_password
    assert first and second and first != second


def test_a_lost_file_gets_a_new_password_and_a_kept_file_serves_a_new_database(tmp_path):
    first = demo_admin_ensure(var_dir=tmp_path)
    first.password_file.unlink()
    second = demo_admin_ensure(var_dir=tmp_path).new_password
    assert second and second != first.new_password
    assert get_user_model().objects.get(username=ADMIN_USERNAME).check_password(second)
    get_user_model().objects.all().delete()  # a fresh database, var/ kept
    assert demo_admin_ensure(var_dir=tmp_path).new_password is None
    assert get_user_model().objects.get(username=ADMIN_USERNAME).check_password(second)


def test_the_demo_seller_login_is_its_owner_with_the_sellers_email(mall, tmp_path):
    account = demo_seller_ensure(var_dir=tmp_path)
    user = get_user_model().objects.get(username=SELLER_LOGIN)
    assert user.email == SELLER_LOGIN == account.login  # the login form asks for the e-mail
    assert not user.is_staff and not user.is_superuser
    member = SellerMember.objects.get(user=user)
    assert member.seller.slug == SELLER_SLUG and member.role == SellerRole.OWNER
    assert user.check_password(account.new_password)
    assert account.password_file == tmp_path / "demo-seller-password"
    assert stat.S_IMODE(account.password_file.stat().st_mode) == 0o600
    assert account.new_password != demo_admin_ensure(var_dir=tmp_path).new_password

    again = demo_seller_ensure(var_dir=tmp_path)
    assert again.new_password is None and SellerMember.objects.filter(user=user).count() == 1


def test_demo_command_prints_each_password_once_then_where_it_is(
    settings, tmp_path, monkeypatch, demo_children
):
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr("galerie.demo.simulation.simulation_launch_for_demo", lambda write: None)
    out = StringIO()
    call_command("demo", stdout=out)
    admin = (tmp_path / "demo-admin-password").read_text().strip()
    seller = (tmp_path / "demo-seller-password").read_text().strip()
    printed = out.getvalue()
    assert f"http://localhost:8000/admin/ (admin / {admin}, enregistré" in printed
    assert f"http://localhost:8000/vendeur/ ({SELLER_LOGIN} / {seller}, enregistré" in printed
    assert "galerie db_worker, processus 4242" in printed
    assert demo_children == [
        ("worker", ["db_worker", "--no-reload"]),
        ("server", ["serve", "--port", "8000", "--workers", "2", "--allow-simulator"]),
    ]

    out = StringIO()
    call_command("demo", stdout=out)
    assert admin not in out.getvalue() and seller not in out.getvalue()
    assert str(tmp_path / "demo-admin-password") in out.getvalue()
    assert str(tmp_path / "demo-seller-password") in out.getvalue()


# --- README's *Demo accounts* and the code agree -------------------------------------------------


def readme_accounts() -> list[dict]:
    """The rows of README's *Demo accounts* table: where to log in, the login, the password file."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Demo accounts\n", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 4 or cells[1] in ("log in at", "---"):
            continue
        rows.append(
            {
                "url": re.search(r"http://\S+/", cells[1])[0],
                "login": re.search(r"`([^`]+)`", cells[2])[1],
                "file": re.search(r"`var/([^`]+)`", cells[3])[1],
            }
        )
    return rows


def log_in(client: Client, url: str, login: str, password: str):
    """Open `url`, fill the login form it leads to, and come back: the final response."""
    parsed = urlparse(url)
    host = {"HTTP_HOST": parsed.netloc}
    response = client.get(parsed.path, follow=True, **host)
    assert response.context and "form" in response.context, (
        f"{url} leads to no login form (HTTP {response.status_code})"
    )
    form = response.context["form"]
    fields = {name: login for name in form.fields if name != "password"}
    response = client.post(
        response.request["PATH_INFO"] + "?" + response.request["QUERY_STRING"],
        {**fields, "password": password},
        follow=True,
        **host,
    )
    assert response.status_code == 200, response.content[:500]
    return client.get(parsed.path, **host)


def test_readme_lists_every_demo_account_and_each_logs_in_where_it_says(mall, tmp_path):
    accounts = demo_accounts_ensure(var_dir=tmp_path)
    listed = readme_accounts()
    assert sorted(
        (row["login"], urlparse(row["url"]).path, row["file"]) for row in listed
    ) == sorted((account.login, account.path, account.password_file.name) for account in accounts)
    for row in listed:
        password = (tmp_path / row["file"]).read_text().strip()
        response = log_in(Client(), row["url"], row["login"], password)
        assert response.status_code == 200, (row, response.status_code)
        assert response.wsgi_request.user.get_username() == row["login"]
