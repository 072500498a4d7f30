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

MASK = "***"
_QUERY_KEY = re.compile(r"(api_key=)[^&\s'\"#]+", re.IGNORECASE)
_AUTH_HEADER = re.compile(r"((?:authorization)['\"]?\s*[:=]\s*['\"]?(?:bearer\s+)?)[^\s'\",}]+", re.IGNORECASE)

_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(secret: str | None) -> None:
    """Remember a key so that it is masked wherever it appears."""
    if secret and len(secret) >= 4:
        with _lock:
            _secrets.add(secret)


def redact(text: Any) -> str:
    value = str(text)
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in value:
            value = value.replace(secret, MASK)
    value = _QUERY_KEY.sub(r"\1" + MASK, value)
    return _AUTH_HEADER.sub(r"\1" + MASK, value)


def redact_data(value: Any) -> Any:
    """Redact every string inside a JSON-like structure (for journals and exports)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: (MASK if str(k).lower() in ("api_key", "authorization") else redact_data(v)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_data(v) for v in value]
    return value


class RedactingFilter(logging.Filter):
    """Rewrites a record's message with every secret masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not hide the record
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


_FILTER = RedactingFilter()
LOGGERS = ("syncro_tui", "httpx", "httpcore", "uvicorn", "uvicorn.error", "uvicorn.access")


def install_log_redaction() -> None:
    """Attach the filter to every logger that may see a URL or a header."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
