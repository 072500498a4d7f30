"""Files the app writes (exports, session logs, crash reports, its journal): readable by their owner only.

Each is written whole or not at all (a temporary file beside it, then a rename),
so a failure never leaves a 0-byte or half-written file where a good one was
expected; text that cannot be encoded (a lone surrogate from Syncro) is
written escaped instead of failing the write.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """``path`` as a directory only its owner can enter (made if missing; an existing one is tightened)."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    try:
        os.chmod(path, DIR_MODE)
    except OSError:
        pass  # not ours to change (a shared parent the tech pointed at): the files are still owner-only
    return path


def write_private(path: Path, text: str, *, exclusive: bool = False) -> Path:
    """Write ``text`` to ``path`` atomically, owner-only; ``exclusive``: never over an existing file."""
    private_dir(path.parent)
    data = text.encode("utf-8", errors="backslashreplace")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, FILE_MODE)
        if exclusive:
            os.link(tmp, path)  # fails if the file exists: nothing is overwritten
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def log_to(directory: Path) -> logging.FileHandler:
    """Warnings of the app (what Syncro sent that could not be read, unexpected errors) to ``syncro-tui.log``.

    Records are redacted as they are made (``api.redact``); the file is owner-only. Remove the
    handler from the ``syncro_tui`` logger when done.
    """
    path = private_dir(directory) / "syncro-tui.log"
    os.close(os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, FILE_MODE))
    os.chmod(path, FILE_MODE)
    handler = logging.FileHandler(path, encoding="utf-8", errors="backslashreplace")
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger("syncro_tui").addHandler(handler)
    return handler


def make_private(path: Path) -> None:
    """Tighten a file the app made through another library (the SQLite journal and its -wal/-shm files)."""
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if candidate.exists():
            os.chmod(candidate, FILE_MODE)
