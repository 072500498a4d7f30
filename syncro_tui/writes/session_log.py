"""Writing the session log on close: a new file only, never over an existing one, readable by its owner only."""

from __future__ import annotations

from pathlib import Path

from ..files import write_private


def write_new(path: Path, text: str) -> Path:
    """Create ``path`` with ``text``; FileExistsError if it is already there (nothing is overwritten)."""
    return write_private(path, text, exclusive=True)
