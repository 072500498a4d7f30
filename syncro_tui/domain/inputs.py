"""The one parser of each kind of thing a tech types that is not a time (times: ``when.parse_when``), for every
form and every command-line argument (no I/O).

Each takes any string and either returns a value the rest of the app can use, or raises ``InputProblem`` (a
ValueError) whose message says what to type: never another error. Only ASCII digits count as digits: "²"
and "①" are digits to ``str.isdigit`` but not to ``int``, and a number that reaches Syncro must be the one the
tech saw. Lengths are bounded before converting, so 10,000 typed characters are refused in words, not by
Python's limit on long integers.
"""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import urlsplit

from .text import clean

#: No number a tech types here is longer than this; anything longer is refused before it is read.
MAX_NUMBER_CHARS = 20
#: The most of a part or fee on one line.
MAX_QUANTITY = Decimal(10_000)

_WHOLE = re.compile(r"[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"[0-9]*\.?[0-9]+|[0-9]+\.", re.ASCII)


class InputProblem(ValueError):
    """What was typed cannot be used; the message says why and what to type instead."""


def shown(text: str, limit: int = 24) -> str:
    """What the tech typed, quoted in a message: made safe, and cut when long."""
    text = clean(text)
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"


def whole_number(text: str | None, *, what: str) -> int:
    """A whole number of ``what`` (0 or more) typed in ASCII digits."""
    value = (text or "").strip()
    if not value:
        raise InputProblem(f"Type the {what}.")
    if len(value) > MAX_NUMBER_CHARS:
        raise InputProblem(f"{shown(value)} is not a number of {what}: it is {len(value):,} characters long.")
    if value.startswith("-") and _WHOLE.fullmatch(value[1:]):
        raise InputProblem(f"The {what} cannot be negative.")
    if not _WHOLE.fullmatch(value):
        raise InputProblem(f"{shown(value)} is not a whole number of {what}: type digits 0 to 9.")
    return int(value)


def quantity(text: str | None) -> Decimal:
    """A quantity above zero, with up to four decimals ("2", "0.5"), at most ``MAX_QUANTITY``."""
    value = (text or "").strip()
    if not value:
        raise InputProblem("Type the quantity: a number above zero (2, or 0.5).")
    if len(value) > MAX_NUMBER_CHARS or not _DECIMAL.fullmatch(value):
        raise InputProblem(f"{shown(value)} is not a quantity: type a number above zero (2, or 0.5).")
    amount = Decimal(value)
    if amount <= 0:
        raise InputProblem(f"{shown(value)} is not a quantity above zero.")
    if amount > MAX_QUANTITY:
        raise InputProblem(f"{shown(value)} is more than {MAX_QUANTITY:,} on one line: check the quantity.")
    if amount != amount.quantize(Decimal("0.0001")):
        raise InputProblem(f"{shown(value)} has more than four decimals.")
    return amount


def base_url(text: str | None) -> str:
    """A Syncro API base URL (https://acme.syncromsp.com/api/v1, or the simulator's http://127.0.0.1:8765/api/v1),
    without its trailing slash."""
    value = (text or "").strip()
    if not value:
        raise InputProblem("The base URL is empty: write it as https://SUBDOMAIN.syncromsp.com/api/v1.")
    try:
        parts = urlsplit(value)
        port = parts.port  # a port that is not a number raises here
    except ValueError as exc:
        raise InputProblem(f"{shown(value, 60)} is not a URL ({exc}): write it as "
                           "https://SUBDOMAIN.syncromsp.com/api/v1.") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputProblem(f"{shown(value, 60)} is not an http(s) URL: write it as "
                           "https://SUBDOMAIN.syncromsp.com/api/v1.")
    if port == 0:
        raise InputProblem(f"{shown(value, 60)}: port 0 is not a port.")
    return value.rstrip("/")
