"""Shared state on Redis (REDIS_URL): the page cache and its versions, sessions, the throttle and
the task queue, against a real Redis (tests marked `redis`, db 3 by default); and Redis down
(a closed port): pages still render, nothing stale is served, tasks wait in the outbox and run
once Redis is back."""

import os
import subprocess
import sys

import pytest
import redis
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from rq import SimpleWorker

from galerie.checkout.tests.helpers import CARD_OK, add_to_cart, checkout
from galerie.conftest import TEST_REDIS_URL
from galerie.core import rediscache, throttle, versions
from galerie.core.models import PendingTask, StaleCacheKey, ThrottleCounter
from galerie.core.outbox import outbox_flush
from galerie.ledger.checks import ledger_check_run
from galerie.orders.models import Order, OrderStatus
from galerie.testing.factories import make_category, make_offer, make_product, make_storefront

pytestmark = pytest.mark.django_db
HOST = "culture.localhost"
DOWN_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def redis_settings(url: str):
    timeouts = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    return override_settings(
        REDIS_URL=url,
        CACHES={
            "default": {
                "BACKEND": "galerie.core.rediscache.TolerantRedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "galerie",
                "OPTIONS": timeouts,
            }
        },
        SESSION_ENGINE="galerie.core.sessions",
        TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
        RQ_QUEUES={"default": {"URL": f"{url}?socket_connect_timeout=0.5"}},
        GALERIE_PAYMENT_WEBHOOKS="task",
    )


@pytest.fixture(autouse=True)
def _fresh_outage_state():
    rediscache._down_until.clear()
    rediscache._outage_seen.clear()
    yield
    rediscache._down_until.clear()
    rediscache._outage_seen.clear()


@pytest.fixture
def redis_db():
    """The test Redis database, empty before and after."""
    client = redis.Redis.from_url(TEST_REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def redis_up(redis_db):
    with redis_settings(TEST_REDIS_URL):
        yield redis_db


@pytest.fixture
def redis_down():
    with redis_settings(DOWN_URL):
        yield


@pytest.fixture
def offer():
    category = make_category("Livres")
    make_storefront("culture", name="Culture", categories=[category])
    product = make_product("Germinal", category=category, slug="germinal")
    return make_offer(product, price="9.00", stock=3, delivery_price="2.00")


def run_worker() -> None:
    """Run the queued jobs in this process (rq's SimpleWorker, no fork), then return."""
    import django_rq
    from django_tasks_rq.backend import Job

    queue = django_rq.get_queue("default", job_class=Job)
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)


# --- Redis up -------------------------------------------------------------------------------


@pytest.mark.redis
def test_page_cache_lives_in_redis_and_a_bump_from_another_process_refreshes_it(redis_up, offer):
    client = Client(HTTP_HOST=HOST)
    url = f"/p/{offer.product.slug}/"
    first, second = client.get(url), client.get(url)
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert redis_up.keys("galerie:1:page:*")

    # Another process (with its own memory) bumps the product's version in Redis.
    key = versions.product_key(offer.product.pk)
    env = {**os.environ, "REDIS_URL": TEST_REDIS_URL}
    code = f"from galerie.core.versions import _bump_now; _bump_now([{key!r}])"
    subprocess.run([sys.executable, "-m", "galerie.cli", "shell", "-c", code], env=env, check=True)

    assert client.get(url)["X-Page-Cache"] == "miss"


@pytest.mark.redis
def test_a_cached_page_costs_five_redis_round_trips(
    redis_up, offer, monkeypatch, django_assert_max_num_queries
):
    client = Client(HTTP_HOST=HOST)
    url = f"/p/{offer.product.slug}/"
    client.get(url)
    commands = []
    original = redis.Redis.execute_command

    def counted(self, *args, **options):
        commands.append(args[0])
        return original(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counted)
    with django_assert_max_num_queries(1):  # the product's id for its slug, as before
        hit = client.get(url)

    assert hit["X-Page-Cache"] == "hit"
    # The global version, the storefront for the host, the product's id for its slug, the
    # product's version, the page: as before the Redis-down handling, which adds no round trip.
    assert commands == ["MGET", "GET", "GET", "MGET", "GET"]


@pytest.mark.redis
def test_sessions_are_cached_in_redis_and_removed_from_it_when_flushed(redis_up, offer):
    client = Client(HTTP_HOST=HOST)
    add_to_cart(client, offer)
    session_key = client.cookies["sessionid"].value
    cached = f"galerie:1:django.contrib.sessions.cached_db{session_key}"
    assert redis_up.exists(cached)

    client.session.flush()  # the store ends it: database row and cache entry

    assert not redis_up.exists(cached)


@pytest.mark.redis
def test_throttle_counts_in_redis(redis_up):
    for _ in range(throttle.NOTICE_IP.limit):
        throttle.throttle_hit(throttle.NOTICE_IP, "192.0.2.1")

    with pytest.raises(throttle.Throttled):
        throttle.throttle_hit(throttle.NOTICE_IP, "192.0.2.1")
    assert redis_up.keys("galerie:1:thr:*")
    assert not ThrottleCounter.objects.exists()


# --- Redis down -----------------------------------------------------------------------------


