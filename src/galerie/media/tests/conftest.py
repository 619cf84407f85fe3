"""Pictures made on the fly for the media tests, and a media folder of each test's own."""

import io

import pytest
from PIL import Image

from galerie.testing.factories import make_category, make_product


def picture(fmt: str = "JPEG", size=(1000, 750), colour=(200, 60, 40), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, fmt)
    return out.getvalue()


def bomb() -> bytes:
    """A PNG of a few kilobytes that would decode into 100 million pixels."""
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000), 0).save(out, "PNG", optimize=True)
    return out.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def product(db):
    return make_product("Les Misérables", category=make_category("Romans", slug="romans"))
