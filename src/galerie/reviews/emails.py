"""Review e-mails, sent after the transaction commits (`transaction.on_commit`)."""

from django.utils.translation import gettext as _

from galerie.core.mail import mail_send
from galerie.reviews.models import Review


def review_rejected_send(review_id: int) -> None:
    """Tell the customer their review was not published, and why (the review policy says so)."""
    review = Review.objects.select_related("product", "customer").get(pk=review_id)
    if review.customer is None or not review.customer.email:
        return
    mail_send(
        _("Votre avis sur « %(title)s » n'a pas été publié") % {"title": review.product.title},
        "reviews/email/rejected.txt",
        {"review": review},
        [review.customer.email],
    )
