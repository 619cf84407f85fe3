"""customers entities of the storefront archive: the accounts that ordered on the storefront, and
their address books.

An account travels without its password (the hash never leaves the installation: the customer
chooses a new one at the buyer's through « mot de passe oublié ») and without any staff right
(whoever it was at the source, it arrives as a plain customer). An account the target already
holds under the same e-mail, whatever its case, is the same person: it is matched, reported, and
never changed, except that empty first and last names are filled.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from galerie.accounts.addresses import ADDRESS_FIELDS
from galerie.accounts.models import Address
from galerie.carveout.archive import ArchiveError
from galerie.carveout.bulk import objects_insert
from galerie.carveout.entities.base import Entity, ImportContext, Scope

User = get_user_model()


def _email_key(email) -> str:
    return email.strip().lower() if isinstance(email, str) else ""


class Customers(Entity):
    name = "customers"
    model = User
    fields = ("email", "first_name", "last_name", "date_joined", "last_login", "is_active")
    description = (
        "Comptes clients ayant commandé sur la boutique, sans mot de passe ni droits d'équipe."
    )

    def queryset(self, scope: Scope):
        return scope.customers()

    def timestamped_models(self):
        return ()  # date_joined and last_login are plain fields: kept as they are

    def match(self, rows: list[dict], ctx: ImportContext) -> dict[int, int]:
        """The target's accounts with the same e-mail (case aside); the username is the login, so
        an account whose username is that e-mail is the same one too."""
        keys = {_email_key(row.get("email")) for row in rows} - {""}
        if not keys:
            return {}
        found: dict[str, tuple[int, str, str]] = {}
        existing = (
            User.objects.annotate(email_key=Lower("email"), username_key=Lower("username"))
            .filter(Q(email_key__in=keys) | Q(username_key__in=keys))
            .order_by("pk")
            .values_list("pk", "email_key", "username_key", "first_name", "last_name")
        )
        for pk, email_key, username_key, first_name, last_name in existing:
            for key in (email_key, username_key):
                if key in keys:
                    found.setdefault(key, (pk, first_name, last_name))
        names = ctx.extra.setdefault("customers_names", {})
        matched = {}
        for row in rows:
            hit = found.get(_email_key(row.get("email")))
            if hit is not None:
                matched[row["id"]] = hit[0]
                names[hit[0]] = (hit[1], hit[2])
        return matched

    def merge(self, target_id: int, row: dict, ctx: ImportContext) -> None:
        first, last = ctx.extra.get("customers_names", {}).get(target_id, ("", ""))
        fill = {}
        if not first and row.get("first_name"):
            fill["first_name"] = str(row["first_name"])[:150]
        if not last and row.get("last_name"):
            fill["last_name"] = str(row["last_name"])[:150]
        if fill:
            ctx.extra.setdefault("customers_fill", {})[target_id] = fill
        ctx.note(
            self.name,
            _("Compte existant retrouvé par son e-mail : %(email)s (n° %(id)s).")
            % {"email": row.get("email"), "id": target_id},
        )

    def build(self, row: dict, ctx: ImportContext, *, line: int):
        user = super().build(row, ctx, line=line)
        key = _email_key(user.email)
        seen = ctx.extra.setdefault("customers_batch", {})
        if key and key in seen:
            # Two source accounts whose e-mails differ by case only: one account here.
            return seen[key]
        if key:
            if len(key) > User._meta.get_field("username").max_length:
                raise ArchiveError(
                    _("%(what)s, ligne %(line)s : e-mail trop long pour servir d'identifiant.")
                    % {"what": self.name, "line": line}
                )
            user.username = key
            seen[key] = user
        else:
            user.username = f"client-{ctx.archive_import.pk}-{row['id']}"
            ctx.note(
                self.name,
                _("Le compte n° %(id)s n'a pas d'e-mail : importé sous l'identifiant %(username)s.")
                % {"id": row["id"], "username": user.username},
            )
        user.password = make_password(None)  # unusable: « mot de passe oublié » sets one
        user.is_staff = user.is_superuser = False
        return user

    def save_batch(self, objects, ctx: ImportContext) -> None:
        ctx.extra["customers_batch"] = {}
        unique = list({id(user): user for user in objects}.values())
        objects_insert(User, unique)

    def after_create(self, pairs, ctx: ImportContext) -> None:
        fills = ctx.extra.pop("customers_fill", {})
        if not fills:
            return
        users = list(User.objects.filter(pk__in=fills))
        for user in users:
            for name, value in fills[user.pk].items():
                setattr(user, name, value)
        User.objects.bulk_update(users, ["first_name", "last_name"])


# What makes two addresses the same one (the label included: "Maison" and "Bureau" at one place
# are two entries of the book).
SAME_ADDRESS = ("label", *ADDRESS_FIELDS)


class Addresses(Entity):
    name = "addresses"
    model = Address
    fields = (*SAME_ADDRESS, "is_default", "created_at", "updated_at")
    refs = {"user": "customers"}
    description = "Carnets d'adresses des clients exportés."

    def queryset(self, scope: Scope):
        return Address.objects.filter(user__in=scope.customers().values("pk"))

    def match(self, rows: list[dict], ctx: ImportContext) -> dict[int, int]:
        """An address the account already holds, field for field, is not added twice. Also
        notes which accounts already have a default address (one per account)."""
        users = {ctx.maps.get("customers", {}).get(row.get("user")) for row in rows} - {None}
        same: dict[tuple, int] = {}
        defaults = ctx.extra.setdefault("addresses_default", set())
        held = Address.objects.filter(user_id__in=users).values_list(
            "pk", "user_id", "is_default", *SAME_ADDRESS
        )
        for pk, user_id, is_default, *values in held:
            same.setdefault((user_id, *values), pk)
            if is_default:
                defaults.add(user_id)
        matched = {}
        for row in rows:
            user_id = ctx.maps.get("customers", {}).get(row.get("user"))
            key = (user_id, *(row.get(name, "") for name in SAME_ADDRESS))
            if key in same:
                matched[row["id"]] = same[key]
        return matched

    def build(self, row: dict, ctx: ImportContext, *, line: int):
        address = super().build(row, ctx, line=line)
        defaults = ctx.extra.setdefault("addresses_default", set())
        if address.is_default:
            if address.user_id in defaults:
                address.is_default = False  # the account's own default stays its default
            defaults.add(address.user_id)
        return address


ENTITIES: list[Entity] = [Customers(), Addresses()]
