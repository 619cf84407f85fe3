"""Throttling of the doors a guessing script knocks on: logins (storefront and admin), password
reset, registration, a guest's termination link, notices of illegal content and seller API
tokens. One module, one set of rules.

Counters are fixed windows shared by every process: in Redis when REDIS_URL is set, else in the
database (table core_throttlecounter, one atomic upsert per hit), never in one process's memory,
or each gunicorn worker would grant its own allowance. While Redis is down the counters fall
back to the database rather than failing open: these rules guard logins and e-mail sends, and
the database is there anyway. A window that spans the outage may grant up to twice its limit.
Keys are hashes of the rule and what it counts (an IP address, an e-mail, a token): no address
is stored in clear.

The client's IP is REMOTE_ADDR, unless GALERIE_CLIENT_IP_HEADER names the header that the
operator's own reverse proxy sets (e.g. X-Forwarded-For): a header any client can send is never
believed otherwise. IPv6 addresses count per /64, the block one subscriber gets.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import random
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from galerie.core import clock
from galerie.core.errors import DomainError
from galerie.core.models import ThrottleCounter
from galerie.core.rediscache import CacheUnavailable, cache_strict

_REDIS_PREFIX = "thr:"
_PURGE_ONE_IN = 200  # expired rows are deleted now and then by a hit, not by a cron job


class Throttled(DomainError):
    code = "throttled"
    status = 429


@dataclass(frozen=True)
class Rule:
    name: str
    limit: int
    window: int  # seconds
    message: Promise

    def error(self) -> Throttled:
        return Throttled(str(self.message), code=f"throttled_{self.name.replace('-', '_')}")


_LOGIN_MESSAGE = _(
    "Trop de tentatives de connexion échouées. Pour votre sécurité, réessayez dans "
    "15 minutes ou réinitialisez votre mot de passe."
)
# Failed logins. Per account and IP: one guesser is stopped quickly while the account's owner,
# elsewhere, still logs in. Per account: a guesser spread over many addresses gets 20 tries per
# quarter hour (the owner is then locked out too: the price of stopping it). Per IP: one address
# trying a common password on many accounts.
LOGIN_ACCOUNT_IP = Rule("login-account-ip", 5, 15 * 60, _LOGIN_MESSAGE)
LOGIN_ACCOUNT = Rule("login-account", 20, 15 * 60, _LOGIN_MESSAGE)
LOGIN_IP = Rule("login-ip", 30, 15 * 60, _LOGIN_MESSAGE)
# Requests, successful or not (an e-mail is sent each time).
PASSWORD_RESET_ACCOUNT = Rule(
    "reset-account",
    3,
    60 * 60,
    _("Trop de demandes de réinitialisation pour cette adresse. Réessayez dans une heure."),
)
PASSWORD_RESET_IP = Rule(
    "reset-ip",
    10,
    60 * 60,
    _("Trop de demandes de réinitialisation depuis votre connexion. Réessayez dans une heure."),
)
REGISTER_ACCOUNT = Rule(
    "register-account",
    3,
    60 * 60,
    _("Trop d'inscriptions avec cette adresse e-mail. Réessayez dans une heure."),
)
REGISTER_IP = Rule(
    "register-ip",
    10,
    60 * 60,
    _("Trop d'inscriptions depuis votre connexion. Réessayez dans une heure."),
)
# A subscriber without an account asks for a termination link by e-mail (each request may send
# one): per address asked for, and per IP (one script trying many addresses).
TERMINATION_LINK_ACCOUNT = Rule(
    "termination-account",
    3,
    60 * 60,
    _("Trop de demandes de résiliation pour cette adresse. Réessayez dans une heure."),
)
TERMINATION_LINK_IP = Rule(
    "termination-ip",
    10,
    60 * 60,
    _("Trop de demandes de résiliation depuis votre connexion. Réessayez dans une heure."),
)
# A customer downloads a copy of their personal data (galerie.privacy): each export reads every
# order they ever placed, so a script holding a session cannot make it the server's busiest page.
DATA_EXPORT_ACCOUNT = Rule(
    "data-export-account",
    5,
    60 * 60,
    _("Trop de téléchargements de vos données. Réessayez dans une heure."),
)


# Notices of illegal content (DSA art. 16): anyone may send one, anonymously, and each may
# e-mail an acknowledgement; a flood from one address is stopped.
NOTICE_IP = Rule(
    "notice-ip",
    10,
    60 * 60,
    _("Trop de signalements envoyés depuis votre connexion. Réessayez dans une heure."),
)
# Seller API: unknown or revoked tokens per IP, and calls per valid token.
API_TOKEN_FAILURE_IP = Rule(
    "token-ip",
    20,
    15 * 60,
    _("Trop de jetons d'API invalides depuis votre connexion. Réessayez dans 15 minutes."),
)
API_TOKEN_USE = Rule(
    "token-use",
    600,
    60,
    _("Trop d'appels avec ce jeton d'API (600 par minute au plus). Réessayez dans une minute."),
)


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the last address of the trusted proxy's header."""
    header = getattr(settings, "GALERIE_CLIENT_IP_HEADER", "")
    candidates = []
    if header:
        # The proxy appends the address it saw: the right-most entry is the one it vouches for.
        value = request.headers.get(header, "")
        candidates.append(value.split(",")[-1].strip())
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        try:
            address = ipaddress.ip_address(candidate)
        except ValueError:
            continue
        if address.version == 6:
            return str(ipaddress.ip_network(f"{address}/64", strict=False))
        return str(address)
    return "unknown"


