"""Download one feed picture safely: http(s) only, public addresses only (unless the host is in
GALERIE_IMAGE_FETCH_PRIVATE_HOSTS), connected to the address that was checked (no DNS
rebinding between the check and the connection), a timeout, a byte cap and an image content type.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from galerie.media.errors import ImageRefused
from galerie.media.imaging import ACCEPTED_CONTENT_TYPES

MAX_REDIRECTS = 3
CHUNK = 64 * 1024
# Names that did not resolve, with when they failed: a feed's 1,900 pictures on one dead host are
# 1,900 tasks, and each would ask the resolver again. Like a resolver's negative cache (RFC 2308),
# a failure is remembered for a minute in the process.
NEGATIVE_DNS_SECONDS = 60.0
_unresolved: dict[str, float] = {}


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _refuse(message: str, code: str) -> ImageRefused:
    return ImageRefused(message, code=code)


def _address_for(host: str, port: int) -> str:
    """The address to connect to: the first the host resolves to, all of them public (or the
    host allowed to be private)."""
    unresolved = _refuse(_("Adresse introuvable : %(host)s.") % {"host": host}, "fetch_dns")
    failed_at = _unresolved.get(host.lower())
    if failed_at is not None and time.monotonic() - failed_at < NEGATIVE_DNS_SECONDS:
        raise unresolved
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        _unresolved[host.lower()] = time.monotonic()
        raise unresolved from None
    _unresolved.pop(host.lower(), None)
    addresses = [info[4][0] for info in infos]
    if host.lower() not in settings.GALERIE_IMAGE_FETCH_PRIVATE_HOSTS:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global or ip.is_multicast:
                raise _refuse(
                    _("Adresse refusée (réseau privé) : %(host)s.") % {"host": host},
                    "fetch_private",
                )
    return addresses[0]


def image_download(url: str) -> bytes:
    """The body at `url`, if it is an image of an accepted type within the byte cap. Raises
    ImageRefused with a message for people (stored on the image row) otherwise."""
    timeout = settings.GALERIE_IMAGE_FETCH_TIMEOUT
    max_bytes = settings.GALERIE_IMAGE_MAX_BYTES
    deadline = time.monotonic() + timeout
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise _refuse(_("Adresse refusée : http ou https seulement."), "fetch_scheme")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise _refuse(_("Adresse invalide."), "fetch_url") from None
        address = _address_for(parts.hostname, port)
        connection_class = (
            _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
        )
        connection = connection_class(parts.hostname, port, address=address, timeout=timeout)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        try:
            connection.request(
                "GET", path, headers={"User-Agent": "Galerie image fetcher", "Accept": "image/*"}
            )
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location"))
                continue
            if response.status != 200:
                raise _refuse(
                    _("Le serveur de l'image a répondu %(status)d.") % {"status": response.status},
                    "fetch_status",
                )
            kind = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
            if kind not in ACCEPTED_CONTENT_TYPES:
                raise _refuse(
                    _("Ce n'est pas une image JPEG, PNG ou WebP (%(type)s).")
                    % {"type": kind or "?"},
                    "fetch_type",
                )
            length = response.getheader("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise _too_large(max_bytes)
            body = bytearray()
            while chunk := response.read(CHUNK):
                body += chunk
                if len(body) > max_bytes:
                    raise _too_large(max_bytes)
                if time.monotonic() > deadline:
                    raise _refuse(_("Téléchargement trop long."), "fetch_timeout")
            return bytes(body)
        except TimeoutError:
            raise _refuse(_("Téléchargement trop long."), "fetch_timeout") from None
        except (OSError, http.client.HTTPException):
            raise _refuse(_("Le serveur de l'image est injoignable."), "fetch_network") from None
        finally:
            connection.close()
    raise _refuse(_("Trop de redirections."), "fetch_redirects")


def _too_large(max_bytes: int) -> ImageRefused:
    return _refuse(
        _("Image trop lourde : %(max)d Mo au plus.") % {"max": max_bytes // (1024 * 1024)},
        "image_too_large",
    )
