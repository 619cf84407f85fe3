"""Seller portal pages at /vendeur/. Every page is scoped to the sellers the user works for.

Views authenticate (access.seller_view), parse the form, call one portal/orders service or a
seller-scoped selector, and render. A foreign id is a 404 because every read filters by seller.
"""

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from galerie.catalog.models import Product
from galerie.core.errors import DomainError
from galerie.core.middleware import UPLOAD_ENVELOPE_BYTES, request_size_limit
from galerie.imports.models import ImportStatus
from galerie.imports.services import errors_csv_write
from galerie.invoicing.documents import invoice_file
from galerie.invoicing.selectors import invoices_of_seller
from galerie.media.selectors import product_gallery
from galerie.orders import services as order_services
from galerie.payments.refunds import seller_order_cancel
from galerie.portal import selectors, services
from galerie.portal.access import current_member, member_select, seller_view
from galerie.portal.auth import api_token_create, api_token_revoke
from galerie.portal.context import portal_context
from galerie.portal.forms import (
    BulkUploadForm,
    CancelForm,
    DeliveryMethodForm,
    FeedUploadForm,
    FulfilmentFilterForm,
    OfferEditForm,
    OfferForm,
    OfferSearchForm,
    OrderFilterForm,
    ProductFindForm,
    ProductForm,
    ProductImageForm,
    SellerApplicationForm,
    ShipForm,
    TokenForm,
)
from galerie.pricing.models import DeliveryMethod
from galerie.sellers.onboarding import SellerApplicationError, seller_apply
from galerie.subscriptions.selectors import (
    fulfilments_by_date,
    fulfilments_of_seller,
    ship_until_default,
)
from galerie.subscriptions.services import fulfilments_ship

PAGE_SIZE = 50


def _add_domain_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- Application and dashboard -----------------------------------------------------------------


@login_required
def application_view(request):
    form = SellerApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            seller = seller_apply(**form.cleaned_data, user=request.user)
        except SellerApplicationError as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            return render(request, "portal/application_done.html", {"seller": seller})
    return render(request, "portal/application.html", {"form": form})


