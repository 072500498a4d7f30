"""Files the app writes (exports, session logs, crash reports, its journal): private to the tech.

Each is written whole or not at all (a temporary file beside it, then a rename),
so a failure never leaves a half-written file where a good one was expected;
text that cannot be encoded (a lone surrogate from Syncro) is written escaped
instead of failing the write. "Private" is what the OS can promise
(``host.make_owner_only``): owner-only modes on POSIX, the user's profile on
Windows.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tempfile
from pathlib import Path

from .host import make_owner_only

log = logging.getLogger(__name__)


def private_dir(path: Path) -> Path:
    """``path`` as a directory only its owner can enter (made if missing; an existing one is tightened)."""
    path.mkdir(parents=True, exist_ok=True)
    try:
        make_owner_only(path, directory=True)
    except OSError:
        pass  # not ours to change (a shared parent the tech pointed at): the files are still owner-only
    return path


def write_private(path: Path, text: str, *, exclusive: bool = False, durable: bool = True) -> Path:
    """Write ``text`` to ``path`` atomically, owner-only; ``exclusive``: never over an existing file; ``durable``:
    on the disk before returning (synced), not only in the OS's cache.

    An exclusive write first claims the name with ``open(..., "x")`` (which fails if the file exists, on every
    OS and file system, network shares included: no hard link is needed), then puts the finished text there."""
    private_dir(path.parent)
    data = text.encode("utf-8", errors="backslashreplace")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    claimed = False
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:  # not for what is written at each key (drafts): a crash of the app keeps it without
                os.fsync(fh.fileno())
        make_owner_only(Path(tmp))
        if exclusive:
            with open(path, "xb"):  # FileExistsError if it exists: nothing is overwritten
                claimed = True
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
            if claimed:
                path.unlink(missing_ok=True)  # the empty claim, never a file that was there before
        raise
    return path


def log_to(directory: Path) -> logging.FileHandler:
    """Warnings of the app (what Syncro sent that could not be read, unexpected errors) to ``syncro-tui.log``.

    Records are redacted as they are made (``api.redact``); the file is owner-only. Remove the
    handler from the ``syncro_tui`` logger when done.
    """
    path = private_dir(directory) / "syncro-tui.log"
    path.touch(exist_ok=True)
    make_owner_only(path)
    handler = logging.FileHandler(path, encoding="utf-8", errors="backslashreplace")
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger("syncro_tui").addHandler(handler)
    return handler


def make_private(path: Path) -> None:
    """Tighten a file the app made through another library (the SQLite journal and its -wal/-shm files)."""
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if candidate.exists():
            make_owner_only(candidate)


#: The SQLite files already told about, so each fallback is said once a run.
_ROLLBACK_SAID: set[Path] = set()


def use_wal(db: sqlite3.Connection, path: Path) -> str:
    """Put ``db`` in WAL mode where its file system allows it; else a rollback journal, said once in the log.

    WAL needs shared memory beside the file, which network drives (SMB shares, some synced folders) refuse;
    the rollback journal is slower with several writers but safe there. Returns the mode in use."""
    try:
        mode = str(db.execute("PRAGMA journal_mode=WAL").fetchone()[0]).lower()
    except sqlite3.OperationalError as exc:
        mode = f"unavailable ({exc})"
    if mode != "wal":
        db.execute("PRAGMA journal_mode=DELETE")
        if path not in _ROLLBACK_SAID:
            _ROLLBACK_SAID.add(path)
            log.warning("%s: this folder cannot hold SQLite's write-ahead log (%s, a network drive?); "
                        "a rollback journal is used instead, which is slower with several windows but safe", path, mode)
        return "delete"
    return "wal"
