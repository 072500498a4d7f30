"""What every command shares: failing with a message, and the exit code for a Syncro error."""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from contextlib import contextmanager
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..exit_codes import AUTH as EXIT_AUTH
from ..exit_codes import USAGE as EXIT_USAGE


#: Plain words for the signs the commands print, where the console's code page has no glyph for them
#: (a Windows console or pipe in cp1252, LANG=C): the output stays readable instead of crashing on an arrow.
ASCII_WORDS = {"→": "->", "←": "<-", "≥": ">=", "≤": "<=", "•": "*", "…": "...", "—": "-", "–": "-", "×": "x",
               "✓": "ok", "✗": "x", "⚑": "!", "▲": "^", "▼": "v", "“": '"', "”": '"', "‘": "'", "’": "'",
               "·": "-", "€": "EUR", "£": "GBP", "\u00a0": " "}


def _in_ascii(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    chunk = error.object[error.start:error.end]
    return "".join(ASCII_WORDS.get(c) or c.encode("ascii", "backslashreplace").decode("ascii") for c in chunk), error.end


codecs.register_error("syncro-tui-ascii", _in_ascii)


def survive_any_console(*streams: object) -> None:
    """Make the command's output printable on any console: UTF-8 where the console takes it (unchanged), plain
    ASCII words for what its code page lacks. Nothing printed can then end a command with UnicodeEncodeError."""
    for stream in streams or (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="syncro-tui-ascii")


def fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"syncro-tui: {message}", file=sys.stderr)  # cleaned and redacted by the stream (CleanedStream)
    return code


class CleanedStream:
    """Standard output or error as the commands write to it: every piece of text goes out the way the screens
    show Syncro's text (control, bidi and surrogate characters made visible) and with the key masked, raw,
    URL-encoded or in pieces, whoever wrote the text (an error echoed by a proxy)."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        from ..api.redact import redact
        from ..domain.text import clean

        self.stream.write(clean(redact(text), single_line=False))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


@contextmanager
def one_way_out() -> Iterator[None]:
    """Inside, everything a command prints goes through ``CleanedStream`` (the app's screen does not: Textual
    draws it, and the screens clean Syncro's text themselves)."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = (s if isinstance(s, CleanedStream) else CleanedStream(s) for s in saved)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def exit_for(exc: Exception) -> int:
    from ..api import AuthError, NetworkError
    from ..exit_codes import NETWORK

    return EXIT_AUTH if isinstance(exc, AuthError) else NETWORK if isinstance(exc, NetworkError) else 1


def text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def remove_demo_files(directory: Path) -> None:
    """The demo's journal, cache and log go with it: only its own throwaway directory, never a tech's."""
    from ..session import DEMO_DIR_PREFIX

    if directory.name.startswith(DEMO_DIR_PREFIX) and directory.parent == Path(tempfile.gettempdir()):
        shutil.rmtree(directory, ignore_errors=True)
