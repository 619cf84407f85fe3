"""Trust pages' text: Markdown rendered to sanitised HTML, and the default text of each kind,
filled with the operator's legal identity (its seller row) and the consumer mediator (settings).

Editors type Markdown in the back office; whatever they type, the page carries only the tags and
link schemes allowed here (no script, no event handler, no `javascript:` link).
"""

from dataclasses import dataclass

import markdown
import nh3
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from galerie.sellers.models import Seller
from galerie.storefronts.models import Storefront, StorefrontPage, StorefrontPageKind

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "a", "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


class _DemoteHeadings(markdown.treeprocessors.Treeprocessor):
    """The page's title is its only <h1>: a "# Heading" in the body becomes an <h2>."""

    def run(self, root):
        for element in root.iter("h1"):
            element.tag = "h2"


class _PageExtension(markdown.Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_DemoteHeadings(md), "galerie_demote_headings", 1)


def page_body_html(body: str) -> SafeString:
    """`body` (Markdown; plain text with blank lines between paragraphs reads the same, a single
    line break stays one) as HTML safe to show: only ALLOWED_TAGS, links http(s)/mailto/tel or
    relative, script and style dropped with their content."""
    html = markdown.markdown(
        body or "", extensions=["nl2br", "sane_lists", "tables", _PageExtension()]
    )
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 (sanitised by nh3 just above)


@dataclass(frozen=True)
class Operator:
    """Who runs the mall, as the trust pages name it: the operator's seller row (its legal name,
    address, register number, contact), the mediator from settings."""

    name: str
    legal_name: str
    legal_form: str
    address: str
    siren: str
    vat_number: str
    email: str
    phone: str
    mediator_name: str
    mediator_address: str
    mediator_url: str


def operator_identity() -> Operator:
    """The operator's identity for the trust pages (one query). Blank fields say "à compléter"
    in the text rather than inventing a company."""
    seller = Seller.objects.filter(is_operator=True).order_by("pk").first()
    with translation.override("fr"):
        legal_form = seller.get_legal_form_display() if seller and seller.legal_form else ""
    return Operator(
        name=(seller.name if seller else "") or "Galerie",
        legal_name=(seller.legal_name or seller.name) if seller else "",
        legal_form=legal_form,
        address=seller.address.strip() if seller else "",
        siren=seller.siren if seller else "",
        vat_number=seller.vat_number if seller else "",
        email=seller.email if seller else "",
        phone=seller.phone if seller else "",
        mediator_name=settings.GALERIE_MEDIATOR_NAME,
        mediator_address=settings.GALERIE_MEDIATOR_ADDRESS,
        mediator_url=settings.GALERIE_MEDIATOR_URL,
    )


def page_default(
    *, storefront: Storefront, kind: str, operator: Operator | None = None
) -> StorefrontPage:
    """The default page of this kind for the storefront, unsaved: French text (a legal text of a
    French shop) filled with the operator's details and the storefront's name."""
    operator = operator or operator_identity()
    with translation.override("fr"):
        body = render_to_string(
            f"storefronts/pages/{kind}.md",
            {
                "storefront": storefront,
                "operator": operator,
                "address_inline": ", ".join(
                    line.strip() for line in operator.address.splitlines() if line.strip()
                ),
                "urls": {
                    "apply": reverse("portal:apply"),
                    "ranking": reverse("ranking"),
                    **{k.name.lower(): f"/pages/{k.value}/" for k in StorefrontPageKind},
                },
            },
        )
        title = str(StorefrontPageKind(kind).label)
    return StorefrontPage(storefront=storefront, kind=kind, title=title, body=body.strip() + "\n")
