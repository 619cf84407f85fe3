"""The ceiling for bench/pages.py: a bare Django view returning a fixed 10 KB page.

No apps, no middleware, no database, no templates: what Django and gunicorn cost on their own.
Served exactly like Galerie (gunicorn, sync workers, one thread each, access log off):
    python -m gunicorn --chdir bench/bare bare:application --workers 2 --bind 127.0.0.1:8901
"""

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import path

_HEAD = '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Plafond</title></head>'
_PARAGRAPH = "<p>Galerie : page fixe de dix kilo-octets servie par une vue Django nue.</p>\n"
_TAIL = "</body></html>\n"
_BODY_ROOM = 10 * 1024 - len(_HEAD) - len("<body>") - len(_TAIL)
BODY = (
    _HEAD + "<body>" + (_PARAGRAPH * (_BODY_ROOM // len(_PARAGRAPH) + 1))[:_BODY_ROOM] + _TAIL
).encode()
assert len(BODY) == 10 * 1024, len(BODY)

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    SECRET_KEY="bench-only-not-secret",  # noqa: S105
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_I18N=False,
)
django.setup()


def page(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [path("", page)]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
