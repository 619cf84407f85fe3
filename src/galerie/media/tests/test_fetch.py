"""Feed pictures fetched from a local HTTP server: accepted, or failed with the reason."""

import http.server
import threading

import pytest

from galerie.media.feeds import feed_images_queue
from galerie.media.imaging import thumbnail_path
from galerie.media.models import ImageSource, ImageStatus, ProductImage
from galerie.media.services import product_image_fetch
from galerie.media.tasks import feed_images_fetch_task
from galerie.media.tests.conftest import picture

JPEG = picture(size=(640, 480))
ROUTES = {
    "/ok.jpg": (200, "image/jpeg", JPEG),
    "/ok-charset.jpg": (200, "image/jpeg; charset=binary", JPEG),
    "/page.html": (200, "text/html", b"<html>hello</html>"),
    "/fake.jpg": (200, "image/jpeg", b"this is not a jpeg at all"),
    "/big.jpg": (200, "image/jpeg", b"\xff\xd8" + b"\0" * 30_000),
    "/gif.gif": (200, "image/gif", picture("GIF", mode="P")),
}


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/ok.jpg")
            self.end_headers()
            return
        status, kind, data = ROUTES.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(settings):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    settings.GALERIE_IMAGE_FETCH_PRIVATE_HOSTS = {"127.0.0.1"}
    settings.GALERIE_IMAGE_MAX_BYTES = 20_000
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _fetched(product, url):
    (image_id,) = feed_images_queue(links=[(product.pk, url)])
    return product_image_fetch(image_id=image_id)


@pytest.mark.parametrize("path", ["/ok.jpg", "/ok-charset.jpg", "/moved"])
def test_a_feed_picture_is_fetched_checked_and_stored(product, server, path):
    image = _fetched(product, server + path)

    assert image.status == ImageStatus.READY and image.source == ImageSource.FEED
    assert (image.width, image.height) == (640, 480)
    assert thumbnail_path(image.digest, 400).exists()
    assert not thumbnail_path(image.digest, 800).exists()  # 640 px: never enlarged


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/missing.jpg", "répondu 404"),
        ("/page.html", "pas une image JPEG, PNG ou WebP (text/html)"),
        ("/gif.gif", "pas une image JPEG, PNG ou WebP (image/gif)"),
        ("/fake.jpg", "pas une image lisible"),
        ("/big.jpg", "trop lourde"),
    ],
)
def test_a_feed_picture_that_cannot_be_used_fails_with_its_reason(
    product, server, media_root, path, words
):
    image = _fetched(product, server + path)

    assert image.status == ImageStatus.FAILED and words in image.error
    assert image.digest == "" and not any(media_root.rglob("*.webp"))


def test_private_addresses_are_refused_unless_allowed(product, server, settings):
    settings.GALERIE_IMAGE_FETCH_PRIVATE_HOSTS = set()  # production's default

    image = _fetched(product, server + "/ok.jpg")

    assert image.status == ImageStatus.FAILED and "réseau privé" in image.error


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://127.0.0.1/x.jpg", "gopher://127.0.0.1/", "http:///x"]
)
def test_only_http_and_https_are_fetched(product, server, url):
    image = _fetched(product, url)

    assert image.status == ImageStatus.FAILED and image.error


def test_a_link_a_product_already_has_is_not_queued_twice(product, server):
    first = feed_images_queue(links=[(product.pk, server + "/ok.jpg")])
    again = feed_images_queue(links=[(product.pk, server + "/ok.jpg"), (product.pk, "")])

    assert len(first) == 1 and again == []


def test_the_task_fetches_every_queued_picture(product, server):
    ids = feed_images_queue(links=[(product.pk, server + "/ok.jpg"), (product.pk, server + "/x")])

    result = feed_images_fetch_task.call(ids)

    assert result == {"ready": 1, "failed": 1}
    assert ProductImage.objects.filter(status=ImageStatus.READY).count() == 1


def test_a_name_that_did_not_resolve_is_not_looked_up_again_for_a_minute(monkeypatch):
    import socket
    import time

    from galerie.media import fetch
    from galerie.media.errors import ImageRefused

    lookups = []

    def getaddrinfo(host, *args, **kwargs):
        lookups.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(fetch.socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(fetch, "_unresolved", {})
    for _ in range(3):
        with pytest.raises(ImageRefused) as refused:
            fetch._address_for("boutique-disparue.example", 443)
        assert refused.value.code == "fetch_dns"
    assert lookups == ["boutique-disparue.example"]

    fetch._unresolved["boutique-disparue.example"] = time.monotonic() - fetch.NEGATIVE_DNS_SECONDS
    with pytest.raises(ImageRefused):
        fetch._address_for("BOUTIQUE-disparue.example", 443)
    assert len(lookups) == 2
