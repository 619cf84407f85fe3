"""Production is safe by default: `check --deploy` is clean with production-like settings, HTTPS
and its headers are on unless asked off, and `galerie serve` refuses the simulated card gateway."""

import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from galerie.core.management.commands import serve
from galerie.testing.factories import make_storefront

PRODUCTION_ENV = {
    "SECRET_KEY": "k3A9-production-like-secret-key-with-more-than-fifty-chars-xyzXYZ-0123456789",
    "ALLOWED_HOSTS": "galerie.example.com,boutique.example.com",
    "GALERIE_ADMIN_HOSTS": "backoffice.example.com",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}


def _galerie(*args, env_extra=None, tmp_path):
    """`galerie …` in a fresh process with a production environment (not the suite's demo one)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GALERIE_") and k not in ("SECRET_KEY", "ALLOWED_HOSTS")
    }
    env.update(PRODUCTION_ENV, GALERIE_VAR_DIR=str(tmp_path), **(env_extra or {}))
    return subprocess.run(
        [sys.executable, "-m", "galerie.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = _galerie("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.parametrize(
    ("env_extra", "check_id"),
    [
        ({"GALERIE_PAYMENT_SIMULATOR": "1"}, "galerie.E001"),
        ({"GALERIE_HTTPS": "0"}, "security.W008"),
        ({"GALERIE_DEBUG": "1"}, "security.W018"),
    ],
)
def test_check_deploy_fails_on_unsafe_settings(tmp_path, env_extra, check_id):
    result = _galerie(
        "check", "--deploy", "--fail-level", "WARNING", env_extra=env_extra, tmp_path=tmp_path
    )
    assert result.returncode != 0 and check_id in result.stderr, result.stderr


SHOW = (
    "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE,"
    " s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER,"
    " s.GALERIE_PAYMENT_SIMULATOR)"
)


def test_https_and_no_simulator_by_default(tmp_path):
    result = _galerie("shell", "--no-imports", "-c", SHOW, tmp_path=tmp_path)
    assert result.stdout.split()[-6:] == ["True", "True", "True", "31536000", "None", "False"]


def test_proxy_header_comes_from_the_environment(tmp_path):
    env_extra = {"GALERIE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO"}
    result = _galerie("shell", "--no-imports", "-c", SHOW, env_extra=env_extra, tmp_path=tmp_path)
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in result.stdout


def test_the_demo_serves_plain_http_with_the_simulator(tmp_path):
    # What `galerie demo` sets before the settings load (cli.py).
    from galerie.demo import DEMO_ENVIRONMENT

    result = _galerie(
        "shell", "--no-imports", "-c", SHOW, env_extra=DEMO_ENVIRONMENT, tmp_path=tmp_path
    )
    assert result.stdout.split()[-6:] == ["False", "False", "False", "0", "None", "True"]


@pytest.fixture
def execve(monkeypatch):
    calls = []
    monkeypatch.setattr(serve.os, "execve", lambda *args: calls.append(args))
    return calls


def test_serve_refuses_the_simulator_and_says_why(settings, execve):
    settings.GALERIE_PAYMENT_SIMULATOR = True
    with pytest.raises(CommandError) as error:
        call_command("serve")
    assert "4242" in str(error.value) and "--allow-simulator" in str(error.value)
    assert execve == []


def test_serve_starts_with_allow_simulator_or_without_the_simulator(settings, execve):
    settings.GALERIE_PAYMENT_SIMULATOR = True
    call_command("serve", "--allow-simulator")
    settings.GALERIE_PAYMENT_SIMULATOR = False
    call_command("serve")
    assert len(execve) == 2 and "gunicorn" in execve[1][1]


@pytest.mark.django_db
def test_behind_a_tls_proxy_redirects_to_https_and_reset_links_are_https(settings, mailoutbox):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    make_storefront("culture")
    get_user_model().objects.create_user("marie@example.fr", "marie@example.fr", "Un-Mot-99")
    client = Client(HTTP_HOST="culture.localhost")

    plain = client.post("/compte/mot-de-passe/", {"email": "marie@example.fr"})
    assert plain.status_code == 301 and plain["Location"].startswith("https://culture.localhost/")
    assert mailoutbox == []

    proxied = Client(HTTP_HOST="culture.localhost", HTTP_X_FORWARDED_PROTO="https")
    response = proxied.post("/compte/mot-de-passe/", {"email": "marie@example.fr"})
    assert response.status_code == 302
    assert "https://culture.localhost/compte/mot-de-passe/" in mailoutbox[0].body
    assert "http://culture.localhost" not in mailoutbox[0].body
