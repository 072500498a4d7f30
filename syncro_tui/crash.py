"""When something unexpected goes wrong: a crash report the tech can send, with nothing from memory in it.

No local variables, no request parameters, no key: the traceback's lines and
the exception's message only, each passed through ``redact`` (which masks every
key the app has used and any ``api_key=`` or Authorization value).
"""

from __future__ import annotations

import platform
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

from . import __version__
from .api.redact import redact
from .files import write_private


def summary(error: BaseException) -> str:
    """The error in one line, redacted: its kind and its message."""
    text = redact(error) or "(no message)"
    return f"{type(error).__name__}: {text[:300]}"


def write_report(error: BaseException, directory: Path, *, where: str) -> Path | None:
    """A redacted report of ``error`` under ``directory``; None when it cannot be written (the tech is told anyway)."""
    now = datetime.now(UTC)
    lines = [
        f"syncro-tui {__version__} crash report, {now.isoformat(timespec='seconds')}",
        f"where: {where}",
        f"python {platform.python_version()} on {sys.platform}",
        "",
        *traceback.format_exception(type(error), error, error.__traceback__),
    ]
    try:
        return write_private(directory / f"crash-{now:%Y%m%d-%H%M%S-%f}.txt", redact("".join(
            line if line.endswith("\n") else line + "\n" for line in lines)))
    except OSError:
        return None
