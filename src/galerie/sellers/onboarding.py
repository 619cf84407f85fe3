"""Seller onboarding and verification (KYB), as the EU Digital Services Act (art. 30) requires.

A seller applies with its identity, register number, VAT number, payout account and a signed
self-certification; the operator verifies, suspends or rejects it, with a reason each time. Only
verified sellers' offers are ever visible: every status change refreshes the seller's products.
Six months after the relationship ends, the seller's personal data is anonymised (accounting
records keep their own snapshots and are not touched).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.eu import vat
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret

from galerie.core import clock
from galerie.core.errors import DomainError
from galerie.core.versions import global_bump
from galerie.sellers.models import (
    LegalForm,
    Seller,
    SellerMember,
    SellerRole,
    SellerStatus,
    SellerStatusEvent,
)
from galerie.sellers.services import product_offer_summary_refresh

RETENTION_MONTHS = 6

# Which status may follow which; the operator's own seller account is never suspended.
TRANSITIONS = {
    SellerStatus.APPLIED: {SellerStatus.VERIFIED, SellerStatus.REJECTED},
    SellerStatus.VERIFIED: {SellerStatus.SUSPENDED, SellerStatus.CLOSED},
    SellerStatus.SUSPENDED: {SellerStatus.VERIFIED, SellerStatus.REJECTED, SellerStatus.CLOSED},
    SellerStatus.REJECTED: set(),
    SellerStatus.CLOSED: set(),
}


class SellerApplicationError(DomainError):
    """Carries one message per faulty field in `errors`."""

    code = "seller_application_invalid"

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


class SellerStatusError(DomainError):
    code = "seller_status_invalid"


@dataclass(frozen=True)
class TraderIdentifiers:
    siren: str
    vat_number: str
    iban: str
    bic: str


def check_siren(value: str) -> str:
    """SIREN (9 digits) or SIRET (14 digits), Luhn-checked; returns the compact number."""
    compact = "".join(value.split())
    try:
        if len(compact) == 14:
            return fr_siret.validate(compact)
        return fr_siren.validate(compact)
    except StdnumError as exc:
        raise ValueError(
            _(
                "« %(value)s » n'est pas un SIREN (9 chiffres) ou SIRET (14 chiffres) valide : "
                "vérifiez les chiffres, la clé de contrôle ne correspond pas."
            )
            % {"value": value}
        ) from exc


def siren_key(value: str) -> str:
    """The company register number (SIREN, 9 digits) that a SIREN or a SIRET names, or "" when
    `value` is neither: how a seller is recognised across installations (a SIRET is one of the
    company's establishments, its first 9 digits the company)."""
    compact = fr_siren.compact(value or "")
    if compact.isdigit() and len(compact) in (9, 14):
        return compact[:9]
    return ""


def check_vat(value: str, siren: str = "") -> str:
    """Intra-EU VAT number; a French one must belong to the SIREN given."""
    try:
        number = vat.validate(value)
    except StdnumError as exc:
        raise ValueError(
            _(
                "« %(value)s » n'est pas un numéro de TVA intracommunautaire valide "
                "(ex. FR40303265045 : code pays, clé, puis numéro)."
            )
            % {"value": value}
        ) from exc
    if number.startswith("FR") and siren and number[4:13] != siren[:9]:
        raise ValueError(
            _("Le numéro de TVA %(number)s ne correspond pas au SIREN %(siren)s déclaré.")
            % {"number": number, "siren": siren[:9]}
        )
    return number


def check_iban(value: str) -> str:
    try:
        return IBAN(value).compact
    except SchwiftyException as exc:
        raise ValueError(
            _("IBAN « %(value)s » invalide : %(reason)s.")
            % {"value": value, "reason": _iban_reason(exc)}
        ) from exc


def check_bic(value: str) -> str:
    try:
        return str(BIC(value))
    except SchwiftyException as exc:
        raise ValueError(
            _("BIC « %(value)s » invalide (8 ou 11 caractères, ex. AGRIFRPP).") % {"value": value}
        ) from exc


def _iban_reason(exc: SchwiftyException) -> str:
    name = type(exc).__name__
    return {
        "InvalidChecksumDigits": _("la clé de contrôle ne correspond pas"),
        "InvalidLength": _("la longueur ne correspond pas au pays"),
        "InvalidCountryCode": _("code pays inconnu"),
        "InvalidStructure": _("la structure ne correspond pas au pays"),
        "InvalidBBANChecksum": _("la clé RIB ne correspond pas"),
    }.get(name) or _("format incorrect")


@transaction.atomic
def seller_identifiers_clean(
    *, is_trader: bool, siren: str, vat_number: str, iban: str, bic: str, required: bool = True
) -> dict[str, str]:
    """SIREN/SIRET, VAT number, IBAN and BIC checked and normalised, as a dict of those four
    fields; every faulty one is reported at once (SellerApplicationError). `required`: a trader's
    SIREN and the payout account must be given (the application, or a seller paid out); without
    it, only the values given are checked (the operator's own account, edited in the admin)."""
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {"siren": "", "vat_number": "", "iban": "", "bic": ""}
    siren, vat_number, iban, bic = (v or "" for v in (siren, vat_number, iban, bic))
    if siren.strip():
        try:
            cleaned["siren"] = check_siren(siren)
        except ValueError as exc:
            errors["siren"] = str(exc)
    elif is_trader and required:
        errors["siren"] = _("Un vendeur professionnel doit indiquer son SIREN ou SIRET.")
    if vat_number.strip():
        try:
            cleaned["vat_number"] = check_vat(vat_number, cleaned["siren"])
        except ValueError as exc:
            errors["vat_number"] = str(exc)
    for field, value, check in (("iban", iban, check_iban), ("bic", bic, check_bic)):
        if not value.strip():
            if required:
                errors[field] = _("Ce champ est obligatoire pour recevoir vos versements.")
            continue
        try:
            cleaned[field] = check(value)
        except ValueError as exc:
            errors[field] = str(exc)
    if errors:
        raise SellerApplicationError(errors)
    return cleaned


def seller_apply(
    *,
    name: str,
    legal_name: str,
    legal_form: str,
    is_trader: bool,
    email: str,
    phone: str,
    address: str,
    iban: str,
    bic: str,
    identity_document_ref: str,
    certifies_compliance: bool,
    siren: str = "",
    vat_number: str = "",
    user=None,
) -> Seller:
    """Record a seller's application (status `applied`). Every faulty field is reported at once."""
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    required = {
        "name": name,
        "legal_name": legal_name,
        "email": email,
        "phone": phone,
        "address": address,
        "identity_document_ref": identity_document_ref,
    }
    for field, value in required.items():
        if not (value or "").strip():
            errors[field] = _("Ce champ est obligatoire.")
    if legal_form not in LegalForm.values:
        errors["legal_form"] = _("Forme juridique inconnue.")
    elif is_trader == (legal_form == LegalForm.INDIVIDUAL):
        errors["legal_form"] = _(
            "Un vendeur professionnel indique sa forme de société ; un particulier choisit "
            "« Particulier »."
        )
    try:
        cleaned = seller_identifiers_clean(
            is_trader=is_trader,
            siren=siren if is_trader else "",  # a private individual has no register number
            vat_number=vat_number,
            iban=iban,
            bic=bic,
        )
    except SellerApplicationError as exc:
        errors.update(exc.errors)
    if not certifies_compliance:
        errors["certifies_compliance"] = _(
            "Vous devez certifier ne proposer que des produits conformes au droit de l'Union."
        )
    if errors:
        raise SellerApplicationError(errors)

    seller = Seller.objects.create(
        slug=_unique_slug(name),
        name=name.strip(),
        legal_name=legal_name.strip(),
        legal_form=legal_form,
        is_trader=is_trader,
        status=SellerStatus.APPLIED,
        email=email.strip(),
        phone=phone.strip(),
        address=address.strip(),
        siren=cleaned.get("siren", ""),
        vat_number=cleaned.get("vat_number", ""),
        iban=cleaned["iban"],
        bic=cleaned["bic"],
        identity_document_ref=identity_document_ref.strip(),
        compliance_certified_at=clock.now(),
    )
    SellerStatusEvent.objects.create(
        seller=seller, to_status=SellerStatus.APPLIED, reason="Candidature déposée", actor=user
    )
    if user is not None:
        SellerMember.objects.create(seller=seller, user=user, role=SellerRole.OWNER)
    return seller


def _unique_slug(name: str) -> str:
    base = slugify(name)[:40] or "vendeur"
    slug, n = base, 1
    while Seller.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def seller_status_change(*, seller: Seller, to_status: str, actor, reason: str) -> Seller:
    """Move a seller to another status, with a reason, and refresh what shoppers see."""
    seller = Seller.objects.select_for_update().get(pk=seller.pk)
    if to_status not in TRANSITIONS.get(seller.status, set()):
        raise SellerStatusError(
            _("Impossible de passer de « %(from)s » à « %(to)s ».")
            % {"from": seller.get_status_display(), "to": SellerStatus(to_status).label}
        )
    if to_status != SellerStatus.VERIFIED and not reason.strip():
        raise SellerStatusError(_("Un motif est obligatoire."), field="reason")
    if seller.is_operator and to_status != SellerStatus.VERIFIED:
        raise SellerStatusError(_("Le compte vendeur de l'opérateur ne peut être suspendu."))
    SellerStatusEvent.objects.create(
        seller=seller,
        from_status=seller.status,
        to_status=to_status,
        reason=reason.strip(),
        actor=actor,
    )
    seller.status = to_status
    seller.status_reason = reason.strip()
    if to_status == SellerStatus.CLOSED:
        seller.relationship_ended_at = clock.now()
    seller.save(update_fields=["status", "status_reason", "relationship_ended_at", "updated_at"])
    product_offer_summary_refresh(
        product_ids=seller.offers.values_list("product_id", flat=True).distinct()
    )
    # The seller filter lists verified sellers only: every listing's options may change.
    global_bump()
    return seller


def seller_verify(*, seller: Seller, actor, reason: str = "") -> Seller:
    return seller_status_change(
        seller=seller,
        to_status=SellerStatus.VERIFIED,
        actor=actor,
        reason=reason or "Identité et immatriculation vérifiées",
    )


def seller_suspend(*, seller: Seller, actor, reason: str) -> Seller:
    return seller_status_change(
        seller=seller, to_status=SellerStatus.SUSPENDED, actor=actor, reason=reason
    )


def seller_reject(*, seller: Seller, actor, reason: str) -> Seller:
    return seller_status_change(
        seller=seller, to_status=SellerStatus.REJECTED, actor=actor, reason=reason
    )


def seller_close(*, seller: Seller, actor, reason: str) -> Seller:
    """End the relationship: offers disappear at once, personal data goes six months later."""
    return seller_status_change(
        seller=seller, to_status=SellerStatus.CLOSED, actor=actor, reason=reason
    )


@transaction.atomic
def sellers_erase_expired(*, now: datetime | None = None) -> int:
    """Anonymise sellers whose relationship ended six months ago or more. Returns how many."""
    cutoff = clock.months_add(now or clock.now(), -RETENTION_MONTHS)
    expired = Seller.objects.select_for_update().filter(
        relationship_ended_at__lte=cutoff, anonymized_at__isnull=True, is_operator=False
    )
    count = 0
    for seller in expired:
        seller.name = f"Vendeur supprimé n° {seller.pk}"
        seller.slug = f"vendeur-supprime-{seller.pk}"
        for field in (
            "legal_name",
            "email",
            "phone",
            "address",
            "siren",
            "vat_number",
            "iban",
            "bic",
            "identity_document_ref",
            "status_reason",
        ):
            setattr(seller, field, "")
        seller.anonymized_at = now or clock.now()
        seller.save()
        seller.members.all().delete()
        seller.status_events.update(reason="")
        count += 1
    return count