def index_view(request):
    """The dashboard; a user who works for no seller yet is sent to the application form."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if current_member(request) is None:
        return redirect("portal:apply")
    return _dashboard(request)


@seller_view(pending_ok=True)
def _dashboard(request):
    seller = request.seller
    context = portal_context(request)
    if not context["seller_pending"]:
        context["counts"] = selectors.seller_order_counts(seller=seller)
        context["active_offers"] = seller.offers.filter(is_active=True).count()
    return render(request, "portal/index.html", context)


@require_POST
@seller_view(pending_ok=True)
def switch_view(request):
    try:
        seller_id = int(request.POST.get("seller", ""))
    except ValueError:
        raise Http404 from None
    if member_select(request, seller_id) is None:
        raise Http404("Compte vendeur introuvable.")
    return redirect("portal:index")


# --- Offers ------------------------------------------------------------------------------------


@seller_view()
def offer_list_view(request):
    form = OfferSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    offers = selectors.seller_offers(
        seller=request.seller,
        query=filters.get("q", ""),
        state=filters.get("state", ""),
        condition=filters.get("condition", ""),
    )
    return render(
        request,
        "portal/offer_list.html",
        portal_context(
            request, form=form, page=_page(request, offers), query=_query_without_page(request)
        ),
    )


@seller_view()
def offer_new_view(request):
    """Step 1: find the product by GTIN or title (or go and create it)."""
    form = ProductFindForm(request.GET or None)
    products = selectors.products_find(query=form.cleaned_data["q"]) if form.is_valid() else None
    return render(
        request,
        "portal/offer_new.html",
        portal_context(request, form=form, products=products),
    )


@seller_view()
def offer_create_view(request, product_id: int):
    """Step 2: the offer itself, on an existing product."""
    product = get_object_or_404(
        Product.objects.select_related("product_type"), pk=product_id, is_active=True
    )
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.portal_offer_create(
                seller=request.seller, product=product, **form.cleaned_data
            )
        except DomainError as exc:
            _add_domain_error(form, exc)
        else:
            messages.success(request, _("Offre publiée."))
            return redirect("portal:offers")
    return render(
        request, "portal/offer_form.html", portal_context(request, form=form, product=product)
    )


@seller_view()
def product_create_view(request):
    initial = {"gtin": request.GET.get("gtin", "")[:20]}
    form = ProductForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.portal_product_create(seller=request.seller, **form.cleaned_data)
        except DomainError as exc:
            _add_domain_error(form, exc)
        else:
            messages.success(request, _("Fiche produit créée : proposez maintenant votre offre."))
            return redirect("portal:offer_create", product_id=product.pk)
    return render(request, "portal/product_form.html", portal_context(request, form=form))


@seller_view()
def product_image_view(request, product_id: int):
    """Add a picture to a product the seller sells (`portal_product_image_add` decides)."""
    product = selectors.seller_product(seller=request.seller, product_id=product_id)
    if product is None:
        raise Http404(_("Produit introuvable parmi ceux que vous vendez."))
    form = ProductImageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.portal_product_image_add(
                seller=request.seller,
                product_id=product.pk,
                upload=form.cleaned_data["image"],
                alt=form.cleaned_data["alt"],
            )
        except DomainError as exc:
            _add_domain_error(form, exc)
        else:
            messages.success(request, _("Photo ajoutée."))
            return redirect("portal:product_image", product_id=product.pk)
    return render(
        request,
        "portal/product_image.html",
        portal_context(request, form=form, product=product, pictures=product_gallery(product)),
    )


@seller_view()
def offer_edit_view(request, offer_id: int):
    offer = selectors.seller_offer(seller=request.seller, offer_id=offer_id)
    fields = [
        "price",
        "stock",
        "condition",
        "condition_note",
        "delivery_price",
        "lead_time_days",
        "sku",
        "is_active",
    ]
    form = OfferEditForm(
        request.POST or None, initial={name: getattr(offer, name) for name in fields}
    )
    if request.method == "POST" and form.is_valid():
        changes = {
            name: value
            for name, value in form.cleaned_data.items()
            if value != getattr(offer, name)
        }
        try:
            if changes:
                services.portal_offer_update(
                    seller=request.seller, offer_id=offer.pk, actor=request.user, **changes
                )
        except DomainError as exc:
            _add_domain_error(form, exc)
        else:
            messages.success(request, _("Offre enregistrée."))
            return redirect("portal:offers")
    return render(
        request,
        "portal/offer_form.html",
        portal_context(request, form=form, product=offer.product, offer=offer),
    )


@require_POST
@seller_view()
def offer_deactivate_view(request, offer_id: int):
    offer = selectors.seller_offer(seller=request.seller, offer_id=offer_id)
    services.portal_offer_update(
        seller=request.seller, offer_id=offer.pk, actor=request.user, is_active=False
    )
    messages.success(request, _("Offre désactivée : elle n'est plus visible des clients."))
    return redirect("portal:offers")


@seller_view()
def offer_bulk_view(request):
    form = BulkUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > services.BULK_MAX_BYTES:
                raise services.BulkUpdateError(_("Fichier trop volumineux (2 Mo au plus)."))
            rows = services.bulk_csv_rows(upload.read())
            result = services.portal_offers_bulk_update(
                seller=request.seller, rows=rows, mode=form.cleaned_data["mode"], actor=request.user
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
    return render(
        request,
        "portal/offer_bulk.html",
        portal_context(request, form=form, result=result),
        status=200,
    )


# --- Catalogue feed imports --------------------------------------------------------------------


@request_size_limit(services.FEED_MAX_BYTES + UPLOAD_ENVELOPE_BYTES)
@seller_view()
def feed_list_view(request):
    # Bound on every POST: a post without any file must say so, not show an empty form.
    posted = request.method == "POST"
    form = FeedUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            job = services.portal_feed_import_start(
                seller=request.seller,
                upload=form.cleaned_data["file"],
                full=form.cleaned_data["full"],
            )
        except DomainError as exc:
            _add_domain_error(form, exc)
        else:
            messages.success(
                request, _("Flux reçu : l'import se poursuit en arrière-plan, suivez-le ici.")
            )
            return redirect("portal:feed", job_id=job.pk)
    jobs = selectors.seller_import_jobs(seller=request.seller)
    return render(
        request,
        "portal/feed_list.html",
        portal_context(request, form=form, page=_page(request, jobs), query=""),
        status=400 if form.is_bound else 200,
    )


@seller_view()
def feed_detail_view(request, job_id: int):
    """The job's page; an htmx request (the page polling itself) gets the progress fragment."""
    job = selectors.seller_import_job(seller=request.seller, job_id=job_id)
    context = {
        "job": job,
        "running": job.status in (ImportStatus.PENDING, ImportStatus.RUNNING),
        "errors": selectors.import_job_first_errors(job=job),
        "category_problems": selectors.import_job_category_problems(job=job),
    }
    if request.htmx:
        response = render(request, "portal/_feed_job.html", context)
    else:
        response = render(request, "portal/feed_detail.html", portal_context(request, **context))
    patch_vary_headers(response, ["HX-Request"])
    return response


