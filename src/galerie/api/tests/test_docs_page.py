"""/api/docs works offline and under the site's Content-Security-Policy: Swagger UI's files are
served from the installation (django-ninja ships them), not from a CDN."""

from urllib.parse import urlparse

import pytest
from django.contrib.staticfiles import finders

from galerie.testing.browser import chromium


def test_the_docs_page_loads_swagger_ui_from_the_installation(client):
    response = client.get("/api/docs", HTTP_HOST="localhost")

    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn." not in html
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert finders.find("ninja/swagger-ui-bundle.js")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_docs_page_renders_every_operation_in_a_browser(monkeypatch, live_server):
    port = urlparse(live_server.url).port
    with chromium(monkeypatch) as browser:
        page = browser.new_page()
        blocked = []
        page.on(
            "console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None
        )
        page.goto(f"http://localhost:{port}/api/docs")
        page.wait_for_selector(".opblock", timeout=15_000)
        assert page.locator(".opblock").count() >= 28
        assert blocked == []