def test_redis_down_pages_render_and_checkout_keeps_its_tasks(
    redis_down, offer, django_capture_on_commit_callbacks
):
    client = Client(HTTP_HOST=HOST)
    assert client.get("/").status_code == 200
    page = client.get(f"/p/{offer.product.slug}/")
    assert page.status_code == 200 and page["X-Page-Cache"] == "miss"
    assert client.get(f"/p/{offer.product.slug}/")["X-Page-Cache"] == "miss"  # bypassed

    add_to_cart(client, offer)  # 302, the session in the database
    response, _html = checkout(client)
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        back = client.post(
            response["Location"], {"card_number": CARD_OK, "expiry": "12/30", "cvc": "123"}
        )

    assert back.status_code == 302
    order = Order.objects.get()
    # The provider's webhook is a task: it waits in the outbox, the order is not lost.
    pending = PendingTask.objects.get()
    assert pending.task_path == "galerie.payments.tasks.webhook_deliver"
    assert order.status != OrderStatus.PAID


@pytest.mark.redis
def test_tasks_kept_while_redis_was_down_run_when_it_is_back(
    redis_db, offer, django_capture_on_commit_callbacks
):
    client = Client(HTTP_HOST=HOST)
    with redis_settings(DOWN_URL):
        add_to_cart(client, offer)
        response, _html = checkout(client)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                response["Location"], {"card_number": CARD_OK, "expiry": "12/30", "cvc": "123"}
            )
    assert PendingTask.objects.count() == 1

    with redis_settings(TEST_REDIS_URL):
        assert outbox_flush() == 1
        run_worker()

    assert not PendingTask.objects.exists()
    order = Order.objects.get()
    assert order.status == OrderStatus.PAID
    assert all(result.ok for result in ledger_check_run())


@pytest.mark.redis
def test_tasks_flush_command_fails_while_redis_is_down_and_enqueues_once_it_is_back(redis_db):
    from django.core.management import CommandError, call_command

    from galerie.core.outbox import task_enqueue
    from galerie.payments.tasks import release_expired_orders

    with redis_settings(DOWN_URL):
        assert task_enqueue(release_expired_orders) is None
        with pytest.raises(CommandError):
            call_command("tasks_flush")
    assert PendingTask.objects.get().task_path == "galerie.payments.tasks.release_expired_orders"

    with redis_settings(TEST_REDIS_URL):
        call_command("tasks_flush")
        assert redis_db.llen("rq:queue:default") == 1

    assert not PendingTask.objects.exists()


def test_unreadable_versions_match_no_cache_entry(redis_down):
    first = versions.versions_get(["g", "p:1"])
    second = versions.versions_get(["g", "p:1"])

    assert all(v < 0 for v in first.values())
    assert first != second  # nothing stored under one is ever found under the next


def test_throttle_falls_back_to_the_database_while_redis_is_down(redis_down):
    for _ in range(throttle.NOTICE_IP.limit):
        throttle.throttle_hit(throttle.NOTICE_IP, "192.0.2.1")

    with pytest.raises(throttle.Throttled):
        throttle.throttle_hit(throttle.NOTICE_IP, "192.0.2.1")
    assert ThrottleCounter.objects.get().count == throttle.NOTICE_IP.limit + 1


def test_a_session_ended_while_redis_is_down_is_recorded_stale(redis_down, offer):
    client = Client(HTTP_HOST=HOST)
    add_to_cart(client, offer)
    session_key = client.cookies["sessionid"].value

    client.session.flush()

    assert StaleCacheKey.objects.filter(
        key=f"django.contrib.sessions.cached_db{session_key}"
    ).exists()


@pytest.mark.redis
def test_a_bump_lost_to_an_outage_is_repaired_before_redis_is_trusted_again(redis_db):
    with redis_settings(TEST_REDIS_URL):
        before = versions.versions_get(["p:7"])["p:7"]
        cache.set("fragment", "old")
    with redis_settings(DOWN_URL):
        versions._bump_now(["p:7"])  # lost: Redis is unreachable
        assert StaleCacheKey.objects.filter(key="v:p:7").exists()

    with redis_settings(TEST_REDIS_URL):
        after = versions.versions_get(["p:7"])["p:7"]

    assert after > before
    assert not StaleCacheKey.objects.exists()


# --- Read replica ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
@override_settings(GALERIE_READ_REPLICA=True)
def test_listing_and_search_read_from_the_replica_and_cart_writes_do_not(offer):
    from galerie.search.services import search_index_refresh

    search_index_refresh(product_ids=[offer.product.pk])
    client = Client(HTTP_HOST=HOST)
    replica = connections["replica"]

    with CaptureQueriesContext(replica) as listing:
        assert client.get(f"/c/{offer.product.category.slug}/").status_code == 200
    with CaptureQueriesContext(replica) as search:
        page = client.get("/recherche/", {"q": "Germinal"})
        assert page.status_code == 200 and "Germinal" in page.content.decode()
    with CaptureQueriesContext(replica) as api:
        assert client.get("/api/storefronts/culture/products").status_code == 200
    with CaptureQueriesContext(replica) as cart, CaptureQueriesContext(connection) as default:
        add_to_cart(client, offer)
        assert client.get("/panier/").status_code == 200

    assert listing.captured_queries and search.captured_queries and api.captured_queries
    assert not cart.captured_queries and default.captured_queries
    assert not any("core_" in q["sql"] or "session" in q["sql"] for q in listing.captured_queries)
