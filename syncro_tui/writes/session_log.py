"""Writing the session log on close: a new file only, never over an existing one."""

from __future__ import annotations

from pathlib import Path


def write_new(path: Path, text: str) -> Path:
    """Create ``path`` with ``text``; FileExistsError if it is already there (nothing is overwritten)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as fh:
        fh.write(text)
    return path
