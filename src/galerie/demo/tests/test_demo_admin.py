"""The demo's back-office account: made by `galerie demo` only, with a random password printed
once and kept in var/ (mode 600); later runs reuse it and say where it is."""

import stat
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from galerie.demo.services import ADMIN_USERNAME, demo_admin_ensure

pytestmark = pytest.mark.django_db


def test_first_run_creates_a_superuser_with_a_random_password_in_a_private_file(tmp_path):
    path, password = demo_admin_ensure(var_dir=tmp_path)
    admin = get_user_model().objects.get(username=ADMIN_USERNAME)
    assert admin.is_superuser and admin.is_staff
    assert password and len(password) >= 16 and password != "admin"
    assert admin.check_password(password) and not admin.check_password("admin")
    assert path == tmp_path / "demo-admin-password"
    assert path.read_text().strip() == password
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_later_runs_keep_the_password_and_print_nothing_new(tmp_path):
    _path, password = demo_admin_ensure(var_dir=tmp_path)
    path, again = demo_admin_ensure(var_dir=tmp_path)
    assert again is None and path.read_text().strip() == password
    assert get_user_model().objects.get(username=ADMIN_USERNAME).check_password(password)
    assert get_user_model().objects.count() == 1


def test_two_installations_get_different_passwords(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    _path, first = demo_admin_ensure(var_dir=tmp_path / "a")
    get_user_model().objects.all().delete()
    _path, second = demo_admin_ensure(var_dir=tmp_path / "b")
    assert first and second and first != second


def test_a_lost_file_gets_a_new_password_and_a_kept_file_serves_a_new_database(tmp_path):
    path, first = demo_admin_ensure(var_dir=tmp_path)
    path.unlink()
    _path, second = demo_admin_ensure(var_dir=tmp_path)
    assert second and second != first
    assert get_user_model().objects.get(username=ADMIN_USERNAME).check_password(second)
    get_user_model().objects.all().delete()  # a fresh database, var/ kept
    _path, third = demo_admin_ensure(var_dir=tmp_path)
    assert third is None
    assert get_user_model().objects.get(username=ADMIN_USERNAME).check_password(second)


def test_demo_command_prints_the_password_once_then_where_it_is(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(
        "galerie.demo.management.commands.demo.call_command",
        lambda name, **kw: served.append((name, kw)) if name == "serve" else None,
    )
    monkeypatch.setattr("galerie.demo.simulation.simulation_launch_for_demo", lambda write: None)
    served = []
    out = StringIO()
    call_command("demo", stdout=out)
    password = (tmp_path / "demo-admin-password").read_text().strip()
    assert f"admin / {password}" in out.getvalue()
    assert served == [("serve", {"port": 8000, "workers": 2, "allow_simulator": True})]

    out = StringIO()
    call_command("demo", stdout=out)
    assert password not in out.getvalue()
    assert str(tmp_path / "demo-admin-password") in out.getvalue()
