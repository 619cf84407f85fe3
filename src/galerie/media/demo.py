"""Pictures of the demo catalogue, drawn with Pillow from the product itself: book, record and
film covers from the title, the author and a palette per category; simple product shots per type
(phone, laptop, headphones, television, appliances); a landscape for a trip; a masthead for a
magazine. Deterministic (seeded by the picture's digest), offline, and drawn lazily: the demo
load only writes the rows, each picture is drawn on its first request (~40 ms, 3 WebP sizes).
"""

from __future__ import annotations

import hashlib
import random
import re
import textwrap
import unicodedata
from functools import cache
from pathlib import Path

from django.db.models import Exists, OuterRef
from PIL import Image, ImageDraw, ImageFont

from galerie.catalog.models import AttributeValue, Product
from galerie.media.models import ImageSource, ImageStatus, ProductImage

# Bump to draw every demo picture again (new digests, so no stale cached thumbnail is shown).
DRAWING_VERSION = "1"
WIDTH = 800

# Height of each kind of picture at WIDTH pixels wide, by product type slug.
_HEIGHTS = {
    "livre": 1200,
    "musique": 800,
    "video": 1120,
    "voyage": 560,
    "abonnement-presse": 1060,
}

# Background and ink per category slug; other categories hash into _SPARE.
_PALETTES = {
    "romans": ((122, 31, 61), (250, 236, 214)),
    "policiers-thrillers": ((24, 24, 28), (230, 57, 70)),
    "sf-fantasy": ((20, 33, 88), (152, 222, 255)),
    "bandes-dessinees": ((255, 200, 61), (30, 30, 30)),
    "bd-franco-belge": ((255, 200, 61), (30, 30, 30)),
    "mangas": ((245, 245, 240), (200, 16, 46)),
    "comics": ((0, 92, 175), (255, 230, 0)),
    "jeunesse": ((120, 200, 160), (40, 50, 110)),
    "essais": ((236, 230, 218), (40, 40, 40)),
    "cd": ((40, 20, 60), (255, 170, 80)),
    "vinyles": ((15, 15, 15), (240, 200, 120)),
    "dvd": ((10, 20, 35), (240, 240, 240)),
    "blu-ray": ((0, 40, 100), (230, 240, 255)),
    "magazines": ((255, 255, 255), (200, 20, 40)),
    "quotidiens": ((250, 248, 240), (20, 20, 20)),
}
_SPARE = [
    ((11, 57, 84), (0, 166, 166)),
    ((90, 60, 120), (255, 210, 120)),
    ((35, 80, 60), (240, 220, 170)),
    ((150, 60, 30), (255, 240, 220)),
]
_ATTRIBUTES = ("author", "artist", "director", "brand", "destination", "publication", "colour")
_COLOURS = {
    "noir": (30, 30, 32),
    "blanc": (240, 240, 236),
    "bleu": (40, 80, 160),
    "rouge": (190, 30, 40),
    "vert": (40, 130, 80),
    "gris": (120, 124, 130),
    "argent": (190, 192, 198),
    "or": (212, 175, 95),
    "rose": (230, 150, 170),
    "violet": (110, 70, 160),
    "inox": (180, 184, 188),
}


def demo_picture_size(type_slug: str) -> tuple[int, int]:
    return WIDTH, _HEIGHTS.get(type_slug, WIDTH)


def demo_picture_digest(*, slug: str, title: str, type_slug: str) -> str:
    return hashlib.sha256(f"demo-{DRAWING_VERSION}|{type_slug}|{slug}|{title}".encode()).hexdigest()


def demo_pictures_create() -> int:
    """A ready demo picture row for every product that has no picture yet (nothing is drawn
    here: `galerie demo` stays fast). Returns how many were created."""
    has_image = ProductImage.objects.filter(product=OuterRef("pk"))
    rows = (
        Product.objects.filter(~Exists(has_image))
        .order_by("pk")
        .values_list("pk", "slug", "title", "product_type__slug")
    )
    images = []
    for pk, slug, title, type_slug in rows.iterator(chunk_size=2000):
        width, height = demo_picture_size(type_slug)
        images.append(
            ProductImage(
                product_id=pk,
                source=ImageSource.DEMO,
                status=ImageStatus.READY,
                digest=demo_picture_digest(slug=slug, title=title, type_slug=type_slug),
                width=width,
                height=height,
            )
        )
    ProductImage.objects.bulk_create(images, batch_size=500)
    return len(images)


# --- drawing ------------------------------------------------------------------------------------


