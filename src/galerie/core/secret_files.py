"""Secrets generated once per installation into var/, safe when several processes start at once.

"Check, then write" let two gunicorn workers starting together each write a different secret
and sign with it: the file is written aside and linked into place, which only one can do, and
the others read the winner's complete file.
"""

import contextlib
import os
import secrets
from pathlib import Path


def secret_file_read_or_create(path: Path, *, nbytes: int = 32) -> str:
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(nbytes))
            with contextlib.suppress(FileExistsError):  # another process linked its file first
                os.link(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    return path.read_text().strip()
