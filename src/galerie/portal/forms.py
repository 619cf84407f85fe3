"""Forms of the seller portal: they check shape; the onboarding service checks meaning."""

import codecs
import os

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from galerie.catalog.limits import PRODUCT_BOUNDS
from galerie.catalog.models import Category, ProductType
from galerie.core.money import MONEY_FIELD
from galerie.media.errors import ImageRefused
from galerie.media.imaging import image_check
from galerie.media.models import MIN_WIDTH, ProductImage
from galerie.media.services import upload_read
from galerie.orders.models import SellerOrderStatus
from galerie.portal import services
from galerie.portal.services import BULK_MODES, VALID_ROWS
from galerie.pricing.limits import DELIVERY_BOUNDS
from galerie.pricing.models import DeliveryKind
from galerie.returns.models import ReturnKind, ReturnRequest, ReturnStatus
from galerie.sellers.limits import OFFER_BOUNDS
from galerie.sellers.models import Condition, LegalForm


class SellerApplicationForm(forms.Form):
    name = forms.CharField(label=_("Nom commercial (affiché aux clients)"), max_length=120)
    legal_name = forms.CharField(label=_("Raison sociale, ou nom et prénom"), max_length=200)
    is_trader = forms.TypedChoiceField(
        label=_("Vous vendez en tant que"),
        choices=[("1", _("professionnel")), ("0", _("particulier"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    legal_form = forms.ChoiceField(label=_("Forme juridique"), choices=LegalForm.choices)
    siren = forms.CharField(
        label=_("SIREN ou SIRET"),
        max_length=20,
        required=False,
        help_text=_("Obligatoire pour les professionnels."),
    )
    vat_number = forms.CharField(
        label=_("N° de TVA intracommunautaire"), max_length=20, required=False
    )
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Téléphone"), max_length=30)
    address = forms.CharField(label=_("Adresse"), widget=forms.Textarea(attrs={"rows": 3}))
    iban = forms.CharField(label=_("IBAN du compte de versement"), max_length=42)
    bic = forms.CharField(label=_("BIC"), max_length=11)
    identity_document_ref = forms.CharField(
        label=_("Pièce d'identité du représentant (type et numéro)"), max_length=100
    )
    certifies_compliance = forms.BooleanField(
        label=_(
            "Je certifie ne proposer que des produits et services conformes au droit de l'Union "
            "européenne (règlement sur les services numériques, art. 30)."
        ),
        required=False,
    )


# --- Seller workspace --------------------------------------------------------------------------


# Every numeric field takes its limits from the model's: the digits of core.money.MONEY_FIELD and
# the (min, max) of its app's limits, Decimal bounds (a float 0.01 is not exactly one cent).
def _range(bounds: dict, name: str) -> dict:
    low, high = bounds[name]
    return {"min_value": low, "max_value": high}


def _money(bounds: dict, name: str) -> dict:
    return {**MONEY_FIELD, **_range(bounds, name)}


class OfferSearchForm(forms.Form):
    q = forms.CharField(label=_("Titre, référence ou EAN"), required=False, max_length=200)
    state = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[
            ("", _("toutes")),
            ("active", _("actives")),
            ("inactive", _("désactivées")),
            ("out_of_stock", _("en rupture")),
        ],
    )
    condition = forms.ChoiceField(
        label=_("État"), required=False, choices=[("", _("tous")), *Condition.choices]
    )


class ProductFindForm(forms.Form):
    q = forms.CharField(label=_("EAN / ISBN ou titre du produit"), max_length=250)


class OfferForm(forms.Form):
    price = forms.DecimalField(label=_("Prix TTC (€)"), **_money(OFFER_BOUNDS, "price"))
    stock = forms.IntegerField(label=_("Stock"), **_range(OFFER_BOUNDS, "stock"))
    condition = forms.ChoiceField(label=_("État"), choices=Condition.choices)
    condition_note = forms.CharField(
        label=_("Description de l'état"),
        max_length=300,
        required=False,
        help_text=_("Obligatoire pour l'occasion et le reconditionné."),
    )
    delivery_price = forms.DecimalField(
        label=_("Frais de port TTC (€)"), initial=0, **_money(OFFER_BOUNDS, "delivery_price")
    )
    lead_time_days = forms.IntegerField(
        label=_("Délai d'expédition (jours)"), initial=2, **_range(OFFER_BOUNDS, "lead_time_days")
    )
    sku = forms.CharField(label=_("Votre référence (SKU)"), max_length=64, required=False)


class OfferEditForm(OfferForm):
    is_active = forms.BooleanField(label=_("Offre active"), required=False)


def _picture_field(*, required: bool) -> forms.FileField:
    return forms.FileField(
        label=_("Photo du produit"),
        required=required,
        help_text=format_lazy(
            _("JPEG, PNG ou WebP, {mb} Mo au plus, {px} pixels de large au moins."),
            mb=settings.GALERIE_IMAGE_MAX_BYTES // (1024 * 1024),
            px=MIN_WIDTH,
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


def _picture_clean(upload):
    """The form's check of a picture is the service's own (`image_check`): same messages."""
    if upload is None:
        return None
    try:
        image_check(upload_read(upload))
    except ImageRefused as exc:
        raise forms.ValidationError(exc.message, code=exc.code) from None
    return upload


class ProductForm(forms.Form):
    gtin = forms.CharField(label=_("EAN / ISBN"), max_length=20, required=False)
    title = forms.CharField(label=_("Titre"), max_length=250)
    product_type = forms.ModelChoiceField(
        label=_("Type de produit"), queryset=ProductType.objects.order_by("name")
    )
    category = forms.ModelChoiceField(
        label=_("Catégorie"), queryset=Category.objects.order_by("path")
    )
    publisher_price = forms.DecimalField(
        label=_("Prix éditeur TTC (livres)"),
        required=False,
        **_money(PRODUCT_BOUNDS, "publisher_price"),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    image = _picture_field(required=False)

    def clean_image(self):
        return _picture_clean(self.cleaned_data.get("image"))


class ProductImageForm(forms.Form):
    image = _picture_field(required=True)
    alt = forms.CharField(
        label=_("Ce que montre la photo"),
        max_length=ProductImage._meta.get_field("alt").max_length,
        required=False,
        help_text=_("Lu aux personnes aveugles ; par défaut, le titre du produit."),
    )

    def clean_image(self):
        return _picture_clean(self.cleaned_data.get("image"))


class BulkUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_(
            "Colonnes : « sku » ou « gtin », puis « price » et/ou « stock ». Séparateur virgule "
            "ou point-virgule, prix avec virgule ou point."
        ),
    )
    mode = forms.ChoiceField(
        label=_("En cas d'erreur"),
        choices=list(
            zip(
                BULK_MODES,
                [
                    _("ne rien modifier tant qu'une ligne est en erreur"),
                    _("appliquer les lignes valides, ignorer les lignes en erreur"),
                ],
                strict=True,
            )
        ),
        initial=VALID_ROWS,
        widget=forms.RadioSelect,
    )


class FeedUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Flux Google Merchant Center"),
        help_text=_("Fichier TSV, CSV, TXT (séparé par des tabulations) ou XML (RSS 2.0)."),
    )
    full = forms.BooleanField(
        label=_("Import complet"),
        required=False,
        help_text=_(
            "Vos offres absentes du flux seront désactivées (elles ne sont pas supprimées)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = services.FEED_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("Fichier trop volumineux (%(max)s au plus).") % {"max": filesizeformat(limit)}
            )
        extension = os.path.splitext(upload.name)[1].lower()
        if extension not in services.FEED_EXTENSIONS:
            raise forms.ValidationError(
                _("Format non reconnu : envoyez un fichier .tsv, .txt, .csv ou .xml.")
            )
        upload.seek(0)
        head = upload.read(4096)
        upload.seek(0)
        if not _looks_like_text(head):
            raise forms.ValidationError(
                _("Ce fichier n'est pas un flux texte en UTF-8 (tableur, archive ou image ?).")
            )
        is_xml = head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
        if (extension == ".xml") != is_xml:
            raise forms.ValidationError(
                _("Le contenu du fichier ne correspond pas à son extension %(ext)s.")
                % {"ext": extension}
            )
        return upload


def _looks_like_text(head: bytes) -> bool:
    """UTF-8 text without NUL bytes: rejects spreadsheets, archives and images up front."""
    if b"\x00" in head:
        return False
    try:
        # Not final: the 4 KiB may end in the middle of a multi-byte character.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


class OrderFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[
            ("", _("toutes")),
            *[(v, label) for v, label in SellerOrderStatus.choices if v != "pending_payment"],
        ],
    )


class ShipForm(forms.Form):
    carrier = forms.CharField(label=_("Transporteur"), max_length=100)
    tracking_number = forms.CharField(label=_("N° de suivi"), max_length=100)


class ReturnFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Statut"), required=False, choices=[("", _("Tous")), *ReturnStatus.choices]
    )
    kind = forms.ChoiceField(
        label=_("Nature"), required=False, choices=[("", _("Toutes")), *ReturnKind.choices]
    )


class ReturnResolveForm(forms.Form):
    """The seller's decision on an open return; a withdrawal can only be refunded or refused."""

    outcome = forms.ChoiceField(label=_("Décision"))
    note = forms.CharField(
        label=_("Note au client (obligatoire pour un refus)"),
        required=False,
        max_length=ReturnRequest._meta.get_field("outcome_note").max_length,
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("refund", _("Rembourser")), ("refuse", _("Refuser"))]
        if kind == ReturnKind.CONFORMITY:
            choices = [("repair", _("Réparer")), ("replace", _("Remplacer")), *choices]
        self.fields["outcome"].choices = choices


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Motif d'annulation"), max_length=200)


class DeliveryMethodForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=100)
    kind = forms.ChoiceField(label=_("Mode de calcul"), choices=DeliveryKind.choices)
    fee = forms.DecimalField(label=_("Frais TTC (€)"), initial=0, **_money(DELIVERY_BOUNDS, "fee"))
    fee_per_kg = forms.DecimalField(
        label=_("Frais par kg TTC (€)"), initial=0, **_money(DELIVERY_BOUNDS, "fee_per_kg")
    )
    free_above = forms.DecimalField(
        label=_("Offerte à partir de (€ TTC)"),
        required=False,
        **_money(DELIVERY_BOUNDS, "free_above"),
    )
    delivery_days_min = forms.IntegerField(
        label=_("Délai de livraison min (jours)"),
        initial=2,
        **_range(DELIVERY_BOUNDS, "delivery_days_min"),
    )
    delivery_days_max = forms.IntegerField(
        label=_("Délai de livraison max (jours)"),
        initial=5,
        **_range(DELIVERY_BOUNDS, "delivery_days_max"),
    )
    position = forms.IntegerField(
        label=_("Position"), initial=0, **_range(DELIVERY_BOUNDS, "position")
    )
    is_active = forms.BooleanField(label=_("Actif"), required=False, initial=True)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Nom du jeton"), max_length=100)


class FulfilmentFilterForm(forms.Form):
    """The issues to ship up to a date (default: a week ahead, see subscriptions.selectors)."""

    until = forms.DateField(
        label=_("Jusqu'au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
