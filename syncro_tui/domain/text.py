"""Text from Syncro made safe to show or store, without I/O.

Text from Syncro is untrusted. ``clean`` replaces control characters (ANSI
escapes, BEL, OSC) with their visible Unicode pictures, so nothing can restyle,
move the cursor or retitle a terminal, whether on screen or in a file later
shown with ``cat``. ``html_to_text`` turns Syncro's HTML comment bodies into
readable text.
"""

from __future__ import annotations

import html
import re

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
