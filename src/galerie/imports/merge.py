"""Merging an acquired shop: the shop becomes a seller, its catalogue comes in as its offers, and
the categories it brings join the storefront's assortment."""

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
    errors_path: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Create (or reuse) the acquired shop as a seller and import its feed into the storefront.

    The operator bought the shop, so it vouches for its identity: the seller is created verified.
    With dry_run the seller, the catalogue and the assortment change are all rolled back.
    """
    name = seller_name.strip()
    slug = slugify(name)[:50]
    if not slug:
        raise ImportError_("Nom de vendeur invalide pour la boutique rachetée.")
    if dry_run:
        with transaction.atomic():
            report = _merge(path, name, slug, storefront, True, errors_path, progress)
            transaction.set_rollback(True)
        return report
    return _merge(path, name, slug, storefront, False, errors_path, progress)


def _merge(path, name, slug, storefront, dry_run, errors_path, progress) -> ImportReport:
    seller = Seller.objects.filter(slug=slug).first()
    if seller is None:
        seller = Seller.objects.create(
            slug=slug, name=name[:120], legal_name=name[:200], status=SellerStatus.VERIFIED
        )
    return feed_import(
        seller=seller,
        path=path,
        storefront=storefront,
        merge=True,
        dry_run=dry_run,
        errors_path=errors_path,
        progress=progress,
    )
