"""Template filters of the seller portal."""

import os

from django import template

register = template.Library()


@register.filter
def feed_file_name(job) -> str:
    """The feed's file name only: a job started from the command line holds a server path."""
    return os.path.basename(job.upload.name if job.upload else job.path)