@seller_view()
def feed_errors_view(request, job_id: int):
    job = selectors.seller_import_job(seller=request.seller, job_id=job_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-erreurs.csv"'
    errors_csv_write(job=job, path=None, out=response)
    return response


@require_POST
@seller_view()
def feed_resume_view(request, job_id: int):
    job = selectors.seller_import_job(seller=request.seller, job_id=job_id)
    try:
        services.portal_feed_import_resume(seller=request.seller, job_id=job.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Import relancé : il reprend après la dernière ligne validée."))
    return redirect("portal:feed", job_id=job.pk)


# --- Orders ------------------------------------------------------------------------------------


@seller_view()
def order_list_view(request):
    form = OrderFilterForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    orders = selectors.seller_orders(seller=request.seller, status=status)
    return render(
        request,
        "portal/order_list.html",
        portal_context(
            request, form=form, page=_page(request, orders), query=_query_without_page(request)
        ),
    )


def _order_page(request, seller_order, *, ship_form=None, cancel_form=None, status=200):
    lines = [(line, selectors.line_commission(line)) for line in seller_order.lines.all()]
    # A refused transition (e.g. cancelling a shipped order) is shown at the top: the form that
    # was posted may no longer be displayed for the order's current status.
    action_errors = [
        error
        for form in (ship_form, cancel_form)
        if form is not None and form.is_bound
        for error in form.non_field_errors()
    ]
    return render(
        request,
        "portal/order_detail.html",
        portal_context(
            request,
            seller_order=seller_order,
            lines=lines,
            has_commission=any(c is not None for _l, c in lines),
            action_errors=action_errors,
            ship_form=ship_form or ShipForm(),
            cancel_form=cancel_form or CancelForm(),
        ),
        status=status,
    )


@seller_view()
def order_detail_view(request, seller_order_id: int):
    seller_order = selectors.seller_order(seller=request.seller, seller_order_id=seller_order_id)
    return _order_page(request, seller_order)


@require_POST
@seller_view()
def order_accept_view(request, seller_order_id: int):
    seller_order = selectors.seller_order(seller=request.seller, seller_order_id=seller_order_id)
    try:
        order_services.seller_order_accept(seller_order=seller_order, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Commande acceptée : préparez le colis."))
    return redirect("portal:order", seller_order_id=seller_order.pk)


@require_POST
@seller_view()
def order_ship_view(request, seller_order_id: int):
    seller_order = selectors.seller_order(seller=request.seller, seller_order_id=seller_order_id)
    form = ShipForm(request.POST)
    if form.is_valid():
        try:
            order_services.seller_order_ship(
                seller_order=seller_order, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            _add_domain_error(form, exc)
        else:
            messages.success(request, _("Colis expédié : le client est prévenu."))
            return redirect("portal:order", seller_order_id=seller_order.pk)
    return _order_page(request, seller_order, ship_form=form, status=400)


@require_POST
@seller_view()
def order_cancel_view(request, seller_order_id: int):
    seller_order = selectors.seller_order(seller=request.seller, seller_order_id=seller_order_id)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            seller_order_cancel(
                seller_order=seller_order, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            _add_domain_error(form, exc)
        else:
            messages.success(request, _("Commande annulée : le client est remboursé."))
            return redirect("portal:order", seller_order_id=seller_order.pk)
    return _order_page(request, seller_order, cancel_form=form, status=400)


# --- Money -------------------------------------------------------------------------------------


@seller_view()
def invoice_list_view(request):
    """The seller's invoices and credit notes, and the operator's commission invoices to it."""
    invoices = invoices_of_seller(seller=request.seller)
    return render(
        request,
        "portal/invoice_list.html",
        portal_context(request, page=_page(request, invoices), query=_query_without_page(request)),
    )


def _own_invoice_file(request, invoice_id: int, fmt: str) -> HttpResponse:
    invoice = invoices_of_seller(seller=request.seller).filter(pk=invoice_id).first()
    if invoice is None:
        raise Http404
    body, content_type, filename = invoice_file(invoice=invoice, fmt=fmt)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@seller_view()
def invoice_pdf_view(request, invoice_id: int):
    return _own_invoice_file(request, invoice_id, "pdf")


@seller_view()
def invoice_xml_view(request, invoice_id: int):
    return _own_invoice_file(request, invoice_id, "xml")


@seller_view(owner_only=True)
def money_view(request):
    seller = request.seller
    return render(
        request,
        "portal/money.html",
        portal_context(
            request,
            money=selectors.seller_money(seller=seller),
            statements=selectors.seller_statements(seller=seller),
        ),
    )


@seller_view(owner_only=True)
def statement_view(request, month: str):
    start = selectors.parse_month(month)
    if start is None:
        raise Http404("Mois invalide.")
    lines = selectors.seller_statement_lines(seller=request.seller, month=start)
    return render(
        request,
        "portal/statement.html",
        portal_context(
            request,
            month=start,
            lines=lines,
            total_credit=sum((line.credit for line in lines), selectors.ZERO),
            total_debit=sum((line.debit for line in lines), selectors.ZERO),
        ),
    )


# --- Delivery methods --------------------------------------------------------------------------


@seller_view(owner_only=True)
def delivery_list_view(request):
    methods = DeliveryMethod.objects.filter(seller=request.seller).order_by("position", "pk")
    return render(request, "portal/delivery_list.html", portal_context(request, methods=methods))


def _delivery_form(request, method=None):
    initial = {}
    if method is not None:
        initial = {name: getattr(method, name) for name in services.DELIVERY_FIELDS}
    form = DeliveryMethodForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.delivery_method_save(
                seller=request.seller,
                method_id=method.pk if method else None,
                **form.cleaned_data,
            )
        except DomainError as exc:
            _add_domain_error(form, exc)
        else:
            messages.success(request, _("Mode de livraison enregistré."))
            return redirect("portal:delivery")
    return render(
        request, "portal/delivery_form.html", portal_context(request, form=form, method=method)
    )


@seller_view(owner_only=True)
def delivery_create_view(request):
    return _delivery_form(request)


@seller_view(owner_only=True)
def delivery_edit_view(request, method_id: int):
    method = get_object_or_404(DeliveryMethod, pk=method_id, seller=request.seller)
    return _delivery_form(request, method)


@require_POST
@seller_view(owner_only=True)
def delivery_delete_view(request, method_id: int):
    try:
        services.delivery_method_delete(seller=request.seller, method_id=method_id)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Mode de livraison supprimé."))
    return redirect("portal:delivery")


# --- API tokens --------------------------------------------------------------------------------


@seller_view()
def token_list_view(request):
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = api_token_create(member=request.seller_member, name=form.cleaned_data["name"])
        except DomainError as exc:
            _add_domain_error(form, exc)
        else:
            form = TokenForm()
    tokens = selectors.seller_tokens(member=request.seller_member)
    return render(
        request,
        "portal/tokens.html",
        portal_context(request, form=form, tokens=tokens, issued=issued),
    )


@require_POST
@seller_view()
def token_revoke_view(request, token_id: int):
    token = get_object_or_404(selectors.seller_tokens(member=request.seller_member), pk=token_id)
    api_token_revoke(token=token)
    messages.success(request, _("Jeton révoqué : il ne donne plus accès à l'API."))
    return redirect("portal:tokens")


# --- Subscriptions: issues to ship -------------------------------------------------------------

# One page shows at most this many issues (a large title's week); the CSV export has them all.
FULFILMENTS_PAGE_MAX = 2000
ID_DIGITS_MAX = 18


def _fulfilments_until(request):
    form = FulfilmentFilterForm(request.GET or None)
    until = form.cleaned_data.get("until") if form.is_valid() else None
    return form, until or ship_until_default()


@seller_view()
def fulfilment_list_view(request):
    form, until = _fulfilments_until(request)
    rows = list(fulfilments_of_seller(seller=request.seller, until=until)[:FULFILMENTS_PAGE_MAX])
    return render(
        request,
        "portal/fulfilment_list.html",
        portal_context(
            request,
            form=form,
            until=until,
            days=fulfilments_by_date(rows),
            count=len(rows),
            truncated=len(rows) == FULFILMENTS_PAGE_MAX,
            query=request.GET.urlencode(),
        ),
    )


@require_POST
@seller_view()
def fulfilment_ship_view(request):
    # An id too long for a database integer cannot be one of the seller's: dropped, as junk is.
    ids = [v for v in request.POST.getlist("ids") if v.isdigit() and len(v) <= ID_DIGITS_MAX]
    if not ids:
        messages.error(request, _("Cochez au moins un numéro à marquer expédié."))
    else:
        shipped = fulfilments_ship(seller=request.seller, fulfilment_ids=ids)
        messages.success(
            request,
            ngettext("%(n)d numéro marqué expédié.", "%(n)d numéros marqués expédiés.", shipped)
            % {"n": shipped},
        )
    until = request.POST.get("until", "")
    target = reverse("portal:fulfilments")
    return redirect(f"{target}?{urlencode({'until': until})}" if until else target)


CSV_COLUMNS = ("id", "issue_date", "publication", "name", "line1", "line2", "postcode", "city",
               "country")  # fmt: skip


def _csv_cell(value) -> str:
    """A customer-typed value a spreadsheet must not run as a formula (CSV injection)."""
    text = str(value or "")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@seller_view()
def fulfilment_csv_view(request):
    _form, until = _fulfilments_until(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="numeros-{until.isoformat()}.csv"'
    response.write("\ufeff")  # lets spreadsheet software read the file as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(CSV_COLUMNS)
    for f in fulfilments_of_seller(seller=request.seller, until=until).iterator():
        address = f.subscription.delivery_address or {}
        writer.writerow(
            [f.pk, f.issue_date.isoformat(), f.subscription.plan.publication]
            + [_csv_cell(address.get(key, "")) for key in CSV_COLUMNS[3:]]
        )
    return response
