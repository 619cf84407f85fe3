"""Deterministic generator of the demo catalogue: product i is always the same product.

Products are generated in chunks of CHUNK; each chunk has its own seeded `random.Random`, so any
chunk can be generated alone (the loader checks the last one to know whether a load is complete)
and a catalogue of N products is the first N products of any larger one. Nothing here touches
the database: it yields plain specs that `galerie.demo.services` writes in bulk.
"""

import datetime
import random
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache

from django.utils.text import slugify
from stdnum import ean

from galerie.demo import data
from galerie.demo.french import de

SEED = "galerie-demo-1"
CHUNK = 1000
# GTIN bodies carry the product index on 6 digits.
MAX_PRODUCTS = 1_000_000

# Share of each product type in the catalogue (weights, in percent).
TYPE_WEIGHTS = {
    "livre": 40,
    "musique": 10,
    "video": 8,
    "ordinateur-portable": 6,
    "smartphone": 7,
    "lave-linge": 3,
    "refrigerateur": 3,
    "petit-electromenager": 5,
    "casque": 6,
    "televiseur": 5,
    "voyage": 4,
    "abonnement-presse": 3,
}

OPERATOR = "galerie"
BOOKSHOP = "librairie-du-marche"
REFURBISHER = "seconde-vie-tech"
APPLIANCES = "maison-electro"
INDIVIDUAL = "sophie-l"
UNVERIFIED = "bonnes-affaires-express"
TRAVEL_AGENCY = "horizons-voyages"
PUBLISHER = "editions-du-kiosque"

SKU_PREFIX = {
    OPERATOR: "GAL",
    BOOKSHOP: "LDM",
    REFURBISHER: "SVT",
    APPLIANCES: "MEL",
    INDIVIDUAL: "SL",
    UNVERIFIED: "BAE",
    TRAVEL_AGENCY: "HOV",
    PUBLISHER: "EDK",
}

# Loi Darcos (2021) and its 2023 decree: delivery of new books costs at least 3 € TTC below 35 €.
BOOK_DELIVERY_CENTS = 300
# Publication dates are fixed dates before this day, never relative to today.
BOOKS_AS_OF = datetime.date(2026, 11, 1)


@dataclass(slots=True)
class OfferSpec:
    seller: str
    sku: str
    price: Decimal
    delivery_price: Decimal
    condition: str = "new"
    condition_note: str = ""
    stock: int = 0
    lead_time_days: int = 2
    is_active: bool = True
    purchase_cost: Decimal | None = None  # excl. VAT, the operator's own offers only
    departure: "DepartureSpec | None" = None
    plan: "PlanSpec | None" = None


@dataclass(slots=True)
class DepartureSpec:
    """A trip's departure; its date is `offset_days` after the day the demo is loaded (the
    catalogue stays deterministic, the departures stay in the future)."""

    offset_days: int
    capacity: int
    child_price: Decimal | None  # None: no children on this trip
    cost_adult: Decimal | None  # TTC, the operator's departures only
    cost_child: Decimal | None


@dataclass(slots=True)
class PlanSpec:
    publication: str
    issues_per_year: int
    term_months: int
    first_issue_offset: int  # days after loading
    medium: str  # subscriptions.models.Medium


@dataclass(slots=True)
class TravelOptionSpec:
    code: str
    label: str
    price: Decimal
    per_traveller: bool


@dataclass(slots=True)
class TravelSpec:
    destination: str
    duration_days: int
    cancellation_tiers: list[dict] | None  # None: the default schedule
    options: list[TravelOptionSpec] = field(default_factory=list)


@dataclass(slots=True)
class ProductSpec:
    index: int
    product_type: str
    category: str
    title: str
    slug: str
    description: str
    gtin: str | None
    publisher_price: Decimal | None = None
    # How long ago the product entered the catalogue (its created_at), so « nouveautés » sorts
    # meaningfully: a book's publication date, a random age for the rest.
    listed_days: int = 0
    weight_kg: Decimal | None = None
    attributes: dict = field(default_factory=dict)
    offers: list[OfferSpec] = field(default_factory=list)
    travel: TravelSpec | None = None


# --- small helpers ------------------------------------------------------------------------------


