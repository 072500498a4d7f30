"""Keep the API key out of everything that can be seen or stored.

Every key the app uses is registered here; ``redact`` replaces it (and any
``api_key=`` query value) in any text. A logging filter applies it to every
record of the app's and httpx's loggers, and the client redacts its exception
messages, because httpx puts full URLs (with ``?api_key=``) in them.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any
from urllib.parse import quote, quote_plus

MASK = "***"
_QUERY_KEY = re.compile(r"(api_key=)[^&\s'\"#]+", re.IGNORECASE)
_AUTH_HEADER = re.compile(r"((?:authorization)['\"]?\s*[:=]\s*['\"]?(?:bearer\s+)?)[^\s'\",}]+", re.IGNORECASE)

#: A piece of a key this long is masked wherever it appears, whoever wrote the text around it.
FRAGMENT = 12

_secrets: set[str] = set()


def _forms(secret: str) -> tuple[str, ...]:
    """The key as it may be echoed: raw, URL-encoded (a query string), and form-encoded."""
    return tuple(dict.fromkeys((secret, quote(secret, safe=""), quote_plus(secret))))
_lock = threading.Lock()


def register_secret(secret: str | None) -> None:
    """Remember a key so that it is masked wherever it appears."""
    if secret and len(secret) >= 4:
        with _lock:
            _secrets.add(secret)


def redact(text: Any, *, patterns: bool = True) -> str:
    """``text`` with every registered key masked, and (``patterns``) any ``api_key=`` or Authorization value.

    ``patterns=False`` masks only the registered keys: for a write's body, which
    is kept to be sent again on resume and must stay as the tech confirmed it.
    """
    value = str(text)
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        for form in _forms(secret):
            if form in value:
                value = value.replace(form, MASK)
        if len(secret) > FRAGMENT:  # a server or proxy that echoes part of it (cut, or split across a line)
            for start in range(len(secret) - FRAGMENT + 1):
                piece = secret[start:start + FRAGMENT]
                if piece in value:
                    value = value.replace(piece, MASK)
    if not patterns:
        return value
    value = _QUERY_KEY.sub(r"\1" + MASK, value)
    return _AUTH_HEADER.sub(r"\1" + MASK, value)


def redact_data(value: Any, *, patterns: bool = True) -> Any:
    """Redact every string inside a JSON-like structure (for journals and exports)."""
    if isinstance(value, str):
        return redact(value, patterns=patterns)
    if isinstance(value, dict):
        return {k: (MASK if str(k).lower() in ("api_key", "authorization") else redact_data(v, patterns=patterns))
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_data(v, patterns=patterns) for v in value]
    return value


class RedactingFilter(logging.Filter):
    """Rewrites a record's message (and traceback text) with every secret masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        _scrub(record)
        return True


def _scrub(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a bad format string must not hide the record
        message = str(record.msg)
    record.msg = redact(message)
    record.args = None
    if record.exc_info and record.exc_info[1] is not None:
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        record.exc_info = None


_installed = False


def install_log_redaction() -> None:
    """Redact every log record of the process as it is created.

    A filter on a logger does not see records of its child loggers, so the
    redaction sits in the record factory, where no logger can bypass it.
    """
    global _installed
    with _lock:
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            _scrub(record)
            return record

        logging.setLogRecordFactory(factory)
        _installed = True
