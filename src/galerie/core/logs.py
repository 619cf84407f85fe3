"""The request id every log line carries, and the JSON log format (GALERIE_LOG_FORMAT=json).

The id lives in a context variable: set by galerie.operations' middleware for a web request, and
by `galerie.core.tasks.task` while a task runs, from the id of the request that enqueued it. So a
task's log lines carry the id of the request that caused them, in whichever process runs it.
"""

import json
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

request_id_var: ContextVar[str | None] = ContextVar("galerie_request_id", default=None)

# An incoming X-Request-ID is kept only if it is short and plain: it is echoed in a header and
# written to every log line, so nothing that could forge a line, a header or a field may pass.
_REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._:-]{1,128}")

# Fields of a record, beside the message, that a JSON line carries when they are set (`extra=`).
_EXTRA_FIELDS = ("method", "path", "route", "status", "duration_ms", "task")


def request_id_new() -> str:
    return os.urandom(16).hex()


def request_id_from_header(value: str | None) -> str:
    """The client's id if it is acceptable, else a new one."""
    if value and _REQUEST_ID_RE.fullmatch(value):
        return value
    return request_id_new()


def request_id_get() -> str | None:
    return request_id_var.get()


@contextmanager
def request_id_bound(request_id: str | None) -> Iterator[None]:
    token = request_id_var.set(request_id)
    try:
        yield
    finally:
        request_id_var.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id, the
    access-log fields when present, and the traceback as `exception`."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id_var.get(),
        }
        for name in _EXTRA_FIELDS:
            value = record.__dict__.get(name)
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False, default=str)
