"""The back office's admin site: a home that says what needs doing today, the models grouped by
task under French headings, and the economics dashboard (« Pilotage économique ») in the menu.

Django's default site (`admin.site`) is this class (galerie.core.apps.AdminConfig), so every
`@admin.register` lands here unchanged. An app's own page (/admin/orders/) stays Django's; the
menu and the home show sections (`SECTIONS`), each with a page of its own (/admin/rubrique/…/).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import admin
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from galerie.core import clock
from galerie.core.money import format_money
from galerie.imports.models import ImportJob, ImportStatus
from galerie.imports.selectors import import_jobs_failed
from galerie.orders.models import Order, SellerOrder, SellerOrderStatus
from galerie.orders.selectors import orders_placed_on, seller_orders_awaiting_acceptance
from galerie.payouts.models import PayoutRun
from galerie.payouts.selectors import payout_runs_failed
from galerie.sellers.models import Seller, SellerStatus
from galerie.sellers.selectors import sellers_applied

# Who may open the economics dashboard: whoever may see the fixed costs (the Finance role).
PILOTAGE_PERMISSION = "reporting.view_fixedcost"
PILOTAGE = "pilotage"  # the dashboard's place in SECTIONS: not a model, a page
# The payout runs' list filter that the home links to (galerie.payouts.admin).
PAYOUT_RUN_FAILED = {"etat": "echec"}

# (slug, heading, models in the order a person doing that job needs them). A model registered in
# the admin but missing here still shows, under « Système » (test_backoffice checks none is).
SECTIONS = [
    (
        "catalogue",
        _("Catalogue"),
        [
            "catalog.product",
            "catalog.category",
            "catalog.producttype",
            "subscriptions.subscriptionplan",
            "promotions.promotion",
            "promotions.voucher",
            "promotions.voucherredemption",
            "imports.importjob",
            "imports.categorymapping",
            "search.searchsynonym",
            "reviews.review",
        ],
    ),
    (
        "vendeurs",
        _("Vendeurs"),
        [
            "sellers.seller",
            "sellers.offer",
            "sellers.offerpricechange",
            "inventory.stockmovement",
            "pricing.deliverymethod",
            "portal.sellerapitoken",
            # Notices of illegal content, decisions, sellers' complaints (DSA art. 16, 17, 20).
            "moderation.notice",
            "moderation.complaint",
            "moderation.decision",
        ],
    ),
    (
        "commandes",
        _("Commandes"),
        [
            "orders.order",
            "orders.sellerorder",
            "travel.booking",
            "subscriptions.subscription",
            "subscriptions.subscriptionterm",
            "payments.payment",
            "payments.refund",
            "returns.returnrequest",
            "cart.cart",
        ],
    ),
    (
        "argent",
        _("Argent"),
        [
            "payouts.payoutrun",
            "payouts.payout",
            "invoicing.invoice",
            "sellers.commissionrule",
            "pricing.taxrate",
            "ledger.journalentry",
            "ledger.journalline",
            "ledger.ledgertotal",
            "ledger.account",
            "ledger.journal",
        ],
    ),
    ("rapports", _("Rapports"), [PILOTAGE, "reporting.fixedcost", "reporting.simulationrun"]),
    ("boutiques", _("Boutiques"), ["storefronts.storefront"]),
    (
        "comptes",
        _("Comptes"),
        ["auth.user", "auth.group", "accounts.address", "privacy.customer", "privacy.erasure"],
    ),
    ("systeme", _("Système"), ["django_tasks_database.dbtaskresult", "payments.webhookevent"]),
]
OTHERS = "systeme"


@dataclass(frozen=True)
class Tile:
    """One line of the home's to-do list: how many, what, and the admin list that shows them."""

    key: str
    count: int
    label: str
    url: str
    detail: str = ""


def _changelist(model, params: dict) -> str:
    opts = model._meta
    return f"{reverse(f'admin:{opts.app_label}_{opts.model_name}_changelist')}?{urlencode(params)}"


