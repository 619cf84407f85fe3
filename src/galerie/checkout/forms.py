"""Checkout forms: who orders, where to deliver and bill, how each seller ships, how to pay."""

from django import forms
from django.utils.translation import gettext_lazy as _

from galerie.accounts.forms import AddressFields
from galerie.orders.errors import OrderError
from galerie.orders.models import Order
from galerie.orders.services import buyer_identity_clean
from galerie.payments.gateways import payment_methods_available
from galerie.travel.limits import NAME_MAX


class ContactForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        help_text=_("Pour la confirmation et le suivi de votre commande."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class BillingChoiceForm(forms.Form):
    billing_same = forms.BooleanField(
        label=_("Adresse de facturation identique à l'adresse de livraison"),
        required=False,
        initial=True,
    )
    save_address = forms.BooleanField(
        label=_("Enregistrer l'adresse de livraison dans mon carnet"), required=False
    )


class BuyerForm(forms.Form):
    """A business buyer's identity for the invoices, optional (shape here; the SIREN and VAT
    number are checked by orders.services.buyer_identity_clean, as order_place does)."""

    company = forms.CharField(
        label=_("Société"),
        required=False,
        max_length=Order._meta.get_field("buyer_company").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    siren = forms.CharField(
        label=_("SIREN ou SIRET"),
        required=False,
        max_length=30,
    )
    vat_number = forms.CharField(
        label=_("N° de TVA intracommunautaire"),
        required=False,
        max_length=30,
    )

    FIELDS = {"buyer_company": "company", "buyer_siren": "siren", "buyer_vat_number": "vat_number"}

    def clean(self):
        data = super().clean()
        try:
            identity = buyer_identity_clean(
                company=data.get("company", ""),
                siren=data.get("siren", ""),
                vat_number=data.get("vat_number", ""),
            )
        except OrderError as exc:
            self.add_error(self.FIELDS.get(exc.field, None), exc.message)
            return data
        return {self.FIELDS[key]: value for key, value in identity.items()}


class AddressStep:
    """The e-mail (guests), the delivery address and the billing address, validated together."""

    def __init__(self, data=None, *, need_email: bool, initial: dict | None = None):
        initial = initial or {}
        self.need_email = need_email
        self.contact = ContactForm(data, initial={"email": initial.get("email", "")})
        self.shipping = AddressFields(data, prefix="shipping", initial=initial.get("shipping"))
        self.choice = BillingChoiceForm(
            data, initial={"billing_same": initial.get("billing_same", True)}
        )
        # Only validated (and so only showing errors) when the shopper asked for another one.
        billing_data = data if data is not None and not data.get("billing_same") else None
        self.billing = AddressFields(billing_data, prefix="billing", initial=initial.get("billing"))
        buyer = initial.get("buyer") or {}
        self.buyer = BuyerForm(
            data,
            prefix="buyer",
            initial={field: buyer.get(key, "") for key, field in BuyerForm.FIELDS.items()},
        )

    def is_valid(self) -> bool:
        ok = self.shipping.is_valid() & self.choice.is_valid() & self.buyer.is_valid()
        if self.need_email:
            ok &= self.contact.is_valid()
        if self.choice.is_valid() and not self.choice.cleaned_data["billing_same"]:
            ok &= self.billing.is_valid()
        return bool(ok)

    @property
    def has_errors(self) -> bool:
        forms_ = [self.shipping, self.choice, self.buyer]
        if self.need_email:
            forms_.append(self.contact)
        if (
            self.choice.is_bound
            and self.choice.is_valid()
            and not self.choice.cleaned_data["billing_same"]
        ):
            forms_.append(self.billing)
        return any(f.is_bound and f.errors for f in forms_)

    def state(self) -> dict:
        shipping = self.shipping.address()
        same = self.choice.cleaned_data["billing_same"]
        return {
            "email": self.contact.cleaned_data["email"] if self.need_email else "",
            "shipping": shipping,
            "billing_same": same,
            "billing": shipping if same else self.billing.address(),
            "buyer": {
                key: self.buyer.cleaned_data[field] for key, field in BuyerForm.FIELDS.items()
            },
        }


PAYMENT_METHODS = [
    ("card", _("Carte bancaire (page de paiement sécurisée)")),
    ("transfer", _("Virement bancaire")),
]


class PlaceOrderForm(forms.Form):
    idempotency_key = forms.RegexField(regex=r"^[A-Za-z0-9_-]{16,64}$", widget=forms.HiddenInput)
    # The total shown on the recap: if prices moved before the click, the order is refused.
    expected_total = forms.DecimalField(
        max_digits=12, decimal_places=2, required=False, widget=forms.HiddenInput
    )
    payment_method = forms.ChoiceField(
        label=_("Moyen de paiement"),
        choices=PAYMENT_METHODS,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the methods this installation offers (no card without a card gateway).
        available = payment_methods_available()
        field = self.fields["payment_method"]
        field.choices = [(code, label) for code, label in PAYMENT_METHODS if code in available]
        field.initial = available[0]


class TravellerForm(forms.Form):
    """One traveller's identity, as the booking needs it (shape only: travel checks meaning)."""

    first_name = forms.CharField(label=_("Prénom"), max_length=NAME_MAX)
    last_name = forms.CharField(label=_("Nom de famille"), max_length=NAME_MAX)
    birth_date = forms.DateField(
        label=_("Date de naissance"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )

    def traveller(self) -> dict:
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "birth_date": data["birth_date"].isoformat(),
        }


class TripTravellers:
    """The travellers of one trip line: one form per seat, adults first, then children."""

    def __init__(self, data, *, quote_line):
        self.line = quote_line
        booking = quote_line.booking
        known = (quote_line.details or {}).get("travellers") or []
        slots = [("adult", _("Adulte %(n)d") % {"n": n + 1}) for n in range(booking.adults)]
        slots += [("child", _("Enfant %(n)d") % {"n": n + 1}) for n in range(booking.children)]
        self.kinds = [kind for kind, _label in slots]
        line_id = quote_line.cart_line.pk
        self.forms = [
            (
                label,
                TravellerForm(
                    data,
                    prefix=f"trip{line_id}-{index}",
                    initial=known[index] if index < len(known) else None,
                ),
            )
            for index, (_kind, label) in enumerate(slots)
        ]
        self.errors: list[str] = []

    def is_valid(self) -> bool:
        return all([form.is_valid() for _label, form in self.forms])

    def travellers(self) -> list[dict]:
        """Each slot's traveller with the slot's kind: a birth date that does not fit the slot
        (a child's in an adult's place) is refused on that field."""
        return [
            {**form.traveller(), "kind": kind}
            for kind, (_label, form) in zip(self.kinds, self.forms, strict=True)
        ]

    def add_error(self, *, field: str | None, message: str) -> None:
        """A refusal of the travel rules, on the traveller's field it names
        ("travellers.<i>.<field>"), else for the whole trip."""
        parts = (field or "").split(".")
        if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(self.forms):
            form = self.forms[int(parts[1])][1]
            if parts[2] in form.fields:
                form.add_error(parts[2], message)
                return
        self.errors.append(message)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(form.is_bound and form.errors for _l, form in self.forms)
