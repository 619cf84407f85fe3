"""Throttling through HTTP: storefront and admin logins, password reset, registration and seller
API tokens; counters shared by processes; the client IP taken from a trusted header only."""

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings

from galerie.core import throttle
from galerie.core.models import ThrottleCounter
from galerie.testing.factories import make_category, make_storefront

pytestmark = pytest.mark.django_db
HOST = "culture.localhost"
PASSWORD = "Tr3s-s3cret!"


@pytest.fixture
def storefront():
    return make_storefront("culture", categories=[make_category("Livres")])


@pytest.fixture
def customer():
    return User.objects.create_user("marie@example.fr", "marie@example.fr", PASSWORD)


def _client(ip="10.0.0.1", **extra) -> Client:
    return Client(HTTP_HOST=HOST, REMOTE_ADDR=ip, **extra)


def _login(client, email="marie@example.fr", password="non"):  # noqa: S107
    return client.post("/compte/connexion/", {"email": email, "password": password})


def _new_process() -> None:
    """What another gunicorn worker would see: nothing of this process's memory."""
    cache.clear()


def test_counters_live_in_the_database_shared_by_processes(storefront, customer):
    for _ in range(3):
        _login(_client())
    _new_process()
    for _ in range(2):
        _login(_client())
    _new_process()

    response = _login(_client(), password=PASSWORD)

    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in response.content.decode()
    assert ThrottleCounter.objects.exists()


def test_per_account_limit_stops_a_guesser_spread_over_many_addresses(storefront, customer):
    for i in range(throttle.LOGIN_ACCOUNT.limit):
        assert _login(_client(f"10.1.0.{i + 1}")).status_code == 400

    response = _login(_client("10.2.0.1"), password=PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in response.client.session
    # Another account is not affected.
    User.objects.create_user("paul@example.fr", "paul@example.fr", PASSWORD)
    assert _login(_client("10.2.0.1"), "paul@example.fr", PASSWORD).status_code == 302


def test_per_ip_limit_stops_one_address_trying_many_accounts(storefront, customer):
    for i in range(throttle.LOGIN_IP.limit):
        _login(_client("10.3.0.1"), f"inconnu{i}@example.fr")

    blocked = _login(_client("10.3.0.1"), password=PASSWORD)
    elsewhere = _login(_client("10.3.0.2"), password=PASSWORD)

    assert blocked.status_code == 429
    assert elsewhere.status_code == 302


def test_a_successful_login_clears_the_account_not_the_address(storefront, customer):
    for _ in range(4):
        _login(_client())
    assert _login(_client(), password=PASSWORD).status_code == 302
    for _ in range(4):  # a fresh allowance for the account
        assert _login(_client()).status_code == 400
    assert _login(_client(), password=PASSWORD).status_code == 302


def test_spoofed_forwarded_for_is_ignored_unless_configured(storefront, customer):
    for i in range(5):
        _login(_client(HTTP_X_FORWARDED_FOR=f"192.0.2.{i}"))

    # Without configuration the header is not believed: all five came from 10.0.0.1.
    assert _login(_client(HTTP_X_FORWARDED_FOR="192.0.2.99"), password=PASSWORD).status_code == 429

    with override_settings(GALERIE_CLIENT_IP_HEADER="X-Forwarded-For"):
        # Behind the operator's proxy: the right-most address is the one the proxy saw.
        spoofed = _client(HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.7")
        assert _login(spoofed, password=PASSWORD).status_code == 302


def test_client_ip_groups_ipv6_by_64_and_ignores_garbage(rf):
    request = rf.get("/", REMOTE_ADDR="2001:db8:1:2:3:4:5:6")
    assert throttle.client_ip(request) == "2001:db8:1:2::/64"
    with override_settings(GALERIE_CLIENT_IP_HEADER="X-Real-IP"):
        request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="not an address")
        assert throttle.client_ip(request) == "10.0.0.1"


def test_admin_login_is_throttled_with_the_same_counters(storefront):
    User.objects.create_superuser("admin", "admin@example.fr", PASSWORD)
    client = Client(REMOTE_ADDR="10.0.0.5")
    for _ in range(5):
        response = client.post("/admin/login/", {"username": "admin", "password": "non"})
        assert response.status_code == 200
    _new_process()

    response = client.post("/admin/login/", {"username": "admin", "password": PASSWORD})

    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_is_throttled_per_account_and_sends_nothing_more(storefront, customer):
    for i in range(throttle.PASSWORD_RESET_ACCOUNT.limit):
        response = _client(f"10.4.0.{i}").post(
            "/compte/mot-de-passe/", {"email": "marie@example.fr"}
        )
        assert response.status_code == 302
    sent = len(mail.outbox)

    response = _client("10.4.1.1").post("/compte/mot-de-passe/", {"email": "marie@example.fr"})

    assert response.status_code == 429
    assert "Trop de demandes de réinitialisation" in response.content.decode()
    assert len(mail.outbox) == sent


def test_password_reset_is_throttled_per_ip(storefront, customer):
    client = _client("10.5.0.1")
    for i in range(throttle.PASSWORD_RESET_IP.limit):
        client.post("/compte/mot-de-passe/", {"email": f"x{i}@example.fr"})

    response = client.post("/compte/mot-de-passe/", {"email": "marie@example.fr"})

    assert response.status_code == 429
    assert not mail.outbox


def _register(client, email):
    return client.post(
        "/compte/inscription/",
        {"email": email, "password1": "Pomme-Verte-42", "password2": "Pomme-Verte-42"},
    )


def test_registration_is_throttled_per_ip(storefront):
    client = _client("10.6.0.1")
    for i in range(throttle.REGISTER_IP.limit):
        assert _register(client, f"n{i}@example.fr").status_code == 200
    created = User.objects.count()

    response = _register(client, "encore@example.fr")

    assert response.status_code == 429
    assert "inscriptions depuis votre connexion" in response.content.decode()
    assert User.objects.count() == created


def test_registration_is_throttled_per_address(
    storefront, customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(throttle.REGISTER_ACCOUNT.limit):
            _register(_client(f"10.7.0.{i}"), "marie@example.fr")
    sent = len(mail.outbox)
    assert sent == throttle.REGISTER_ACCOUNT.limit

    with django_capture_on_commit_callbacks(execute=True):
        response = _register(_client("10.7.1.1"), "marie@example.fr")

    assert response.status_code == 429
    assert len(mail.outbox) == sent


def test_counter_starts_again_after_its_window(storefront, customer):
    for _ in range(5):
        _login(_client())
    assert _login(_client(), password=PASSWORD).status_code == 429
    ThrottleCounter.objects.update(expires_at="2000-01-01T00:00:00Z")

    assert _login(_client(), password=PASSWORD).status_code == 302


def test_with_redis_the_counters_live_in_the_shared_cache(settings):
    # REDIS_URL switches the store to the default cache (Redis in production; LocMem here).
    settings.REDIS_URL = "redis://shared"
    cache.clear()
    for _ in range(throttle.LOGIN_ACCOUNT_IP.limit):
        throttle.login_failure_record(account="marie@example.fr", ip="10.8.0.1")

    with pytest.raises(throttle.Throttled) as refused:
        throttle.login_throttle_check(account="marie@example.fr", ip="10.8.0.1")

    assert refused.value.status == 429
    assert not ThrottleCounter.objects.exists()
    throttle.login_success_record(account="marie@example.fr", ip="10.8.0.1")
    throttle.login_throttle_check(account="marie@example.fr", ip="10.8.0.1")
    cache.clear()
