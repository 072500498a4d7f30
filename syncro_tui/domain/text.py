"""Text from Syncro made safe to show or store, without I/O.

Text from Syncro is untrusted. ``clean`` replaces control characters (ANSI
escapes, BEL, OSC) with their visible Unicode pictures and bidi controls with
their code point, so nothing can restyle, move the cursor, retitle a terminal,
write its clipboard or reorder a line, whether on screen or in a file later
shown with ``cat``. ``cell`` also keeps a CSV cell from running as a formula. ``html_to_text`` turns Syncro's HTML comment bodies into
readable text.
"""

from __future__ import annotations

import html
import json
import re

#: C0 and C1 controls (ESC, BEL, CSI ...), bidi embeddings, overrides, isolates and marks (U+202E turns text
#: around on screen), line and paragraph separators, and lone surrogates (which cannot even be written to a file).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                      "\u2066-\u2069\ud800-\udfff]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␇ for BEL ...
    if code == 0x7F:
        return "\u2421"
    if code < 0xA0 or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return f"<U+{code:04X}>"  # a bidi control, shown for what it is instead of reordering the line


def json_text(value: object, **options: object) -> str:
    """``value`` as JSON that is safe to ``cat``: readable UTF-8 (``ensure_ascii=False``), except control, bidi and
    surrogate characters, which are escaped (``\\u202e``), so the data is kept exactly and no terminal obeys it."""
    text = json.dumps(value, ensure_ascii=False, **options)  # type: ignore[arg-type]
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def clean(value: object, *, single_line: bool = True) -> str:
    text = "" if value is None else str(value)
    if single_line:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    else:
        text = text.replace("\r\n", "\n").replace("\t", "    ")
    return _CONTROL.sub(_picture, text)


#: A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A CSV cell: clean, and never a formula when the file is opened in a spreadsheet."""
    text = clean(value)
    return "'" + text if text.startswith(_FORMULA) else text


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


def counted(count: int, word: str, plural: str | None = None) -> str:
    """ "1 call", "2 calls" ("1 copy", "2 copies" with ``plural``)."""
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


def unreadable(count: int, what: str = "ticket") -> str:
    """ "1 ticket could not be read", "2 changed tickets could not be read". """
    return f"{count} {what}{'' if count == 1 else 's'} could not be read"