def _key(rule: Rule, parts: tuple[str, ...]) -> str:
    identity = "\x1f".join(str(p).strip().lower() for p in parts)
    return f"{rule.name}:" + hashlib.sha256(identity.encode()).hexdigest()[:40]


def _shared_cache() -> bool:
    return bool(getattr(settings, "REDIS_URL", ""))


def _count(key: str) -> int:
    if _shared_cache():
        try:
            with cache_strict():
                return int(cache.get(_REDIS_PREFIX + key) or 0)
        except CacheUnavailable:
            pass
    return (
        ThrottleCounter.objects.filter(key=key, expires_at__gt=clock.now())
        .values_list("count", flat=True)
        .first()
        or 0
    )


def _increment(key: str, window: int) -> int:
    """Count one hit in the key's window (a new window starts when the last one ended)."""
    if _shared_cache():
        try:
            with cache_strict():
                cache.add(_REDIS_PREFIX + key, 0, window)  # starts the window; incr() keeps it
                try:
                    return cache.incr(_REDIS_PREFIX + key)
                except ValueError:  # expired between the two calls
                    cache.set(_REDIS_PREFIX + key, 1, window)
                    return 1
        except CacheUnavailable:
            pass
    now = clock.now()
    adapt = connection.ops.adapt_datetimefield_value
    qn = connection.ops.quote_name
    table = qn(ThrottleCounter._meta.db_table)
    key_col, count_col, expires_col = qn("key"), qn("count"), qn("expires_at")
    # One statement, atomic on SQLite and PostgreSQL alike: two processes never lose a hit.
    sql = (
        f"INSERT INTO {table} ({key_col}, {count_col}, {expires_col}) "  # noqa: S608
        f"VALUES (%s, 1, %s) ON CONFLICT ({key_col}) DO UPDATE SET "
        f"{count_col} = CASE WHEN {table}.{expires_col} <= %s THEN 1 "
        f"ELSE {table}.{count_col} + 1 END, "
        f"{expires_col} = CASE WHEN {table}.{expires_col} <= %s THEN %s "
        f"ELSE {table}.{expires_col} END "
        f"RETURNING {count_col}"
    )
    ends = adapt(now + dt.timedelta(seconds=window))
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, ends, adapt(now), adapt(now), ends])
        count = cursor.fetchone()[0]
    if random.randrange(_PURGE_ONE_IN) == 0:  # noqa: S311 - housekeeping, not security
        ThrottleCounter.objects.filter(expires_at__lte=now).delete()
    return count


def _reset(key: str) -> None:
    if _shared_cache():
        try:
            with cache_strict():
                cache.delete(_REDIS_PREFIX + key)
        except CacheUnavailable:
            pass  # a failure count left in Redis only ever refuses more, never less
    ThrottleCounter.objects.filter(key=key).delete()  # counts made while Redis was down


def throttle_check(rule: Rule, *parts: str) -> None:
    """Raise Throttled if `parts` have used up the rule's allowance in the current window."""
    if _count(_key(rule, parts)) >= rule.limit:
        raise rule.error()


def throttle_record(rule: Rule, *parts: str) -> int:
    """Count one event (a failure) against `parts`; the next check may refuse."""
    return _increment(_key(rule, parts), rule.window)


def throttle_hit(rule: Rule, *parts: str) -> None:
    """Count one request and raise Throttled if it goes over the allowance (check and count in
    one atomic step, so concurrent requests cannot all slip under the limit)."""
    if _increment(_key(rule, parts), rule.window) > rule.limit:
        raise rule.error()


def throttle_reset(rule: Rule, *parts: str) -> None:
    _reset(_key(rule, parts))


# --- Logins: the storefront's and the admin's share the counters (they are the same accounts) --


def _login_rules(account: str, ip: str) -> list[tuple[Rule, tuple[str, ...]]]:
    return [
        (LOGIN_ACCOUNT_IP, (account, ip)),
        (LOGIN_ACCOUNT, (account,)),
        (LOGIN_IP, (ip,)),
    ]


def login_throttle_check(*, account: str, ip: str) -> None:
    """Raise Throttled while this account or address has used up its failures: even the right
    password is then refused, so a guessing script gains nothing by continuing."""
    for rule, parts in _login_rules(account, ip):
        throttle_check(rule, *parts)


def login_failure_record(*, account: str, ip: str) -> None:
    for rule, parts in _login_rules(account, ip):
        throttle_record(rule, *parts)


def login_success_record(*, account: str, ip: str) -> None:
    """The owner got in: forget this account's failures (not the address's, or a sprayer with
    one account of its own could wipe its count by logging into it)."""
    throttle_reset(LOGIN_ACCOUNT_IP, account, ip)
    throttle_reset(LOGIN_ACCOUNT, account)
