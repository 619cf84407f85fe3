"""Background work of product pictures (django.tasks): fetch the pictures a feed linked."""

from galerie.core.tasks import task
from galerie.media.services import product_image_fetch


@task
def feed_images_fetch_task(image_ids: list[int]) -> dict:
    """Fetch each pending feed picture of `image_ids`; one failure leaves the others alone."""
    counts = {"ready": 0, "failed": 0}
    for image_id in image_ids:
        image = product_image_fetch(image_id=image_id)
        if image is not None and image.status in counts:
            counts[image.status] += 1
    return counts
