"""What every command shares: failing with a message, and the exit code for a Syncro error."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..exit_codes import AUTH as EXIT_AUTH
from ..exit_codes import USAGE as EXIT_USAGE


def fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"syncro-tui: {message}", file=sys.stderr)
    return code


def exit_for(exc: Exception) -> int:
    from ..api import AuthError, NetworkError
    from ..exit_codes import NETWORK

    return EXIT_AUTH if isinstance(exc, AuthError) else NETWORK if isinstance(exc, NetworkError) else 1


def text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def remove_demo_files(directory: Path) -> None:
    """The demo's journal, cache and log go with it: only its own throwaway directory, never a tech's."""
    from ..demo import DEMO_DIR_PREFIX

    if directory.name.startswith(DEMO_DIR_PREFIX) and directory.parent == Path(tempfile.gettempdir()):
        shutil.rmtree(directory, ignore_errors=True)
