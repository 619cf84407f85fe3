"""Merging an acquired shop: the shop becomes a seller, its catalogue comes in as its offers, and
the categories it brings join the storefront's assortment. A shop whose categories match the
mall's (folded: accents, case, plurals) needs no preparation; with `create_categories` those the
mall lacks are created."""

from django.db import transaction
from django.utils.text import slugify

from galerie.imports.services import ImportError_, ImportReport, Progress, feed_import
from galerie.sellers.models import Seller, SellerStatus
from galerie.storefronts.models import Storefront


def shop_merge(
    *,
    path: str,
    seller_name: str,
    storefront: Storefront,
    dry_run: bool = False,
    create_categories: bool = False,
    errors_path: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Create (or reuse) the acquired shop as a seller and import its feed into the storefront.

    The operator bought the shop, so it vouches for its identity: the seller is created verified.
    With dry_run the seller, the catalogue, the categories created and the assortment change
    are all rolled back.
    """
    name = seller_name.strip()
    slug = slugify(name)[:50]
    if not slug:
        raise ImportError_("Nom de vendeur invalide pour la boutique rachetée.")
    options = {
        "path": path,
        "storefront": storefront,
        "create_categories": create_categories,
        "errors_path": errors_path,
        "progress": progress,
    }
    if dry_run:
        with transaction.atomic():
            report = _merge(name=name, slug=slug, dry_run=True, **options)
            transaction.set_rollback(True)
        return report
    return _merge(name=name, slug=slug, dry_run=False, **options)


def _merge(*, name: str, slug: str, **options) -> ImportReport:
    seller = Seller.objects.filter(slug=slug).first()
    if seller is None:
        seller = Seller.objects.create(
            slug=slug, name=name[:120], legal_name=name[:200], status=SellerStatus.VERIFIED
        )
    return feed_import(seller=seller, merge=True, **options)