def money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def ceil_percent(cents: int, percent: int) -> int:
    """`percent` % of `cents`, rounded up to the cent (never below the legal floor)."""
    return -(-cents * percent // 100)


def retail_cents(euros: int, rng: random.Random) -> int:
    """A shop-like price near `euros`: 549,99 € or 549,00 €."""
    whole = max(1, int(euros))
    return whole * 100 + rng.choice((99, 99, 90, 0))


_SLUG_FIX = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae", "ß": "ss", "'": " "})


def make_slug(title: str, index: int) -> str:
    base = slugify(unicodedata.normalize("NFC", title).translate(_SLUG_FIX))[:200].strip("-")
    return f"{base}-{index}"


def make_ean(type_code: int, index: int) -> str:
    body = f"3760{type_code:02d}{index:06d}"
    return body + ean.calc_check_digit(body)


def make_isbn(publisher: str, index: int) -> str:
    # 978-2 is the French-language ISBN group; the publisher part is invented per publisher.
    body = f"9782{publisher_code(publisher):02d}{index:06d}"
    return body + ean.calc_check_digit(body)


@cache
def _publisher_codes() -> dict[str, int]:
    names = set()
    for publishers, imprints, _price, _pages in data.BOOK_GENRES.values():
        names.update(publishers)
        names.update(imprints)
    codes = {name: 10 + n for n, name in enumerate(sorted(names))}
    assert len(codes) <= 90, "publisher code must stay on two digits"
    return codes


def publisher_code(publisher: str) -> int:
    return _publisher_codes()[publisher]


def skewed(rng: random.Random, items: list):
    """Pick with a long tail: the first items come up far more often (a few bestselling authors,
    many with a single title), as in a real catalogue."""
    return items[int(len(items) * rng.random() ** 3)]


@cache
def _people(pool: str, size: int, japanese: bool = False) -> list[str]:
    rng = random.Random(f"{SEED}:people:{pool}")
    firsts = data.JAPANESE_FIRST if japanese else data.FIRST_NAMES
    lasts = data.JAPANESE_LAST if japanese else data.LAST_NAMES
    size = min(size, len(firsts) * len(lasts))
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < size:
        name = f"{rng.choice(firsts)} {rng.choice(lasts)}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _authors(genre: str) -> list[str]:
    return _people(f"authors:{genre}", 60 if genre == "mangas" else 1500, genre == "mangas")


@cache
def _artists() -> list[str]:
    singers = _people("artists", 600)
    rng = random.Random(f"{SEED}:bands")
    bands = [name for name, _article in data.BAND_HEADS]
    rng.shuffle(bands)
    merged = []
    for n, singer in enumerate(singers):
        merged.append(singer)
        if n % 40 == 0 and bands:
            merged.append(bands.pop())
    return merged


# The article a sentence puts before a band's name (« l'album du Quatuor Ostinato »).
_BAND_ARTICLES = {name: article for name, article in data.BAND_HEADS if article}


# --- distinct names -------------------------------------------------------------------------------
# No two products share a title. Kinds (product types, book genres, trip regions…) are dealt in
# blocks: each block holds every kind its weight's number of times, in a seeded order, so the
# rank of a product among those of its kind (the 12th novel) is known without generating the
# products before it, and chunks stay independent. The n-th product of a kind takes the n-th
# entry of that kind's name space (every combination of its word lists, in a seeded order);
# past the end of the space a new generation of names begins (« … Gen 2 », a film's « 2 »).


@lru_cache(maxsize=256)
def _deal(salt: str, block: int) -> tuple:
    keys = [key for key, weight in _DEALS[salt] for _ in range(weight)]
    random.Random(f"{SEED}:{salt}:{block}").shuffle(keys)
    seen: dict[str, int] = {}
    dealt = []
    for key in keys:
        dealt.append((key, seen.get(key, 0)))
        seen[key] = seen.get(key, 0) + 1
    return tuple(dealt)


def _split(salt: str, n: int) -> tuple[str, int]:
    """The kind of the n-th item of the sequence `salt` (dealt by _DEALS[salt]: kind, share per
    block), and its rank among the items of that kind."""
    size, per_block = _DEAL_SHAPES[salt]
    block, position = divmod(n, size)
    key, rank = _deal(salt, block)[position]
    return key, block * per_block[key] + rank


def _nth(name: str, n: int) -> tuple:
    """The n-th entry of a name space and its generation (0 until the space is used up)."""
    items = _space_items(name)
    generation, position = divmod(n, len(items))
    return items[position], generation


@cache
def _space_items(name: str) -> tuple:
    items = list(dict.fromkeys(_space(name)))
    random.Random(f"{SEED}:space:{name}").shuffle(items)
    return tuple(items)


def _scramble(n: int, digits: int) -> str:
    """A reference number that looks arbitrary, distinct for every n below 10**digits."""
    modulus = 10**digits
    return f"{(n * 48271 + 738291) % modulus:0{digits}d}"


def _roman(number: int) -> str:
    out = ""
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
        (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while number >= value:
            out += letters
            number -= value
    return out


TYPE_DEAL = tuple(TYPE_WEIGHTS.items())
# Share of each genre among books, of each region among trips, of each kind of press title.
BOOK_DEAL = (
    ("romans", 30), ("policiers-thrillers", 18), ("sf-fantasy", 9), ("bd-franco-belge", 9),
    ("mangas", 9), ("comics", 3), ("jeunesse", 14), ("essais", 8),
)  # fmt: skip
TRIP_DEAL = (("sejours-france", 2), ("voyages-europe", 2), ("long-courrier", 1))
PRESS_DEAL = (("magazines", 7), ("quotidiens", 3))
_DEALS = {"types": TYPE_DEAL, "livres": BOOK_DEAL, "voyages": TRIP_DEAL, "presse": PRESS_DEAL}
_DEAL_SHAPES = {
    salt: (sum(weight for _key, weight in deal), dict(deal)) for salt, deal in _DEALS.items()
}


def _book_space(genre: str) -> list[tuple]:
    """(title template, tome, tomes per series, subtitle offset, kind of blurb)."""
    d = data
    if genre == "romans":
        return [(f"{h} {t}", None, 0, 0, genre) for h in d.NOVEL_HEADS for t in d.NOVEL_TAILS]
    if genre == "policiers-thrillers":
        return [(f"{h} {t}", None, 0, 0, genre) for h in d.CRIME_HEADS for t in d.CRIME_TAILS]
    if genre == "sf-fantasy":
        sf = [
            (f"{h} {de(w)} – Tome {{tome}}", t, d.SF_TOMES, 0, "sf")
            for h in d.SF_HEADS for w in d.SF_WORLDS for t in range(1, d.SF_TOMES + 1)
        ]  # fmt: skip
        fantasy = [
            (f"{h} {w} – Tome {{tome}}", t, d.FANTASY_TOMES, 0, "fantasy")
            for h in d.FANTASY_HEADS for w in d.FANTASY_TAILS
            for t in range(1, d.FANTASY_TOMES + 1)
        ]  # fmt: skip
        return sf + fantasy
    if genre == "bd-franco-belge":
        return [
            (f"{hero} – Tome {{tome}} : {{sub}}", t, d.BD_TOMES, 7 * n, genre)
            for n, hero in enumerate(d.BD_HEROES) for t in range(1, d.BD_TOMES + 1)
        ]  # fmt: skip
    if genre == "mangas":
        return [
            (f"{s} – Tome {{tome}}", t, d.MANGA_TOMES, 0, genre)
            for s in d.MANGA_SERIES for t in range(1, d.MANGA_TOMES + 1)
        ]  # fmt: skip
    if genre == "comics":
        return [
            (f"{s} – Volume {{tome}}", t, d.COMICS_VOLUMES, 0, genre)
            for s in d.COMICS_SERIES for t in range(1, d.COMICS_VOLUMES + 1)
        ]  # fmt: skip
    if genre == "jeunesse":
        return [(f"{h} {a}", None, 0, 0, genre) for h in d.YOUTH_HEROES for a in d.YOUTH_ACTIONS]
    return [(f"{h} : {s}", None, 0, 0, "essais") for h in d.ESSAY_HEADS for s in d.ESSAY_SUBS]


def _book_title(entry: tuple, generation: int) -> str:
    template, tome, per_series, offset, _blurb = entry
    if tome is None:
        # A saga's later books: « La Maison au bord du lac, livre II ».
        return f"{template}, livre {_roman(generation + 1)}" if generation else template
    tome += generation * per_series
    subtitles = data.BD_SUBTITLES
    return template.format(tome=tome, sub=subtitles[(offset + tome - 1) % len(subtitles)])


def _music_space() -> list[tuple[str, str]]:
    """(artist, album): the first artists have many albums, most have one; an artist never
    releases two albums of the same name."""
    albums = data.ALBUM_TITLES
    return [
        (artist, albums[(a + b) % len(albums)])
        for a, artist in enumerate(_artists())
        for b in range(max(1, len(albums) // (1 + a // 10)))
    ]


def _laptop_space() -> list[tuple]:
    items = []
    for brand, lines in data.LAPTOPS.items():
        for line, base, size in lines:
            configs = (
                [(8, 128)]
                if "Chromebook" in line
                else [(ram, storage) for ram in (8, 16, 32) for storage in (256, 512, 1024)]
            )
            for cpu in data.LAPTOP_CPUS.get(brand, data.LAPTOP_CPUS["default"]):
                items += [(brand, line, base, size, cpu, ram, st) for ram, st in configs]
    return items


def _trip_space(region: str) -> list[tuple]:
    items = []
    for destination in data.DESTINATIONS[region]:
        for kind in data.TRIP_KINDS:
            if kind == "Croisière" and destination not in data.COASTAL:
                continue
            if kind == "Week-end":
                if region == "long-courrier":
                    continue
                durations = (3,)
            else:
                durations = [d for d in data.TRIP_DAYS if region != "long-courrier" or d >= 8]
            items += [
                (kind, destination, days, board) for days in durations for board in data.TRIP_BOARDS
            ]
    return items


def _press_space(category: str) -> list[tuple]:
    titles = list(data.PUBLICATIONS[category])
    if category == "magazines":
        titles += [
            (f"{name} {theme}", frequency, issues)
            for name, frequency, issues in data.MAGAZINE_NAMES
            for theme in data.MAGAZINE_THEMES
        ]
    else:
        titles += [
            (f"{name} {region}", "Quotidien", 312)
            for name in data.DAILY_NAMES
            for region in data.DAILY_REGIONS
        ]
    return [(title, medium) for title in titles for medium in ("Papier", "Numérique")]


def _space(name: str) -> list:
    kind, _sep, sub = name.partition(":")
    if kind == "livre":
        return _book_space(sub)
    if kind == "musique":
        return _music_space()
    if kind == "video":
        return list(data.FILM_TITLES) + [
            f"{h} {t}" for h in data.FILM_HEADS for t in data.FILM_TAILS
        ]
    if kind == "ordinateur-portable":
        return _laptop_space()
    if kind == "smartphone":
        return [
            (brand, model, base, storage, colour)
            for brand, models in data.PHONES.items()
            for model, base, storages, colours in models
            for storage in storages
            for colour in colours
        ]
    if kind == "casque":
        return [
            (brand, model, base, form, wired, anc, colour)
            for brand, models in data.HEADPHONES.items()
            for model, base, form, wired, anc, colours in models
            for colour in colours
        ]
    if kind == "voyage":
        return _trip_space(sub)
    if kind == "presse":
        return _press_space(sub)
    raise ValueError(f"no name space {name!r}")


def _generation(model: str, generation: int) -> str:
    """A model's name in a later generation of names: « ThinkPad E14 Gen 2 »."""
    return f"{model} Gen {generation + 1}" if generation else model


# --- offers -----------------------------------------------------------------------------------


def _sku(seller: str, index: int, suffix: str = "N") -> str:
    return f"{SKU_PREFIX[seller]}-{index:07d}-{suffix}"


def _stock(rng: random.Random, high: int, sold_out: float = 0.07) -> int:
    return 0 if rng.random() < sold_out else rng.randint(1, high)


def _active(rng: random.Random) -> bool:
    return rng.random() >= 0.02


def _book_offers(rng, index, pp_cents) -> list[OfferSpec]:
    offers = []
    delivery = money(BOOK_DELIVERY_CENTS)
    if rng.random() < 0.88:
        offers.append(
            OfferSpec(
                OPERATOR, _sku(OPERATOR, index), money(pp_cents), delivery,
                stock=_stock(rng, 40), lead_time_days=rng.choice((1, 1, 2)), is_active=_active(rng),
            )
        )  # fmt: skip
    if rng.random() < 0.35:
        # The loi Lang allows at most 5 % off the publisher's price on a new book.
        percent = 95 if rng.random() < 0.6 else rng.choice((96, 97, 98, 100))
        offers.append(
            OfferSpec(
                BOOKSHOP, _sku(BOOKSHOP, index), money(ceil_percent(pp_cents, percent)), delivery,
                stock=_stock(rng, 8), lead_time_days=rng.randint(2, 4), is_active=_active(rng),
            )
        )  # fmt: skip
    if rng.random() < 0.15:
        offers.append(
            OfferSpec(
                BOOKSHOP, _sku(BOOKSHOP, index, "U"),
                money(max(100, pp_cents * rng.randint(25, 60) // 1000 * 10)),
                money(rng.choice((350, 399, 490))), "used", rng.choice(data.USED_BOOK_NOTES),
                stock=1, lead_time_days=rng.randint(2, 4),
            )
        )  # fmt: skip
    if rng.random() < 0.12:
        offers.append(
            OfferSpec(
                INDIVIDUAL, _sku(INDIVIDUAL, index, "U"),
                money(max(100, pp_cents * rng.randint(20, 50) // 1000 * 10)),
                money(rng.choice((350, 420, 520))), "used", rng.choice(data.USED_BOOK_NOTES),
                stock=1, lead_time_days=rng.randint(2, 5),
            )
        )  # fmt: skip
    if rng.random() < 0.06:
        offers.append(
            OfferSpec(
                UNVERIFIED, _sku(UNVERIFIED, index), money(ceil_percent(pp_cents, 95)), delivery,
                stock=rng.randint(50, 500), lead_time_days=12,
            )
        )  # fmt: skip
    return offers


def _disc_offers(rng, index, list_cents, vinyl: bool) -> list[OfferSpec]:
    offers = []
    if rng.random() < 0.85:
        offers.append(
            OfferSpec(
                OPERATOR, _sku(OPERATOR, index), money(list_cents), money(rng.choice((0, 299))),
                stock=_stock(rng, 30), lead_time_days=rng.choice((1, 2)), is_active=_active(rng),
            )
        )  # fmt: skip
    if rng.random() < 0.3:
        offers.append(
            OfferSpec(
                BOOKSHOP, _sku(BOOKSHOP, index),
                money(list_cents * rng.randint(92, 104) // 10000 * 100 + rng.choice((49, 99))),
                money(349), stock=_stock(rng, 6), lead_time_days=rng.randint(2, 4),
            )
        )  # fmt: skip
    notes = data.USED_VINYL_NOTES if vinyl else data.USED_DISC_NOTES
    for seller, chance in ((INDIVIDUAL, 0.15), (BOOKSHOP, 0.1)):
        if rng.random() < chance:
            offers.append(
                OfferSpec(
                    seller, _sku(seller, index, "U"),
                    money(max(100, list_cents * rng.randint(25, 60) // 1000 * 10)),
                    money(rng.choice((350, 420))), "used", rng.choice(notes), stock=1,
                    lead_time_days=rng.randint(2, 5),
                )
            )  # fmt: skip
    if rng.random() < 0.05:
        offers.append(
            OfferSpec(
                UNVERIFIED, _sku(UNVERIFIED, index), money(list_cents * 60 // 100), money(0),
                stock=rng.randint(50, 500), lead_time_days=15,
            )
        )  # fmt: skip
    return offers


def _tech_offers(rng, index, list_cents, *, trader: str, heavy: bool, refurb: float):
    """Offers on electronics and appliances: the operator, one specialist trader, refurbished
    units, and an unverified seller undercutting everyone (which nobody may ever see)."""
    offers = []
    delivery = money(rng.choice((0, 2990, 3990, 4990))) if heavy else money(rng.choice((0, 0, 499)))
    if rng.random() < 0.8:
        offers.append(
            OfferSpec(
                OPERATOR, _sku(OPERATOR, index), money(list_cents), delivery,
                stock=_stock(rng, 25, 0.08), lead_time_days=rng.choice((1, 2, 3)),
                is_active=_active(rng),
            )
        )  # fmt: skip
    if rng.random() < 0.45:
        cents = list_cents * rng.randint(92, 103) // 100 // 100 * 100 + 99
        offers.append(
            OfferSpec(
                trader, _sku(trader, index), money(cents), delivery,
                stock=_stock(rng, 12, 0.1), lead_time_days=rng.randint(2, 6),
                is_active=_active(rng),
            )
        )  # fmt: skip
    if rng.random() < refurb:
        notes = data.REFURBISHED_APPLIANCE_NOTES if heavy else data.REFURBISHED_NOTES
        note = rng.choice(notes)
        cents = list_cents * rng.randint(60, 85) // 100 // 100 * 100 + 90
        offers.append(
            OfferSpec(
                REFURBISHER, _sku(REFURBISHER, index, "R"), money(cents), delivery,
                "refurbished", note, stock=_stock(rng, 5, 0.15), lead_time_days=rng.randint(1, 3),
            )
        )  # fmt: skip
    if rng.random() < 0.12:
        offers.append(
            OfferSpec(
                UNVERIFIED, _sku(UNVERIFIED, index),
                money(list_cents * 55 // 100 // 100 * 100 + 99), money(0),
                stock=rng.randint(100, 999), lead_time_days=20,
            )
        )  # fmt: skip
    return offers


# --- product types --------------------------------------------------------------------------------


def _book(rng: random.Random, index: int, n: int) -> ProductSpec:
    genre, rank = _split("livres", n)
    publishers, imprints, (lo, hi), (pmin, pmax) = data.BOOK_GENRES[genre]
    author = skewed(rng, _authors(genre))
    entry, generation = _nth(f"livre:{genre}", rank)
    title = _book_title(entry, generation)

    binding = "Broché"
    publisher = rng.choice(publishers)
    pp_cents = rng.randint(lo // 10, hi // 10) * 10
    if imprints and rng.random() < 0.35:
        binding, publisher = "Poche", rng.choice(imprints)
        pp_cents = rng.randint(60, 109) * 10
    elif genre in ("bd-franco-belge", "comics") or rng.random() < 0.08:
        binding = "Relié"
        if genre not in ("bd-franco-belge", "comics"):
            pp_cents = pp_cents * 13 // 10
    pp_cents = pp_cents // 10 * 10 + rng.choice((0, 0, 0, 5, -10)) if pp_cents > 100 else pp_cents
    language = "français"
    published_on = BOOKS_AS_OF - datetime.timedelta(days=rng.randint(1, 365 * 12))
    pitch = rng.choice(data.BOOK_PITCHES[entry[-1]])
    if genre == "jeunesse":
        pitch += f" Dès {rng.choice((3, 4, 5, 6, 8))} ans."
    praise = rng.choice(data.BOOK_PRAISE)
    pages = rng.randint(pmin, pmax)
    description = (
        f"{title}, {de(author)} ({publisher}, {published_on.year}). {pitch}"
        + (f" {praise}" if praise else "")
        + f"\n\n{binding}, {pages} pages."
    )
    gtin = make_isbn(publisher, index)
    return ProductSpec(
        index=index,
        product_type="livre",
        category=genre,
        title=title,
        slug=make_slug(f"{title} {author}", index),
        description=description,
        gtin=gtin,
        publisher_price=money(pp_cents),
        listed_days=(BOOKS_AS_OF - published_on).days,
        attributes={
            "author": author,
            "publisher": publisher,
            "binding": binding,
            "pages": pages,
            "language": language,
            "published_on": published_on,
        },
        offers=_book_offers(rng, index, pp_cents),
    )


def _music(rng: random.Random, index: int, n: int) -> ProductSpec:
    vinyl = rng.random() < 0.3
    fmt = "Vinyle" if vinyl else "CD"
    (artist, album), generation = _nth("musique", n)
    classical = artist in data.CLASSICAL_BANDS or album in data.CLASSICAL_ALBUMS
    if generation:
        album = f"{album}, vol. {generation + 1}"
    genre = "Classique" if classical else rng.choice(data.MUSIC_GENRES)
    label = rng.choice(data.GENRE_LABELS.get(genre, data.LABELS))
    year = rng.randint(1965, 2026)
    list_cents = rng.randint(19, 39) * 100 + 99 if vinyl else rng.randint(9, 19) * 100 + 99
    title = f"{artist} – {album} ({fmt})"
    named = _BAND_ARTICLES.get(artist, "") + artist  # « du Quatuor Ostinato »
    description = (
        f"{album}, l'album {de(named)} paru en {year} chez {label}. "
        f"{data.MUSIC_PITCHES[genre]} {rng.randint(8, 16)} titres"
        + (", pressage 180 g." if vinyl else ", livret inclus.")
        + (" Édition remasterisée." if year < 1995 and rng.random() < 0.5 else "")
    )
    return ProductSpec(
        index=index,
        product_type="musique",
        category="vinyles" if vinyl else "cd",
        title=title,
        slug=make_slug(title, index),
        description=description,
        gtin=make_ean(1, index),
        attributes={"artist": artist, "label": label, "format": fmt, "genre": genre, "year": year},
        offers=_disc_offers(rng, index, list_cents, vinyl),
    )


def _video(rng: random.Random, index: int, n: int) -> ProductSpec:
    bluray = rng.random() < 0.4
    fmt = "Blu-ray" if bluray else "DVD"
    film, generation = _nth("video", n)
    if generation:
        film = f"{film} {generation + 1}"  # the sequel
    director = skewed(rng, _people("directors", 400))
    genre = rng.choice(data.FILM_GENRES)
    year = rng.randint(1960, 2026)
    duration = rng.randint(78, 172)
    list_cents = rng.randint(12, 29) * 100 + 99 if bluray else rng.randint(6, 19) * 100 + 99
    title = f"{film} ({fmt})"
    noun = data.FILM_NOUNS.get(genre, "un film")
    description = (
        f"{film}, {noun} {de(director)} ({year}, {duration} min). {data.FILM_PITCHES[genre]} "
        "En version française et en version originale sous-titrée."
        + (" Bonus : making-of et scènes coupées." if rng.random() < 0.5 else "")
    )
    return ProductSpec(
        index=index,
        product_type="video",
        category="blu-ray" if bluray else "dvd",
        title=title,
        slug=make_slug(f"{film} {director} {fmt}", index),
        description=description,
        gtin=make_ean(2, index),
        attributes={
            "director": director,
            "format": fmt,
            "genre": genre,
            "duration": duration,
            "year": year,
        },
        offers=_disc_offers(rng, index, list_cents, False),
    )


def _laptop(rng: random.Random, index: int, n: int) -> ProductSpec:
    (brand, line, base, size_text, cpu, ram, storage), generation = _nth("ordinateur-portable", n)
    line = _generation(line, generation)
    size = Decimal(size_text)
    touch = "x360" in line or "Yoga" in line
    os_name = "macOS" if brand == "Apple" else "ChromeOS" if "Chromebook" in line else "Windows 11"
    price = base + (ram - 8) * 12 + (storage - 256) // 256 * 80 + generation * 20
    ref = rng.choice(("82", "9A", "NX", "MR", "FB")) + _scramble(n, 6) + "FR"
    size_text = size_text.replace(".", ",")
    storage_text = "1 To" if storage == 1024 else f"{storage} Go"
    title = f'{brand} {line} {size_text}" {cpu}, {ram} Go, {storage_text} SSD ({ref})'
    description = (
        f"Ordinateur portable {brand} {line} avec écran de {size_text} pouces"
        + (" tactile" if touch else "")
        + f", processeur {cpu}, {ram} Go de mémoire vive et SSD de {storage_text}. "
        f"Livré avec {os_name}"
        + (", clavier AZERTY." if brand != "Apple" else ", clavier AZERTY français.")
    )
    return ProductSpec(
        index=index,
        product_type="ordinateur-portable",
        category="ordinateurs-portables",
        title=title,
        slug=make_slug(title, index),
        description=description,
        gtin=make_ean(3, index),
        attributes={
            "brand": brand,
            "screen_size": size,
            "ram": ram,
            "storage": storage,
            "processor": cpu,
            "touch_screen": touch,
            "os": os_name,
        },
        offers=_tech_offers(
            rng, index, retail_cents(price, rng), trader=REFURBISHER, heavy=False, refurb=0.45
        ),
    )


def _phone(rng: random.Random, index: int, n: int) -> ProductSpec:
    (brand, model, base, storage, colour), generation = _nth("smartphone", n)
    five_g = model not in data.NO_5G_PHONES
    model = _generation(model, generation)
    size = Decimal(rng.choice(("6.1", "6.2", "6.4", "6.6", "6.7")))
    price = base + (storage - 128) // 128 * 110 + generation * 20
    full = f"{brand} {model}" if not model.startswith(brand) else model
    title = f"Smartphone {full} {storage} Go {colour.lower()}"
    description = (
        f"{full} : écran de {format(size, 'f').replace('.', ',')} pouces, {storage} Go de stockage"
        + (", compatible 5G" if five_g else "")
        + f", coloris {colour.lower()}. Débloqué tout opérateur, chargeur vendu séparément."
    )
    return ProductSpec(
        index=index,
        product_type="smartphone",
        category="smartphones",
        title=title,
        slug=make_slug(title, index),
        description=description,
        gtin=make_ean(4, index),
        attributes={
            "brand": brand,
            "storage": storage,
            "screen_size": size,
            "colour": colour,
            "five_g": five_g,
        },
        offers=_tech_offers(
            rng, index, retail_cents(price, rng), trader=REFURBISHER, heavy=False, refurb=0.5
        ),
    )


def _washer(rng: random.Random, index: int, n: int) -> ProductSpec:
    brand = rng.choice(data.WASHERS)
    loading = "Top" if rng.random() < 0.2 else "Hublot"
    capacity = rng.choice((6, 7, 8, 9, 10, 11)) if loading == "Hublot" else rng.choice((6, 7))
    energy = rng.choices(data.ENERGY_CLASSES, weights=(40, 25, 15, 10, 5, 3, 2), k=1)[0]
    spin = rng.choice((1200, 1400, 1400, 1600))
    # The manufacturer's reference tells every model apart, as on a real shelf.
    ref = brand[:2].upper() + _scramble(n, 5) + rng.choice(("FR", "EU", "FRA"))
    price = 199 + capacity * 25 + (7 - data.ENERGY_CLASSES.index(energy)) * 25 + (spin - 1200) // 4
    if brand == "Miele":
        price = price * 2
    title = f"Lave-linge {loading.lower()} {brand} {ref} {capacity} kg – classe {energy}"
    description = (
        f"Lave-linge à chargement {'frontal' if loading == 'Hublot' else 'par le dessus'} de "
        f"{capacity} kg, essorage {spin} tr/min, classe énergétique {energy}. "
        "Départ différé, programme rapide 15 min. Livraison et mise en service possibles."
    )
    return ProductSpec(
        index=index,
        product_type="lave-linge",
        category="lave-linge",
        title=title,
        slug=make_slug(title, index),
        description=description,
        gtin=make_ean(5, index),
        attributes={
            "brand": brand,
            "capacity": capacity,
            "energy_class": energy,
            "spin_speed": spin,
            "loading": loading,
        },
        offers=_tech_offers(
            rng, index, retail_cents(price, rng), trader=APPLIANCES, heavy=True, refurb=0.1
        ),
    )


def _fridge(rng: random.Random, index: int, n: int) -> ProductSpec:
    brand = rng.choice(data.FRIDGES)
    kind = rng.choices(("Combiné", "Américain", "Une porte", "Table top"), (50, 15, 20, 15))[0]
    volume = {"Combiné": (250, 400), "Américain": (500, 650), "Une porte": (180, 380)}.get(
        kind, (90, 140)
    )
    litres = rng.randint(*volume) // 5 * 5
    energy = rng.choices(data.ENERGY_CLASSES, weights=(8, 15, 30, 25, 14, 6, 2), k=1)[0]
    no_frost = kind in ("Combiné", "Américain") and rng.random() < 0.7
    price = 199 + litres * 12 // 10 + (7 - data.ENERGY_CLASSES.index(energy)) * 30
    ref = brand[:3].upper() + _scramble(n, 5)
    kind_text = {"Combiné": "combiné", "Américain": "américain", "Une porte": "1 porte"}.get(
        kind, "table top"
    )
    title = f"Réfrigérateur {kind_text} {brand} {ref} {litres} L – classe {energy}"
    description = (
        f"Réfrigérateur {kind_text} de {litres} litres, classe énergétique {energy}"
        + (", froid ventilé No Frost : plus de dégivrage." if no_frost else ", froid statique.")
        + " Éclairage LED, clayettes en verre."
    )
    return ProductSpec(
        index=index,
        product_type="refrigerateur",
        category="refrigerateurs",
        title=title,
        slug=make_slug(title, index),
        description=description,
        gtin=make_ean(6, index),
        attributes={
            "brand": brand,
            "volume": litres,
            "energy_class": energy,
            "fridge_kind": kind,
            "no_frost": no_frost,
        },
        offers=_tech_offers(
            rng, index, retail_cents(price, rng), trader=APPLIANCES, heavy=True, refurb=0.08
        ),
    )


def _small_appliance(rng: random.Random, index: int, n: int) -> ProductSpec:
    coffee = rng.random() < 0.55
    catalogue = data.COFFEE if coffee else data.VACUUMS
    brand = rng.choice(list(catalogue))
    kind = rng.choice(catalogue[brand])
    colour = rng.choice(("Noir", "Blanc", "Inox", "Rouge", "Gris"))
    ref = brand[:2].upper() + _scramble(n, 5)
    if "expresso broyeur" in kind:
        power, price = 1450, rng.randint(299, 899)
    elif "robot" in kind:
        power, price = rng.choice((45, 65)), rng.randint(249, 1199)
    elif "Aspirateur" in kind:
        power, price = rng.choice((150, 450, 750, 900)), rng.randint(129, 699)
    elif "Bouilloire" in kind:
        power, price = 2200, rng.randint(29, 169)
    else:
        power, price = rng.choice((1000, 1200, 1500)), rng.randint(39, 229)
    title = f"{kind} {brand} {ref} {colour.lower()}"
    description = f"{kind} {brand} {ref}, {power} W, coloris {colour.lower()}. Garantie 2 ans."
    return ProductSpec(
        index=index,
        product_type="petit-electromenager",
        category="cafetieres" if coffee else "aspirateurs",
        title=title,
        slug=make_slug(title, index),
        description=description,
        gtin=make_ean(7, index),
        attributes={"brand": brand, "power": power, "colour": colour},
        offers=_tech_offers(
            rng, index, retail_cents(price, rng), trader=APPLIANCES, heavy=False, refurb=0.12
        ),
    )


def _headphone(rng: random.Random, index: int, n: int) -> ProductSpec:
    (brand, model, base, form, wired, anc, colour), generation = _nth("casque", n)
    model = _generation(model, generation)
    intra = form == "Intra-auriculaire"
    noun = "Écouteurs sans fil" if intra else "Casque"
    title = f"{noun} {brand} {model} – {colour}"
    hours = 0 if wired else rng.choice((6, 8, 24, 30, 40, 60) if not intra else (5, 6, 8, 10))
    kind = "Écouteurs intra-auriculaires" if intra else f"Casque {form.lower()}"
    description = (
        f"{kind} {brand} {model}, coloris {colour}"
        + (", filaire" if wired else f", Bluetooth, jusqu'à {hours} h d'autonomie")
        + (", réduction de bruit active." if anc else ".")
    )
    return ProductSpec(
        index=index,
        product_type="casque",
        category="casques",
        title=title,
        slug=make_slug(title, index),
        description=description,
        gtin=make_ean(8, index),
        attributes={
            "brand": brand,
            "form": form,
            "wireless": not wired,
            "noise_cancelling": anc,
            "battery_hours": hours,
        },
        offers=_tech_offers(
            rng, index, retail_cents(base + generation * 10, rng), trader=APPLIANCES, heavy=False,
            refurb=0.25,
        ),
    )  # fmt: skip


def _tv(rng: random.Random, index: int, n: int) -> ProductSpec:
    brand = rng.choice(list(data.TV_BRANDS))
    tech = rng.choice(data.TV_BRANDS[brand])
    size = rng.choice(data.TV_SIZES if tech in ("LED", "QLED") else data.TV_SIZES[3:])
    resolution = "HD" if size == 32 else "4K UHD" if size < 75 or rng.random() < 0.9 else "8K"
    year = rng.choice((2023, 2024, 2025, 2026))
    ref = f"{tech.replace(' ', '')[:4].upper()}{size}{_scramble(n, 5)}"
    price = {"LED": 6, "QLED": 9, "Mini LED": 12, "OLED": 18}[tech] * size * size // 40 + 149
    if resolution == "8K":
        price *= 2
    cm = round(size * 2.54)
    title = f'TV {tech} {brand} {size}" ({cm} cm) {resolution} {ref}'
    description = (
        f"Téléviseur {tech} {brand} de {size} pouces ({cm} cm), définition {resolution}, "
        f"modèle {year}. Smart TV, HDR, {rng.choice((3, 4))} ports HDMI."
    )
    return ProductSpec(
        index=index,
        product_type="televiseur",
        category="televiseurs",
        title=title,
        slug=make_slug(title, index),
        description=description,
        gtin=make_ean(9, index),
        attributes={
            "brand": brand,
            "screen_size": size,
            "resolution": resolution,
            "technology": tech,
            "year": year,
        },
        offers=_tech_offers(
            rng, index, retail_cents(price, rng), trader=APPLIANCES, heavy=size >= 55, refurb=0.15
        ),
    )


# A departure's purchase cost, in percent of its price: what the operator keeps is 15–25 %.
_TRIP_COST_PERCENT = (75, 85)
# Fee schedule of the stricter packages (cruises, some long-haul circuits): the default one is
# travel.models.default_cancellation_tiers.
STRICT_CANCELLATION = [
    {"days_before": 45, "percent": 50},
    {"days_before": 15, "percent": 75},
    {"days_before": 0, "percent": 100},
]


def _departures(rng: random.Random, index: int, seller: str, base: int, *, children: bool):
    """Departures through the next 12 months (offsets from the day the demo is loaded), each an
    offer whose price is the adult fare and whose stock is the seats left: some nearly full, a
    few sold out."""
    offers = []
    # Spread over the whole year ahead: 4 to 12 departures, evenly spaced.
    every = 360 // rng.randint(4, 12)
    capacity = rng.choice((12, 16, 20, 24, 30, 40))
    for offset in range(rng.randint(2, every), 365, every):
        fare = retail_cents(base * rng.randint(90, 118) // 10000, rng)
        roll = rng.random()
        if roll < 0.07:
            seats = 0  # sold out
        elif roll < 0.25:
            seats = rng.randint(1, 3)  # nearly full
        else:
            seats = rng.randint(4, capacity)
        child = fare * rng.randint(60, 75) // 10000 * 100 + 90 if children else None
        cost_adult = cost_child = None
        if seller == OPERATOR:
            cost_adult = money(fare * rng.randint(*_TRIP_COST_PERCENT) // 100)
            cost_child = money(child * rng.randint(*_TRIP_COST_PERCENT) // 100) if child else None
        offers.append(
            OfferSpec(
                seller, _sku(seller, index, f"D{len(offers) + 1:02d}"), money(fare), money(0),
                stock=seats, lead_time_days=0,
                departure=DepartureSpec(
                    offset_days=offset, capacity=capacity,
                    child_price=money(child) if child else None,
                    cost_adult=cost_adult, cost_child=cost_child,
                ),
            )
        )  # fmt: skip
    return offers


def _trip(rng: random.Random, index: int, n: int) -> ProductSpec:
    region, rank = _split("voyages", n)
    (kind, destination, days, board), generation = _nth(f"voyage:{region}", rank)
    where = data.DESTINATION_IN[destination]
    transport = region != "sejours-france" or rng.random() < 0.4
    per_day = {"sejours-france": 95, "voyages-europe": 130, "long-courrier": 190}[region]
    price = per_day * days + (350 if transport and region == "long-courrier" else 0)
    # Circuits and weekends without children in a fifth of the trips.
    children = kind in ("Séjour", "Croisière") or rng.random() < 0.8
    title = f"{kind} {where} – {days} jours, {board.lower()}" + (
        f" (formule {generation + 1})" if generation else ""
    )
    description = (
        f"{kind} de {days} jours ({days - 1} nuits) {where}, formule {board.lower()}"
        + (", vols aller-retour et transferts inclus." if transport else ", transport libre.")
        + " Prix par personne en chambre double, taxes comprises."
        + ("" if children else " Réservé aux adultes.")
    )
    seller = TRAVEL_AGENCY if rng.random() < 0.25 else OPERATOR
    strict = kind == "Croisière" or (region == "long-courrier" and rng.random() < 0.3)
    options = [
        TravelOptionSpec(
            "assurance-annulation",
            "Assurance annulation",
            money(max(25, price * 4 // 100) * 100),
            per_traveller=True,
        )
    ]
    if kind != "Croisière" or rng.random() < 0.5:
        options.insert(
            0,
            TravelOptionSpec(
                "chambre-individuelle", "Chambre individuelle",
                money(days * rng.choice((25, 30, 35, 45)) * 100), per_traveller=False,
            ),
        )  # fmt: skip
    return ProductSpec(
        index=index,
        product_type="voyage",
        category=region,
        title=title,
        slug=make_slug(f"{kind} {destination} {days} jours", index),
        description=description,
        gtin=None,
        attributes={
            "destination": destination,
            "duration_days": days,
            "board": board,
            "transport_included": transport,
        },
        travel=TravelSpec(
            destination=destination,
            duration_days=days,
            cancellation_tiers=STRICT_CANCELLATION if strict else None,
            options=options,
        ),
        offers=_departures(rng, index, seller, price * 100, children=children),
    )


# Share of the newsstand price a subscriber pays, by term: the longer, the cheaper per issue.
_TERM_PERCENT = {3: 85, 6: 78, 12: 70}
# Days between two issues, by frequency: the first issue comes within one period of loading.
_ISSUE_EVERY = {
    "Quotidien": 1, "Hebdomadaire": 7, "Mensuel": 30, "Bimestriel": 60, "Trimestriel": 90,
}  # fmt: skip


def _subscription(rng: random.Random, index: int, n: int) -> ProductSpec:
    category, rank = _split("presse", n)
    ((publication, frequency, issues), medium), generation = _nth(f"presse:{category}", rank)
    if generation:
        publication = f"{publication}, édition {generation + 1}"
    per_issue = {"Quotidien": 190, "Hebdomadaire": 390}.get(frequency, 650)  # cents
    factor = {"Papier": 100, "Numérique": 55}[medium]
    first_issue = rng.randint(1, _ISSUE_EVERY[frequency] + 1)
    title = f"Abonnement {publication} – {medium.lower()}"
    description = (
        f"{publication} ({frequency.lower()}, {issues} numéros par an) en version {medium.lower()}"
        ", pour 3, 6 ou 12 mois : jusqu'à 30 % d'économie sur le prix au numéro. "
        "Reconduction tacite seulement si vous la choisissez, résiliable en trois clics."
    )

    def plans(seller: str, terms: tuple[int, ...]) -> list[OfferSpec]:
        offers = []
        for months in terms:
            cents = per_issue * issues * months * factor * _TERM_PERCENT[months] // (12 * 100 * 100)
            offers.append(
                OfferSpec(
                    seller, _sku(seller, index, f"A{months:02d}"),
                    # To the ten cents, minus one (12,49 €): rounding to the euro would let a
                    # cheap digital title cost more per month on a longer term.
                    money(max(99, cents // 10 * 10 - 1)), money(0),
                    stock=9999, lead_time_days=7,
                    plan=PlanSpec(
                        publication=publication, issues_per_year=issues, term_months=months,
                        first_issue_offset=first_issue,
                        medium="digital" if medium == "Numérique" else "print",
                    ),
                )
            )  # fmt: skip
        return offers

    offers = plans(OPERATOR, (3, 6, 12)) if rng.random() < 0.8 else []
    if not offers or rng.random() < 0.35:
        offers += plans(PUBLISHER, (6, 12))
    return ProductSpec(
        index=index,
        product_type="abonnement-presse",
        category=category,
        title=title,
        slug=make_slug(title, index),
        description=description,
        gtin=None,
        attributes={
            "publication": publication,
            "issues_per_year": issues,
            "frequency": frequency,
            "medium": medium,
        },
        offers=offers,
    )


_BUILDERS = {
    "livre": _book,
    "musique": _music,
    "video": _video,
    "ordinateur-portable": _laptop,
    "smartphone": _phone,
    "lave-linge": _washer,
    "refrigerateur": _fridge,
    "petit-electromenager": _small_appliance,
    "casque": _headphone,
    "televiseur": _tv,
    "voyage": _trip,
    "abonnement-presse": _subscription,
}


_GRAM = Decimal("0.001")
_SMALL_APPLIANCE_KG = {
    "Machine expresso broyeur": "9.2", "Machine à café à capsules": "3.4",
    "Cafetière filtre programmable": "2.1", "Cafetière filtre": "1.8",
    "Cafetière filtre années 50": "2.6", "Bouilloire": "1.1", "Bouilloire années 50": "1.4",
    "Aspirateur balai sans fil": "2.9", "Aspirateur traîneau sans sac": "6.1",
    "Aspirateur traîneau avec sac": "5.4", "Aspirateur robot laveur": "4.2",
    "Aspirateur robot": "3.4",
}  # fmt: skip
# Share of the price excl. VAT the operator pays its supplier: booksellers get about a third
# off the publisher's price, electronics margins are thin.
_COST_SHARE = {
    "livre": Decimal("0.64"), "musique": Decimal("0.70"), "video": Decimal("0.68"),
    "ordinateur-portable": Decimal("0.86"), "smartphone": Decimal("0.84"),
    "lave-linge": Decimal("0.74"), "refrigerateur": Decimal("0.74"),
    "petit-electromenager": Decimal("0.70"), "casque": Decimal("0.72"),
    "televiseur": Decimal("0.82"), "voyage": Decimal("0.80"),  # unused: departures carry costs
    "abonnement-presse": Decimal("0.55"),
}  # fmt: skip
_VAT = {"livre": Decimal("1.055"), "abonnement-presse": Decimal("1.021")}


def _weight(spec: ProductSpec) -> Decimal | None:
    """Shipping weight from the product's own attributes (no random draw: adding it left every
    earlier product unchanged)."""
    a = spec.attributes
    kind = spec.product_type
    if kind == "livre":
        per_page = Decimal("0.0006") if a["binding"] == "Poche" else Decimal("0.0011")
        return (Decimal("0.04") + per_page * a["pages"]).quantize(_GRAM)
    if kind == "musique":
        return Decimal("0.32") if a["format"] == "Vinyle" else Decimal("0.11")
    if kind == "video":
        return Decimal("0.10")
    if kind == "ordinateur-portable":
        return (a["screen_size"] * Decimal("0.13") - Decimal("0.35")).quantize(_GRAM)
    if kind == "smartphone":
        return Decimal("0.195")
    if kind == "lave-linge":
        return Decimal(58 + 2 * a["capacity"])
    if kind == "refrigerateur":
        return (Decimal(a["volume"]) * Decimal("0.19")).quantize(_GRAM)
    if kind == "petit-electromenager":
        for name, kg in sorted(_SMALL_APPLIANCE_KG.items(), key=lambda kv: -len(kv[0])):
            if spec.title.startswith(name):
                return Decimal(kg)
        return Decimal("2.0")
    if kind == "casque":
        return {"Intra-auriculaire": Decimal("0.06"), "Supra-auriculaire": Decimal("0.19")}.get(
            a["form"], Decimal("0.29")
        )
    if kind == "televiseur":
        return (Decimal(a["screen_size"] ** 2) * Decimal("0.0055")).quantize(_GRAM)
    return None  # travel and subscriptions are not shipped parcels


def _finish(spec: ProductSpec) -> None:
    spec.weight_kg = _weight(spec)
    vat = _VAT.get(spec.product_type, Decimal("1.2"))
    share = _COST_SHARE[spec.product_type]
    for offer in spec.offers:
        if offer.seller != OPERATOR:
            continue
        if offer.departure is not None:
            # Under the travel agents' margin scheme no VAT on the cost is recovered: the adult
            # seat's cost incl. VAT is the operator's whole cost (the booking keeps the exact
            # cost of its adults and children).
            offer.purchase_cost = offer.departure.cost_adult
        else:
            offer.purchase_cost = (offer.price / vat * share).quantize(Decimal("0.01"))


def chunk_specs(chunk: int, stop: int | None = None) -> list[ProductSpec]:
    """Products chunk*CHUNK … (chunk+1)*CHUNK - 1 (or up to `stop`, exclusive)."""
    rng = random.Random(f"{SEED}:chunk:{chunk}")
    first = chunk * CHUNK
    last = first + CHUNK if stop is None else min(first + CHUNK, stop)
    specs = []
    for index in range(first, last):
        type_slug, n = _split("types", index)
        spec = _BUILDERS[type_slug](rng, index, n)
        if not spec.listed_days:
            spec.listed_days = rng.randint(0, 720)
        _finish(spec)
        specs.append(spec)
    return specs


def product_specs(count: int):
    """The first `count` products of the demo catalogue, chunk by chunk (lists of specs)."""
    if not 0 <= count <= MAX_PRODUCTS:
        raise ValueError(f"count must be between 0 and {MAX_PRODUCTS}")
    for chunk in range((count + CHUNK - 1) // CHUNK):
        yield chunk_specs(chunk, stop=count)
