"""Serves product thumbnails at /media/<digest>-<width>.webp, on every host and with DEBUG off.

The URL pattern admits only a 64-hex digest and a thumbnail width, and the file's path is built
from those checked parts: no request path ever reaches the file system. A name's content never
changes (it carries the digest), so browsers and proxies keep it for a year.
"""

from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from galerie.media.services import thumbnail_file

CACHE_CONTROL = "public, max-age=31536000, immutable"


@require_safe
def thumbnail(request, digest: str, width: str):
    path = thumbnail_file(digest=digest, width=int(width))
    if path is None:
        raise Http404("no such picture")
    response = FileResponse(path.open("rb"), content_type="image/webp")
    response["Cache-Control"] = CACHE_CONTROL
    response["Content-Disposition"] = "inline"
    return response
