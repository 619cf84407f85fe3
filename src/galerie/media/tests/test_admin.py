"""The back office adds pictures on the product's page (inline), through product_image_add."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from galerie.media.models import ImageStatus, ProductImage
from galerie.media.tests.conftest import picture

pytestmark = pytest.mark.django_db


def _form_data(html: str) -> dict:
    """The change form's fields as the browser would post them (inputs and selected options)."""
    data = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if not name or (kind and kind.group(1) in ("file", "submit", "checkbox")):
            if name and kind and kind.group(1) == "checkbox" and "checked" in tag:
                data[name.group(1)] = "on"
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = value.group(1) if value else ""
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = body.strip()
    return data


@pytest.fixture
def admin_client_(client):
    user = get_user_model().objects.create_superuser("root", "root@example.fr", "x")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("data", "error"),
    [(picture(), None), (picture("GIF", mode="P"), "JPEG, PNG ou WebP seulement")],
    ids=["jpeg", "gif"],
)
def test_the_product_page_uploads_through_the_service(admin_client_, product, data, error):
    url = f"/admin/catalog/product/{product.pk}/change/"
    html = admin_client_.get(url).content.decode()
    form = _form_data(html)
    prefix = next(k for k in form if k.endswith("-TOTAL_FORMS") and "image" in k).split("-")[0]
    form[f"{prefix}-0-upload"] = SimpleUploadedFile("p.jpg", data)
    form[f"{prefix}-0-alt"] = "Couverture"

    response = admin_client_.post(url, form)

    if error is None:
        assert response.status_code == 302, response.content.decode()[:2000]
        image = ProductImage.objects.get(product=product)
        assert (image.status, image.alt) == (ImageStatus.READY, "Couverture")
    else:
        assert response.status_code == 200 and error in response.content.decode()
        assert not ProductImage.objects.exists()