class BackOfficeSite(admin.AdminSite):
    site_header = _("Galerie — back office")
    site_title = _("Galerie")
    index_title = _("Aujourd'hui dans la galerie")
    index_template = "admin/backoffice/index.html"

    def get_urls(self):
        return [
            path("pilotage/", include("galerie.reporting.urls")),
            path(
                "rubrique/<slug:section>/",
                self.admin_view(self.section_view),
                name="section",
            ),
            *super().get_urls(),
        ]

    # --- the menu ---------------------------------------------------------------------------

    def get_app_list(self, request, app_label=None):
        """The sections of SECTIONS the user may see, their models in SECTIONS' order; for one
        app's page (`app_label`), Django's own list of that app."""
        if app_label is not None:
            return super().get_app_list(request, app_label)
        models = {
            f"{label}.{entry['object_name'].lower()}": entry
            for label, app in self._build_app_dict(request).items()
            for entry in app["models"]
        }
        if request.user.has_perm(PILOTAGE_PERMISSION):
            models[PILOTAGE] = {
                "model": None,
                "name": _("Pilotage économique"),
                "object_name": "Pilotage",
                "perms": {"view": True},
                "admin_url": reverse("admin:pilotage:dashboard"),
                "add_url": None,
                "view_only": True,
            }
        sections = []
        for slug, name, labels in SECTIONS:
            entries = [models.pop(label) for label in labels if label in models]
            if slug == OTHERS:
                entries += sorted(models.values(), key=lambda entry: str(entry["name"]))
            if entries:
                sections.append(
                    {
                        "name": name,
                        "app_label": slug,
                        "app_url": reverse("admin:section", args=[slug]),
                        "has_module_perms": True,
                        "models": entries,
                    }
                )
        return sections

    def section_view(self, request, section):
        app_list = [s for s in self.get_app_list(request) if s["app_label"] == section]
        if not app_list:
            raise Http404(_("Rubrique inconnue."))
        context = {
            **self.each_context(request),
            "title": app_list[0]["name"],
            "subtitle": None,
            "app_list": app_list,
            "app_label": section,
        }
        request.current_app = self.name
        return TemplateResponse(request, "admin/app_index.html", context)

    # --- the home ---------------------------------------------------------------------------

    def _may_view(self, request, model) -> bool:
        model_admin = self._registry.get(model)
        return model_admin is not None and model_admin.has_view_or_change_permission(request)

    def home_tiles(self, request) -> list[Tile]:
        """What needs doing, one tile per list the user may open (its role decides)."""
        tiles = []
        if self._may_view(request, Order):
            today = clock.localdate()
            day = orders_placed_on(day=today)
            tiles.append(
                Tile(
                    "orders-today",
                    day.placed,
                    _("Commandes passées aujourd'hui"),
                    _changelist(
                        Order,
                        {
                            "created_at__day": today.day,
                            "created_at__month": today.month,
                            "created_at__year": today.year,
                        },
                    ),
                    _("Payées : %(n)s, soit %(amount)s")
                    % {"n": day.paid, "amount": format_money(day.paid_total)},
                )
            )
        to_do = [
            (
                "seller-orders-to-accept",
                SellerOrder,
                _("Sous-commandes payées, à accepter par leur vendeur"),
                seller_orders_awaiting_acceptance,
                {"status__exact": SellerOrderStatus.PAID},
            ),
            (
                "sellers-applied",
                Seller,
                _("Candidatures de vendeurs à examiner"),
                sellers_applied,
                {"status__exact": SellerStatus.APPLIED},
            ),
            (
                "imports-failed",
                ImportJob,
                _("Imports de catalogue en échec"),
                import_jobs_failed,
                {"status__exact": ImportStatus.FAILED},
            ),
            (
                "payouts-failed",
                PayoutRun,
                _("Campagnes de versements en échec (vendeurs non payés)"),
                payout_runs_failed,
                PAYOUT_RUN_FAILED,
            ),
        ]
        for key, model, label, selector, params in to_do:
            if self._may_view(request, model):
                tiles.append(Tile(key, selector().count(), label, _changelist(model, params)))
        return tiles

    def index(self, request, extra_context=None):
        context = {
            "tiles": self.home_tiles(request),
            "pilotage_url": (
                reverse("admin:pilotage:dashboard")
                if request.user.has_perm(PILOTAGE_PERMISSION)
                else ""
            ),
            **(extra_context or {}),
        }
        return super().index(request, context)
