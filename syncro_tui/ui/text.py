"""Showing Syncro's text literally.

Text from Syncro is untrusted: a customer name or a comment may hold Rich
markup (``[bold red]``), ANSI escape sequences or other control characters.
Everything from Syncro reaches the screen through ``literal``: a Rich ``Text``
(never parsed as markup) with control characters replaced by their visible
Unicode pictures, so nothing can restyle, move the cursor or retitle the
terminal.
"""

from __future__ import annotations

import html
import re

from rich.text import Text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␇ for BEL ...
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def clean(value: object, *, single_line: bool = True) -> str:
    text = "" if value is None else str(value)
    if single_line:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    else:
        text = text.replace("\r\n", "\n").replace("\t", "    ")
    return _CONTROL.sub(_picture, text)


def literal(value: object, style: str = "", *, single_line: bool = True) -> Text:
    return Text(clean(value, single_line=single_line), style=style, no_wrap=single_line, end="")


_BREAK = re.compile(r"<\s*br\s*/?\s*>|</\s*(p|div|li)\s*>|<\s*/?\s*(ul|ol)[^>]*>", re.IGNORECASE)
_ITEM = re.compile(r"<\s*li[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def html_to_text(body: str | None) -> str:
    """Syncro's HTML comment bodies as readable plain text."""
    if not body:
        return ""
    text = _BREAK.sub("\n", body)
    text = _ITEM.sub("• ", text)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    return "\n".join(line.rstrip() for line in text.splitlines() if line.strip()).strip()
