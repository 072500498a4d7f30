"""One exception hierarchy for everything that can go wrong talking to Syncro.

Every message is short, readable by a technician, and free of the API key.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

PERMISSION_HINT = "update your group permissions"


@dataclass(frozen=True)
class SentRequest:
    """What was sent, for a write whose outcome is unknown (redacted: no key anywhere)."""

    call: str
    method: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)
    body: dict[str, Any] | None = None


class SyncroError(Exception):
    """Base of every error the client raises."""

    def __init__(self, message: str, *, call: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.call = call
        self.status = status

    def __str__(self) -> str:
        return self.message


class AuthError(SyncroError):
    """401: the key is wrong, expired or revoked."""


class PermissionDenied(AuthError):
    """401 with Syncro's permission message: the key's group lacks a permission."""

    def __init__(self, message: str, *, permission: str | None, call: str | None = None) -> None:
        super().__init__(message, call=call, status=401)
        self.permission = permission


class NotFound(SyncroError):
    """404: no such record (or a path the API does not have)."""


class ValidationFailed(SyncroError):
    """422: Syncro refused the data; ``messages`` are its reasons."""

    def __init__(self, messages: list[str], *, call: str | None = None) -> None:
        super().__init__("; ".join(messages) or "Syncro refused the request", call=call, status=422)
        self.messages = messages


class BadRequest(SyncroError):
    """400: the request was malformed (Syncro answers these with an HTML page)."""


class RateLimited(SyncroError):
    """429 that did not clear after waiting: the per-minute budget is exhausted."""


class ServerError(SyncroError):
    """5xx on a read, after retries."""


class NetworkError(SyncroError):
    """The host could not be reached or did not answer in time (a read, or a write never sent)."""


class ResponseShapeError(SyncroError):
    """The response did not have the shape this call returns (a read)."""


class WriteOutcomeUnknown(SyncroError):
    """A write whose result is unknown: it may or may not have landed.

    Never resend it blindly: read the record back and decide (docs/rules.md §3).
    """

    def __init__(self, message: str, *, request: SentRequest, reason: str) -> None:
        super().__init__(message, call=request.call)
        self.request = request
        self.reason = reason


def _flatten(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list):
        return [m for item in value for m in _flatten(item)]
    if isinstance(value, dict):  # {"field": ["can't be blank"]}
        return [f"{_field(key)} {msg}" for key, sub in value.items() for msg in _flatten(sub)]
    return [str(value)]


def _field(name: str) -> str:
    return name.replace("_", " ").capitalize()


_TAGS = re.compile(r"<[^>]+>")


def error_messages(text: str, content_type: str = "") -> list[str]:
    """Turn any of Syncro's error bodies into readable messages.

    Shapes (docs/rules.md §1): {"error": "..."}, {"success": false, "message": [...]},
    {"errors": "a, b", "params": {}}, {"errors": [...]}, a bare {"field": [...]} hash,
    {"message": "Not found"}, plain text, and HTML pages.
    """
    stripped = text.strip()
    if not stripped:
        return []
    data: Any = None
    if stripped[:1] in "{[":
        try:
            data = json.loads(stripped)
        except ValueError:
            data = None
    if isinstance(data, dict):
        for key in ("errors", "error", "message"):
            if key in data and data[key] not in (None, "", [], {}):
                value = data[key]
                if key == "errors" and isinstance(value, str):
                    return [part.strip() for part in value.split(",") if part.strip()]
                if key == "error" and isinstance(value, str) and "," in value and isinstance(data.get("message"), str):
                    return [part.strip() for part in value.split(",") if part.strip()]
                return _flatten(value)
        # a bare Rails errors hash: {"field": ["can't be blank"]}
        return _flatten({k: v for k, v in data.items() if k not in ("success", "params", "record")})
    if isinstance(data, list):
        return _flatten(data)
    if "html" in content_type.lower() or stripped.lower().startswith(("<!doctype", "<html")):
        title = re.search(r"<h1[^>]*>(.*?)</h1>", stripped, re.S | re.I) or re.search(r"<title[^>]*>(.*?)</title>", stripped, re.S | re.I)
        text = _TAGS.sub("", title.group(1)) if title else "an HTML error page"
        return [" ".join(text.split())]
    return [" ".join(stripped.split())[:300]]
