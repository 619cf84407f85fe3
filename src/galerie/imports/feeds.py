"""Streaming readers for Google Merchant Center feeds: TSV/CSV text and RSS 2.0 XML (`g:` names).

Rows come out one at a time as (row number, {column: value}); row 1 is the first data row (the
numbering gen_feed.py uses for its fault lists). Nothing holds more than one row: memory stays flat.
UTF-8 with or without BOM, LF or CRLF line ends. XML goes through defusedxml with DTDs forbidden:
a feed needs none, and refusing them refuses entity-expansion bombs and external entities (XXE)
before any entity is read.
"""

import csv
import io
import os
from collections.abc import Iterator
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _

from galerie.core.errors import DomainError

COLUMNS = (
    "id",
    "title",
    "description",
    "link",
    "image_link",
    "availability",
    "price",
    "sale_price",
    "brand",
    "gtin",
    "mpn",
    "condition",
    "google_product_category",
    "product_type",
    "shipping_weight",
    "quantity",
)
# Not in Merchant Center's specification; written by export-offers so that a round trip keeps them.
EXTRA_COLUMNS = ("shipping", "condition_note")
REQUIRED_COLUMNS = ("id", "title", "price")
G_NS = "http://base.google.com/ns/1.0"

csv.field_size_limit(1 << 20)


class FeedError(DomainError):
    code = "feed_invalid"


def column_name(raw: str) -> str:
    name = raw.strip().lower()
    if name.startswith("g:"):
        name = name[2:]
    return name.replace(" ", "_")


class Feed:
    """An open feed file. Use as a context manager; iterate `rows()` once."""

    def __init__(self, path: str | os.PathLike):
        self.path = os.fspath(path)
        try:
            self.total_bytes = os.path.getsize(self.path)
            self._raw = open(self.path, "rb")  # noqa: SIM115 - closed by __exit__
        except OSError as exc:
            raise FeedError(
                _("Impossible d'ouvrir le flux « %(path)s » : %(reason)s.")
                % {"path": self.path, "reason": exc.strerror}
            ) from exc
        head = self._raw.peek(512)[:512]
        self.is_xml = head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
        self.columns: tuple[str, ...] = ()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._raw.close()

    def position(self) -> int:
        """Bytes consumed so far (read-ahead included): good enough for a progress bar."""
        try:
            return self._raw.tell()
        except (OSError, ValueError):
            return self.total_bytes

    def rows(self, *, skip_to: int = 0) -> Iterator[tuple[int, dict[str, str] | None]]:
        """Yield (row number, row); row is None for a line whose field count is wrong.

        Rows numbered ≤ skip_to are yielded as (n, {"id": …}) only, without being fully decoded,
        so a resumed import can still recognise duplicate ids without redoing the work.
        """
        if self.is_xml:
            yield from self._xml_rows(skip_to)
        else:
            yield from self._text_rows(skip_to)

    def _text_rows(self, skip_to: int):
        text = io.TextIOWrapper(self._raw, encoding="utf-8-sig", newline="")
        try:
            header_line = text.readline()
        except UnicodeDecodeError as exc:
            raise FeedError(_("Le flux n'est pas encodé en UTF-8 (ligne d'en-tête).")) from exc
        if "\t" in header_line:
            # Merchant Center's TSV has no quoting: a stray quote must not swallow the next lines.
            dialect = {"delimiter": "\t", "quoting": csv.QUOTE_NONE}
        else:
            delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
            dialect = {"delimiter": delimiter}
        header = next(csv.reader([header_line], **dialect), [])
        self.columns = tuple(column_name(c) for c in header)
        missing = [c for c in REQUIRED_COLUMNS if c not in self.columns]
        if missing:
            raise FeedError(
                _(
                    "En-tête du flux incomplet : colonne(s) manquante(s) %(missing)s. "
                    "Colonnes attendues : %(expected)s."
                )
                % {"missing": ", ".join(missing), "expected": ", ".join(COLUMNS)}
            )
        columns = self.columns
        width = len(columns)
        id_index = columns.index("id")
        reader = csv.reader(text, **dialect)
        n = 0
        try:
            for values in reader:
                if not values or (len(values) == 1 and not values[0].strip()):
                    continue
                n += 1
                if n <= skip_to:
                    yield n, {"id": values[id_index].strip() if len(values) > id_index else ""}
                    continue
                if len(values) != width:
                    if len(values) > width:
                        yield n, None
                        continue
                    values = values + [""] * (width - len(values))  # trailing empty cells cut
                yield n, dict(zip(columns, values, strict=True))
        except UnicodeDecodeError as exc:
            raise FeedError(
                _("Le flux n'est pas encodé en UTF-8 (après la ligne %(n)d).") % {"n": n}
            ) from exc
        except csv.Error as exc:
            raise FeedError(
                _("Flux illisible après la ligne %(n)d : %(e)s.") % {"n": n, "e": exc}
            ) from exc

    def _xml_rows(self, skip_to: int):
        n = 0
        channel = None
        try:
            for event, elem in iterparse(self._raw, events=("start", "end"), forbid_dtd=True):
                tag = elem.tag.rsplit("}", 1)[-1]
                if event == "start":
                    if tag == "channel":
                        channel = elem
                    continue
                if tag != "item":
                    continue
                n += 1
                row: dict[str, str] = {}
                for child in elem:
                    name = child.tag.rsplit("}", 1)[-1].lower()
                    if name == "shipping":
                        parts = {c.tag.rsplit("}", 1)[-1]: (c.text or "").strip() for c in child}
                        row["shipping"] = ":".join(
                            [
                                parts.get("country", ""),
                                parts.get("region", ""),
                                parts.get("service", ""),
                                parts.get("price", ""),
                            ]
                        )
                    elif name not in row or not row[name]:
                        row[name] = (child.text or "").strip()
                elem.clear()
                if channel is not None:
                    channel.remove(elem)
                if not self.columns:
                    self.columns = tuple(row)
                if n <= skip_to:
                    yield n, {"id": row.get("id", "")}
                    continue
                yield n, row
        except ParseError as exc:
            raise FeedError(
                _("XML invalide après l'article %(n)d : %(e)s.") % {"n": n, "e": exc}
            ) from exc
        except DefusedXmlException as exc:
            raise FeedError(
                _(
                    "Flux XML refusé : il déclare une DTD ou des entités (<!DOCTYPE>, <!ENTITY>), "
                    "qu'un flux produits n'utilise pas et qui peuvent servir à une attaque."
                ),
                code="feed_xml_forbidden",
            ) from exc
        if n == 0 and skip_to == 0:
            raise FeedError(_("Aucun article <item> dans le flux XML."))