# The system's DejaVu or Liberation fonts (Debian's fonts-dejavu-core, pulled in by WeasyPrint's
# Pango) when present; else Pillow's own font, which lacks accents, with the text folded to ASCII.
_FONT_FILES = {
    "sans": (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
    "serif": (
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
}


@cache
def _font_file(style: str) -> str | None:
    return next((f for f in _FONT_FILES[style] if Path(f).is_file()), None)


@cache
def _font(size: int, style: str = "sans") -> ImageFont.FreeTypeFont:
    path = _font_file(style)
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size=size)


def _shown_text(text: str, style: str = "sans") -> str:
    if _font_file(style):
        return text
    folded = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE"))
    return folded.encode("ascii", "ignore").decode()


def _fit(draw, text: str, width: int, size: int, style: str = "sans", smallest: int = 28):
    """The largest font (from `size` down) in which `text` holds on one line of `width`."""
    while size > smallest and draw.textlength(text, font=_font(size, style)) > width:
        size -= 4
    return _font(size, style)


def _wrapped(draw, text: str, font, width: int, max_lines: int) -> list[str]:
    """`text` cut into lines no wider than `width` pixels (at most `max_lines`, the last one
    ending in an ellipsis when cut)."""
    chars = max(6, int(width / max(1.0, font.getlength("n"))))
    lines = textwrap.wrap(text, chars) or [""]
    while any(draw.textlength(line, font=font) > width for line in lines) and chars > 6:
        chars -= 2
        lines = textwrap.wrap(text, chars)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(" ,.;:") + "…"
    return lines


def _text_block(draw, text, *, font, fill, box, max_lines, align="center", spacing=1.2) -> int:
    """Draw `text` wrapped inside `box` (x0, y0, x1); returns the y below it."""
    text = _shown_text(text, "serif" if font.path and "Serif" in str(font.path) else "sans")
    x0, y, x1 = box
    size = font.size
    for line in _wrapped(draw, text, font, x1 - x0, max_lines):
        length = draw.textlength(line, font=font)
        x = x0 + (x1 - x0 - length) / 2 if align == "center" else x0
        draw.text((x, y), line, font=font, fill=fill)
        y += int(size * spacing)
    return y


def _cover_title(product: Product, facts: dict[str, str]) -> str:
    """The title as a cover prints it: without the format in brackets nor the artist's name."""
    title = re.sub(r"\s*\([^)]*\)$", "", product.title)
    for name in (facts.get("artist"), facts.get("author")):
        if name and title.startswith(name):
            title = title[len(name) :].lstrip(" —–-:")
    return title or product.title


def _palette(product: Product) -> tuple[tuple, tuple]:
    slug = product.category.slug
    if slug in _PALETTES:
        return _PALETTES[slug]
    return _SPARE[int(hashlib.sha256(slug.encode()).hexdigest(), 16) % len(_SPARE)]


def _mix(a: tuple, b: tuple, t: float) -> tuple:
    return tuple(int(x + (y - x) * t) for x, y in zip(a, b, strict=False))


def _facts(product: Product) -> dict[str, str]:
    rows = AttributeValue.objects.filter(
        product_id=product.pk, attribute__code__in=_ATTRIBUTES
    ).values_list("attribute__code", "value_text")
    return {code: value for code, value in rows if value}


def demo_picture_draw(product: Product) -> Image.Image:
    """The product's demo picture, the same pixels every time for the same product."""
    type_slug = product.product_type.slug
    digest = demo_picture_digest(slug=product.slug, title=product.title, type_slug=type_slug)
    rng = random.Random(digest)
    size = demo_picture_size(type_slug)
    facts = _facts(product)
    background, ink = _palette(product)
    drawer = {
        "livre": _book,
        "musique": _record,
        "video": _film,
        "voyage": _trip,
        "abonnement-presse": _magazine,
        "smartphone": _phone,
        "ordinateur-portable": _laptop,
        "casque": _headphones,
        "televiseur": _television,
        "lave-linge": _washer,
        "refrigerateur": _fridge,
    }.get(type_slug, _appliance)
    return drawer(product, facts, rng, size, background, ink)


def _canvas(size, colour) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", size, colour)
    return image, ImageDraw.Draw(image)


def _book(product, facts, rng, size, background, ink):
    w, h = size
    image, draw = _canvas(size, background)
    # A few shapes seeded by the book: covers of one category look related, never identical.
    for _ in range(rng.randint(3, 6)):
        r = rng.randint(60, 260)
        x, y = rng.randint(-r, w), rng.randint(int(h * 0.35), h)
        draw.ellipse(
            (x, y, x + r * 2, y + r * 2), fill=_mix(background, ink, rng.uniform(0.1, 0.35))
        )
    draw.rectangle((0, 0, 28, h), fill=_mix(background, (0, 0, 0), 0.3))  # the spine's shadow
    draw.rectangle((60, 90, w - 60, 96), fill=ink)
    y = _text_block(
        draw,
        _cover_title(product, facts),
        font=_font(72, "serif"),
        fill=ink,
        box=(70, 140, w - 70),
        max_lines=5,
    )
    draw.rectangle((60, y + 30, w - 60, y + 36), fill=ink)
    author = facts.get("author", "")
    if author:
        _text_block(
            draw, author, font=_font(44, "serif"), fill=ink, box=(70, h - 200, w - 70), max_lines=2
        )
    return image


def _record(product, facts, rng, size, background, ink):
    w, h = size
    image, draw = _canvas(size, background)
    cx, cy = rng.randint(w // 3, 2 * w // 3), rng.randint(h // 3, 2 * h // 3)
    for i in range(9, 0, -1):
        r = i * 48
        draw.ellipse(
            (cx - r, cy - r, cx + r, cy + r), fill=_mix(background, ink, 0.08 * (10 - i) / 2)
        )
    artist = facts.get("artist", "")
    _text_block(draw, artist.upper(), font=_font(54), fill=ink, box=(50, 50, w - 50), max_lines=2)
    _text_block(
        draw,
        _cover_title(product, facts),
        font=_font(46),
        fill=ink,
        box=(50, h - 170, w - 50),
        max_lines=2,
    )
    return image


def _film(product, facts, rng, size, background, ink):
    w, h = size
    image, draw = _canvas(size, background)
    for y in range(h // 2):  # light from below the title
        draw.line((0, h - y, w, h - y), fill=_mix(background, ink, 0.25 * (1 - y / (h / 2))))
    for _ in range(rng.randint(20, 40)):
        x, y, r = rng.randint(0, w), rng.randint(0, h // 2), rng.randint(1, 3)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=ink)
    director = facts.get("director", "")
    if director:
        _text_block(
            draw, director.upper(), font=_font(34), fill=ink, box=(50, 80, w - 50), max_lines=1
        )
    _text_block(
        draw,
        _cover_title(product, facts).upper(),
        font=_font(70),
        fill=ink,
        box=(50, h * 0.55, w - 50),
        max_lines=4,
    )
    return image


def _trip(product, facts, rng, size, background, ink):
    w, h = size
    top, bottom = rng.choice(
        [
            ((70, 140, 220), (250, 200, 150)),
            ((250, 120, 80), (255, 220, 150)),
            ((30, 60, 120), (120, 190, 230)),
        ]
    )
    image, draw = _canvas(size, top)
    for y in range(h):
        draw.line((0, y, w, y), fill=_mix(top, bottom, y / h))
    sx, sy = rng.randint(100, w - 100), rng.randint(60, h // 3)
    draw.ellipse((sx - 50, sy - 50, sx + 50, sy + 50), fill=(255, 235, 170))
    for layer, shade in enumerate((0.55, 0.7, 0.85)):
        base = int(h * (0.55 + 0.12 * layer))
        points = [(0, h)]
        for x in range(0, w + 100, 100):
            points.append((x, base - rng.randint(0, 120 - 30 * layer)))
        points.append((w, h))
        draw.polygon(points, fill=_mix(bottom, (20, 40, 50), shade))
    destination = facts.get("destination") or product.title
    _text_block(
        draw,
        destination,
        font=_font(64),
        fill=(255, 255, 255),
        box=(40, h - 130, w - 40),
        max_lines=1,
    )
    return image


def _magazine(product, facts, rng, size, background, ink):
    w, h = size
    image, draw = _canvas(size, background)
    masthead = facts.get("publication") or product.title
    draw.rectangle((0, 0, w, 190), fill=ink)
    _text_block(
        draw,
        masthead.upper(),
        font=_fit(draw, masthead.upper(), w - 60, 110),
        fill=background,
        box=(30, 40, w - 30),
        max_lines=1,
    )
    for i in range(4):  # cover lines and a picture block
        y = 260 + i * 70
        draw.rectangle((40, y, 40 + rng.randint(220, 420), y + 26), fill=_mix(background, ink, 0.6))
    draw.rectangle(
        (w // 2, 250, w - 40, h - 160), fill=_mix(background, ink, rng.uniform(0.2, 0.4))
    )
    _text_block(
        draw, product.title, font=_font(40), fill=ink, box=(40, h - 130, w - 40), max_lines=2
    )
    return image


def _shot(product, facts, size):
    """A light studio background; the brand and the title under the object."""
    w, h = size
    image, draw = _canvas(size, (244, 244, 242))
    for y in range(h // 3):
        draw.line(
            (0, h - y, w, h - y), fill=_mix((244, 244, 242), (215, 215, 212), 1 - y / (h / 3))
        )
    brand = facts.get("brand", "")
    if brand:
        _text_block(
            draw,
            brand.upper(),
            font=_font(40),
            fill=(40, 40, 40),
            box=(40, 40, w - 40),
            max_lines=1,
        )
    return image, draw


def _body_colour(facts, rng) -> tuple:
    colour = facts.get("colour", "").lower()
    for name, rgb in _COLOURS.items():
        if name in colour:
            return rgb
    return rng.choice([(30, 30, 32), (180, 184, 188), (240, 240, 236)])


def _phone(product, facts, rng, size, background, ink):
    image, draw = _shot(product, facts, size)
    body = _body_colour(facts, rng)
    draw.rounded_rectangle(
        (270, 130, 530, 690), radius=40, fill=body, outline=(60, 60, 60), width=4
    )
    draw.rounded_rectangle((286, 150, 514, 670), radius=28, fill=_mix(background, ink, 0.3))
    draw.ellipse((392, 162, 408, 178), fill=(20, 20, 20))
    return image


def _laptop(product, facts, rng, size, background, ink):
    image, draw = _shot(product, facts, size)
    body = _body_colour(facts, rng)
    draw.rounded_rectangle((180, 200, 620, 500), radius=14, fill=(40, 40, 44))
    draw.rectangle((196, 216, 604, 484), fill=_mix(background, ink, 0.35))
    draw.polygon([(120, 520), (680, 520), (720, 580), (80, 580)], fill=body, outline=(90, 90, 90))
    draw.rectangle((180, 500, 620, 520), fill=_mix(body, (0, 0, 0), 0.2))
    return image


def _headphones(product, facts, rng, size, background, ink):
    image, draw = _shot(product, facts, size)
    body = _body_colour(facts, rng)
    draw.arc((206, 136, 594, 564), start=180, end=360, fill=(70, 70, 70), width=42)
    draw.arc((210, 140, 590, 560), start=180, end=360, fill=body, width=34)
    for x in (190, 530):
        draw.rounded_rectangle(
            (x, 360, x + 80, 560), radius=36, fill=body, outline=(70, 70, 70), width=4
        )
    return image


def _television(product, facts, rng, size, background, ink):
    image, draw = _shot(product, facts, size)
    draw.rectangle((100, 190, 700, 540), fill=(25, 25, 28))
    draw.rectangle((112, 202, 688, 528), fill=_mix(background, ink, 0.4))
    draw.polygon([(360, 540), (440, 540), (470, 600), (330, 600)], fill=(60, 60, 64))
    return image


def _washer(product, facts, rng, size, background, ink):
    image, draw = _shot(product, facts, size)
    draw.rounded_rectangle(
        (220, 130, 580, 640), radius=16, fill=(250, 250, 250), outline=(150, 150, 150), width=4
    )
    draw.rectangle((220, 130, 580, 210), fill=(225, 225, 225))
    draw.ellipse((300, 280, 500, 480), fill=(190, 200, 210), outline=(110, 110, 110), width=12)
    draw.ellipse((500, 155, 540, 195), fill=(120, 120, 120))
    return image


def _fridge(product, facts, rng, size, background, ink):
    image, draw = _shot(product, facts, size)
    body = _body_colour(facts, rng)
    draw.rounded_rectangle(
        (270, 90, 530, 700), radius=18, fill=body, outline=(120, 120, 120), width=4
    )
    draw.line((270, 300, 530, 300), fill=(120, 120, 120), width=4)
    for y0, y1 in ((140, 260), (340, 480)):
        draw.rounded_rectangle((495, y0, 507, y1), radius=5, fill=(100, 100, 100))
    return image


def _appliance(product, facts, rng, size, background, ink):
    image, draw = _shot(product, facts, size)
    body = _body_colour(facts, rng)
    draw.rounded_rectangle(
        (270, 200, 530, 620), radius=30, fill=body, outline=(90, 90, 90), width=4
    )
    draw.rectangle((310, 420, 490, 560), fill=(40, 40, 40))
    draw.ellipse((370, 250, 430, 310), fill=_mix(background, ink, 0.5))
    _text_block(
        draw, product.title, font=_font(30), fill=(60, 60, 60), box=(60, 680, 740), max_lines=2
    )
    return image
