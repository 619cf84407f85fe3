from django.urls import path

from galerie.invoicing import views

app_name = "invoicing"
urlpatterns = [
    # The order page's « Facture » link, at the address it always had.
    path(
        "<uuid:public_id>/facture/<int:seller_order_id>/", views.order_invoice, name="order_invoice"
    ),
    path(
        "<uuid:public_id>/factures/<int:invoice_id>.pdf",
        views.customer_invoice_pdf,
        name="customer_pdf",
    ),
    path(
        "<uuid:public_id>/factures/<int:invoice_id>.xml",
        views.customer_invoice_xml,
        name="customer_xml",
    ),
]
