"""Django settings for Galerie, configured from the environment.

DATABASE_URL (default: SQLite in var/), REDIS_URL (optional cache and task queue),
SECRET_KEY (default: generated once into var/), ALLOWED_HOSTS, GALERIE_DEBUG.
Safe by default: HTTPS only (GALERIE_HTTPS=0 serves plain http, as `galerie demo` does), no test
card gateway (GALERIE_PAYMENT_SIMULATOR=1 mounts it), the admin on the back-office hosts only.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from galerie.core.secret_files import secret_file_read_or_create

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("GALERIE_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    # Never committed: generated once per installation, kept beside the database.
    return secret_file_read_or_create(VAR_DIR / "secret_key", nbytes=50)


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("GALERIE_DEBUG", "") == "1"
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "localhost,.localhost,127.0.0.1,[::1]").split(",")
]
# Hosts that show the mall's index page rather than a storefront.
GALERIE_MALL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "testserver"}
# The operator's back office (/admin/) answers on these hosts only; elsewhere it is a 404.
GALERIE_ADMIN_HOSTS = {
    h.strip().lower()
    for h in os.environ.get("GALERIE_ADMIN_HOSTS", ",".join(sorted(GALERIE_MALL_HOSTS))).split(",")
    if h.strip()
}
# The simulated card provider: test card 4242… pays any order, so it exists only where asked
# (`galerie demo` and the tests set it; `galerie serve` refuses it without --allow-simulator).
GALERIE_PAYMENT_SIMULATOR = os.environ.get("GALERIE_PAYMENT_SIMULATOR", "") == "1"
# How it notifies Galerie: "inline" right after commit, or "task" (queued for the task worker, as
# a real provider's asynchronous webhook arrives; the deployment test buys that way).
GALERIE_PAYMENT_WEBHOOKS = os.environ.get("GALERIE_PAYMENT_WEBHOOKS", "inline")
# Order e-mails: "task" (sent by a worker) or "inline" (after commit, in the request); empty:
# "task" with REDIS_URL, else "inline" (galerie.orders.emails.order_mails_mode).
GALERIE_ORDER_EMAILS = os.environ.get("GALERIE_ORDER_EMAILS", "")

INSTALLED_APPS = [
    "galerie.core.apps.AdminConfig",  # django.contrib.admin with the back office's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "galerie.core.apps.TasksConfig",  # django_tasks_db under a French name
    "ninja",  # its Swagger UI files, served from here: /api/docs works offline and under our CSP
    "galerie.core",
    "galerie.storefronts",
    "galerie.catalog",
    "galerie.media",
    "galerie.sellers",
    "galerie.search",
    "galerie.web",
    "galerie.api",
    "galerie.demo",
    "galerie.imports",
    "galerie.pricing",
    "galerie.inventory",
    "galerie.travel",
    "galerie.subscriptions",
    "galerie.returns",
    "galerie.promotions",
    "galerie.accounts",
    "galerie.cart",
    "galerie.reviews",
    "galerie.moderation",
    "galerie.orders",
    "galerie.payments",
    "galerie.invoicing",
    "galerie.checkout",
    "galerie.ledger",
    "galerie.payouts",
    "galerie.privacy",
    "galerie.carveout",
    "galerie.portal",
    "galerie.reporting",
    "galerie.operations",
]

MIDDLEWARE = [
    # First: answers /healthz, /readyz and /metrics before any redirect or host check, and wraps
    # every other request with its id, access-log line and metrics (galerie.operations).
    "galerie.operations.middleware.OperationsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "galerie.storefronts.middleware.StorefrontMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: a view's lost database connection is a 503 with Retry-After, not a 500.
    "galerie.core.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "galerie.urls"
WSGI_APPLICATION = "galerie.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "galerie.storefronts.context_processors.storefront",
                "galerie.web.context_processors.cart_count",
            ],
        },
    }
]

DEFAULT_SQLITE_PATH = VAR_DIR / "galerie.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}"), conn_max_age=600
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN
        # so two writers queue instead of failing with "database is locked" mid-transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000; PRAGMA cache_size=-16000;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# A read replica (docs/scaling.md): listing and search reads go there, everything else to default
# (galerie.core.replica). The suite declares the alias as a mirror of default (conftest.py) and
# turns the router on where it checks the routing.
GALERIE_READ_REPLICA = bool(os.environ.get("DATABASE_REPLICA_URL", ""))
if GALERIE_READ_REPLICA:
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=600, conn_health_checks=True
    )
    DATABASE_ROUTERS = ["galerie.core.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared state on Redis (docs/scaling.md): the cache (pages, fragments, freshness versions,
# throttle counters), the sessions' cache and the task queue. Redis down: pages render from the
# database, tasks wait in the database outbox (galerie.core.rediscache, galerie.core.outbox).
REDIS_URL = os.environ.get("REDIS_URL", "")
# Seconds a Redis call may take to connect or answer, then how long a process leaves Redis
# alone after a failure before trying it again.
GALERIE_REDIS_TIMEOUT = float(os.environ.get("GALERIE_REDIS_TIMEOUT", "0.5"))
GALERIE_REDIS_RETRY_SECONDS = float(os.environ.get("GALERIE_REDIS_RETRY_SECONDS", "2"))
if REDIS_URL:
    _redis_timeouts = {
        "socket_connect_timeout": GALERIE_REDIS_TIMEOUT,
        "socket_timeout": GALERIE_REDIS_TIMEOUT,
    }
    CACHES = {
        "default": {
            "BACKEND": "galerie.core.rediscache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "galerie",
            "OPTIONS": _redis_timeouts,
        }
    }
    SESSION_ENGINE = "galerie.core.sessions"
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_rq.RQBackend",
            "QUEUES": ["default"],
        }
    }
    # Connect timeout only: the worker's blocking dequeue waits on its socket for minutes.
    _rq_url = REDIS_URL + ("&" if "?" in REDIS_URL else "?")
    RQ_QUEUES = {"default": {"URL": f"{_rq_url}socket_connect_timeout={GALERIE_REDIS_TIMEOUT}"}}
    # django-rq brings `galerie rqworker`, and the RQ backend's system check requires it.
    INSTALLED_APPS.append("django_rq")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise serves from the finders; the folder must exist
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # WhiteNoise serves straight from the apps' static folders (no collectstatic step).
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# Product pictures (galerie.media): originals and thumbnails, written and served by the project
# (`/media/…`, long-cached names carrying a content digest), never a seller's own address.
MEDIA_ROOT = Path(os.environ.get("GALERIE_MEDIA_ROOT", VAR_DIR / "media"))
GALERIE_IMAGE_MAX_BYTES = int(os.environ.get("GALERIE_IMAGE_MAX_BYTES", 8 * 1024 * 1024))
# Decoded size cap (width × height): a small file cannot unfold into gigabytes of pixels.
GALERIE_IMAGE_MAX_PIXELS = int(os.environ.get("GALERIE_IMAGE_MAX_PIXELS", 40_000_000))
GALERIE_IMAGE_FETCH_TIMEOUT = float(os.environ.get("GALERIE_IMAGE_FETCH_TIMEOUT", "10"))
# Feed pictures are fetched from public addresses only; hosts listed here may resolve to a
# private or loopback address (the tests' local server; an operator's own image host).
GALERIE_IMAGE_FETCH_PRIVATE_HOSTS = {
    h.strip().lower()
    for h in os.environ.get("GALERIE_IMAGE_FETCH_PRIVATE_HOSTS", "").split(",")
    if h.strip()
}
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# HTTPS: on unless DEBUG or GALERIE_HTTPS=0 (plain http on localhost: `galerie demo`, the tests).
GALERIE_HTTPS = not DEBUG and os.environ.get("GALERIE_HTTPS", "1") != "0"
SECURE_SSL_REDIRECT = GALERIE_HTTPS
SESSION_COOKIE_SECURE = GALERIE_HTTPS
CSRF_COOKIE_SECURE = GALERIE_HTTPS
SECURE_HSTS_SECONDS = (
    int(os.environ.get("GALERIE_HSTS_SECONDS", str(365 * 24 * 3600))) if GALERIE_HTTPS else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("GALERIE_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
SECURE_HSTS_PRELOAD = os.environ.get("GALERIE_HSTS_PRELOAD", "") == "1"
# Behind a TLS-terminating proxy, the header it sets (e.g. HTTP_X_FORWARDED_PROTO) tells Django
# the request came over https (redirects, reset links). Only set it when the proxy always
# overwrites that header: otherwise a client could claim https itself.
if proxy_header := os.environ.get("GALERIE_PROXY_SSL_HEADER", ""):
    SECURE_PROXY_SSL_HEADER = (proxy_header, "https")

# Content Security Policy: same-origin resources only; the few inline <style> blocks carry the
# request's nonce (`{{ csp_nonce }}`), per-page colours are set through them, never style="".
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    # Product pictures are the project's own (galerie.media): nothing is hot-linked.
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

SILENCED_SYSTEM_CHECKS = [
    # security.W021 (HSTS preload): submitting a domain to the browsers' preload list is the
    # operator's one-way decision per domain, not a default; GALERIE_HSTS_PRELOAD=1 opts in.
    "security.W021",
]

MAILERS = {
    "default": {
        # Console in the demo; set EMAIL_BACKEND (e.g. …smtp.EmailBackend) in production.
        "BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Galerie <noreply@galerie.localhost>")

# Logs (docs/operations.md): GALERIE_LOG_FORMAT=json writes one JSON object per line (time, level,
# logger, message, request_id; `galerie serve` defaults to it), `text` the message alone (the
# default, and the demo's). GALERIE_ACCESS_LOG=1 adds one line per request (galerie.access).
GALERIE_LOG_FORMAT = os.environ.get("GALERIE_LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "galerie.core.logs.JsonFormatter"},
        "text": {"format": "%(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if GALERIE_LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("GALERIE_LOG_LEVEL", "WARNING")},
    "loggers": {
        "galerie.access": {
            "level": "INFO" if os.environ.get("GALERIE_ACCESS_LOG", "") == "1" else "WARNING"
        }
    },
}
# /metrics (Prometheus): with this token set, `Authorization: Bearer <token>` opens it; without,
# only a loopback client that no proxy relayed may read it.
GALERIE_METRICS_TOKEN = os.environ.get("GALERIE_METRICS_TOKEN", "")

NINJA_PAGINATION_PER_PAGE = 24

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/compte/"

# The operator's business settings. Each reads the environment, with the demo's values as defaults.
GALERIE_BANK_HOLDER = os.environ.get("GALERIE_BANK_HOLDER", "Galerie SAS")
# The demo operator's account (a valid test IBAN): set your own for real SEPA files.
GALERIE_BANK_IBAN = os.environ.get("GALERIE_BANK_IBAN", "FR76 3000 6000 0112 3456 7890 189")
GALERIE_BANK_BIC = os.environ.get("GALERIE_BANK_BIC", "AGRIFRPPXXX")
GALERIE_PAYOUT_HOLDBACK_PERCENT = os.environ.get("GALERIE_PAYOUT_HOLDBACK_PERCENT", "10")
GALERIE_CARD_FEE_PERCENT = os.environ.get("GALERIE_CARD_FEE_PERCENT", "1.4")
GALERIE_CARD_FEE_FIXED = os.environ.get("GALERIE_CARD_FEE_FIXED", "0.25")
GALERIE_TRANSFER_FEE = os.environ.get("GALERIE_TRANSFER_FEE", "0.00")
GALERIE_PARCEL_COST = os.environ.get("GALERIE_PARCEL_COST", "4.90")
GALERIE_COMMISSION_VAT_RATE = os.environ.get("GALERIE_COMMISSION_VAT_RATE", "0.20")
GALERIE_ORDER_PAYMENT_MINUTES = int(os.environ.get("GALERIE_ORDER_PAYMENT_MINUTES", "60"))
GALERIE_TRANSFER_DAYS = int(os.environ.get("GALERIE_TRANSFER_DAYS", "7"))

# Links that leave the site (e-mails) are absolute: `scheme://<storefront's primary host>[:port]/…`,
# never built from a request's Host header. GALERIE_PUBLIC_HOST serves links outside any storefront
# (the mall, the seller portal). `galerie demo` sets http and its port; production keeps https.
GALERIE_PUBLIC_SCHEME = os.environ.get("GALERIE_PUBLIC_SCHEME", "https")
GALERIE_PUBLIC_PORT = os.environ.get("GALERIE_PUBLIC_PORT", "")
GALERIE_PUBLIC_HOST = os.environ.get("GALERIE_PUBLIC_HOST", "localhost")
# The consumer mediator the operator has joined (Code de la consommation L.612-1), named on every
# storefront's contact, terms and legal pages. The defaults are the demo's invented ones: set yours.
GALERIE_MEDIATOR_NAME = os.environ.get("GALERIE_MEDIATOR_NAME", "Médiation Conso Démo")
GALERIE_MEDIATOR_ADDRESS = os.environ.get(
    "GALERIE_MEDIATOR_ADDRESS", "1 place de la Médiation, 75001 Paris"
)
GALERIE_MEDIATOR_URL = os.environ.get("GALERIE_MEDIATOR_URL", "https://mediation.example")
# How long the signed link in a guest's order e-mails opens the order on any device.
GALERIE_ORDER_LINK_DAYS = int(os.environ.get("GALERIE_ORDER_LINK_DAYS", "90"))
# An unsafe product withdrawn (DSA notice and action): the buyers of the last N months are told
# (GPSR art. 36).
GALERIE_RECALL_MONTHS = int(os.environ.get("GALERIE_RECALL_MONTHS", "12"))

# --- Abuse limits (issue 12): throttling's client IP, request and upload sizes -------------------
# The header the operator's own reverse proxy sets to the client's address (e.g. X-Forwarded-For
# or X-Real-IP). Empty: REMOTE_ADDR. Never set it when clients reach gunicorn directly: they
# could then choose their address and escape the throttle (galerie.core.throttle).
GALERIE_CLIENT_IP_HEADER = os.environ.get("GALERIE_CLIENT_IP_HEADER", "")
# Request bodies: every view accepts GALERIE_MAX_REQUEST_BYTES, the feed upload (portal and
# admin) GALERIE_FEED_MAX_BYTES; checked from Content-Length before the body is read or spooled
# (galerie.core.middleware). Put the same ceiling in the reverse proxy (client_max_body_size).
GALERIE_MAX_REQUEST_BYTES = int(os.environ.get("GALERIE_MAX_REQUEST_BYTES", 10 * 1024 * 1024))
GALERIE_FEED_MAX_BYTES = int(os.environ.get("GALERIE_FEED_MAX_BYTES", 200 * 1024 * 1024))
# Rows per committed batch of a feed import run by the task worker (memory and lock time against
# speed; galerie.imports.services.BATCH_SIZE is the default).
GALERIE_IMPORT_BATCH_SIZE = int(os.environ.get("GALERIE_IMPORT_BATCH_SIZE", 10_000))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # form fields and JSON bodies, files excepted
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files are spooled to a temporary file
DATA_UPLOAD_MAX_NUMBER_FILES = 5
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.csrf.CsrfViewMiddleware"),
    "galerie.core.middleware.RequestSizeLimitMiddleware",
)
