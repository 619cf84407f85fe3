"""Back-office staff roles as Django groups: each role sees only what its work needs.

`roles_sync()` (run after every `migrate`) makes each group hold exactly the permissions listed
here — so a role's rights live in code review, not in a database someone edited by hand. Models of
apps not yet installed are skipped. Superusers (the operator's administrators) keep every right.

An action is one of Django's four (expanded to `view_order` …) or the codename of a custom
permission declared in the model's `Meta.permissions` (`refund` on orders.order is
`orders.refund`): the admin actions and the API name these, so granting one here is what
lets a role run them.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ALL = (VIEW, ADD, CHANGE, DELETE)
# Custom permissions (see each model's Meta.permissions).
CANCEL, REFUND = "cancel", "refund"  # orders.order
CONFIRM_TRANSFER = "confirm_transfer"  # payments.payment
VERIFY = "verify"  # sellers.seller: verify, suspend, reject, close
TERMINATE = "terminate"  # subscriptions.subscription
ERASE_CUSTOMER = "erase_customer"  # privacy.customer
MODERATE = "moderate"  # reviews.review: publish or reject
MEDIATE = "mediate"  # returns.returnrequest: the operator decides a return as mediator
DECIDE = "decide"  # moderation.notice: decide on notices, uphold or reverse complaints (DSA)

# role name → {"app_label.model": actions}
ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    "Gestion du catalogue": {
        "catalog.category": ALL,
        "catalog.producttype": ALL,
        "catalog.attribute": ALL,
        "catalog.product": (VIEW, ADD, CHANGE),
        "catalog.attributevalue": ALL,
        # Product pictures are added, described and removed on the product's page (inline).
        "media.productimage": ALL,
        "storefronts.storefront": (VIEW, CHANGE),
        "storefronts.storefronthost": (VIEW,),
        # The legal pages (mentions légales, CGV…) are edited with the storefront.
        "storefronts.storefrontpage": ALL,
        "sellers.offer": (VIEW, CHANGE),
        "sellers.seller": (VIEW,),
        "imports.categorymapping": ALL,
        "imports.importjob": (VIEW, ADD),
        "imports.importrowerror": (VIEW,),
        "pricing.taxrate": (VIEW,),
        "subscriptions.subscriptionplan": ALL,
        # Promotions are ended by unticking « active » (prices restored), never deleted.
        "promotions.promotion": (VIEW, ADD, CHANGE),
        "promotions.voucher": (VIEW, ADD, CHANGE),
        "promotions.voucherredemption": (VIEW,),
        "sellers.offerpricechange": (VIEW,),
        # What a search for one expression also finds ("pc portable" → "ordinateur portable").
        "search.searchsynonym": ALL,
        # Customer reviews: read, then publish or reject (with a reason); never edited.
        "reviews.review": (VIEW, MODERATE),
    },
    "Gestion des vendeurs": {
        "sellers.seller": (VIEW, ADD, CHANGE, VERIFY),
        "sellers.sellerstatusevent": (VIEW,),
        "sellers.sellermember": ALL,
        "sellers.offer": (VIEW, CHANGE),
        "sellers.commissionrule": (VIEW,),
        "pricing.deliverymethod": (VIEW,),
        "imports.importjob": (VIEW, ADD),
        "imports.importrowerror": (VIEW,),
        "catalog.product": (VIEW,),
        # Revoking a seller's API token (a leaked one, a member who left).
        "portal.sellerapitoken": (VIEW, CHANGE),
        # Notices of illegal content, decisions and sellers' complaints (DSA art. 16, 17, 20):
        # the role that already suspends sellers, which one of the decisions is.
        "moderation.notice": (VIEW, DECIDE),
        "moderation.decision": (VIEW,),
        "moderation.complaint": (VIEW,),
    },
    # Customer service handles cancellations, withdrawals and complaints, so it cancels and
    # refunds; it never confirms money received (that posts to the ledger: Finance).
    "Service client": {
        "orders.order": (VIEW, CHANGE, CANCEL, REFUND),
        "orders.sellerorder": (VIEW, CHANGE),
        "orders.orderline": (VIEW,),
        "orders.orderevent": (VIEW,),
        "payments.payment": (VIEW,),
        "payments.refund": (VIEW, ADD),
        "accounts.address": (VIEW,),
        "auth.user": (VIEW,),
        "cart.cart": (VIEW,),
        "cart.cartline": (VIEW,),
        "promotions.voucherredemption": (VIEW,),
        "catalog.product": (VIEW,),
        "sellers.seller": (VIEW,),
        "sellers.offer": (VIEW,),
        "inventory.stockmovement": (VIEW,),
        # A customer who cannot use the three clicks (by phone, by letter) is terminated here.
        "subscriptions.subscription": (VIEW, TERMINATE),
        "subscriptions.subscriptionterm": (VIEW,),
        "subscriptions.subscriptionplan": (VIEW,),
        # A trip cancelled under its fee schedule refunds the rest: orders.refund runs it.
        "travel.booking": (VIEW,),
        # A customer's erasure asked by phone or letter (RGPD art. 17): privacy.customer_erase.
        "privacy.customer": (VIEW, ERASE_CUSTOMER),
        "privacy.erasure": (VIEW,),
        # Withdrawals and conformity claims: it follows them, warned of refunds falling due,
        # and steps in between customer and seller (receipt, refund, repair, replacement).
        "returns.returnrequest": (VIEW, MEDIATE),
    },
    # Finance confirms transfers received; it reads orders but neither cancels nor refunds them.
    "Finance": {
        "ledger.journal": (VIEW,),
        "ledger.account": (VIEW,),
        "ledger.journalentry": (VIEW,),
        "ledger.journalline": (VIEW,),
        "payments.payment": (VIEW, CHANGE, CONFIRM_TRANSFER),
        "payments.refund": (VIEW,),
        "orders.order": (VIEW,),
        "orders.sellerorder": (VIEW,),
        "orders.orderline": (VIEW,),
        "sellers.commissionrule": ALL,
        "sellers.seller": (VIEW,),
        "pricing.taxrate": ALL,
        "payouts.payout": (VIEW, ADD, CHANGE),
        "payouts.payoutrun": (VIEW, ADD),
        "payouts.statementline": (VIEW,),
        # Invoices and credit notes are issued by the services only and never changed.
        "invoicing.invoice": (VIEW,),
        "invoicing.invoiceline": (VIEW,),
        "reporting.fixedcost": ALL,
        "reporting.simulationrun": (VIEW,),
        "subscriptions.subscription": (VIEW,),
        "subscriptions.subscriptionterm": (VIEW,),
        "travel.booking": (VIEW,),
    },
}


def _codename(action: str, model: str) -> str:
    return f"{action}_{model}" if action in ALL else action


def _permissions_for(grants: dict[str, tuple[str, ...]]):
    query = Q(pk__in=[])
    for model_label, actions in grants.items():
        app_label, model = model_label.split(".")
        query |= Q(
            content_type__app_label=app_label,
            content_type__model=model,
            codename__in=[_codename(action, model) for action in actions],
        )
    return Permission.objects.filter(query)


def roles_sync() -> dict[str, int]:
    """Create or update every role's group; returns the number of permissions of each."""
    counts = {}
    for name, grants in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = list(_permissions_for(grants))
        group.permissions.set(permissions)
        counts[name] = len(permissions)
    return counts


def roles_sync_after_migrate(sender, **kwargs) -> None:
    # Runs once per migrated app; only the last app's signal sees every permission, and
    # syncing is idempotent, so run it each time (cheap: four groups). `flush` sends the same
    # signal without a migration plan: skip it, or a test database restored from its serialized
    # copy would meet groups recreated under other ids.
    if kwargs.get("plan") is None or kwargs.get("using", "default") != "default":
        return
    roles_sync()
