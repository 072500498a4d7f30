"""The Syncro API layer: client, request builders, response models, errors, pacing, redaction.

The only code in the app that sees raw JSON. Importable without the domain,
write-path or UI layers.

The client (and with it httpx) is imported on first use of ``SyncroClient`` or
``base_url_for``, so the models, errors and pacing load without it: the app
paints its first screen before httpx is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    AuthError,
    BadRequest,
    NetworkError,
    NotFound,
    PermissionDenied,
    RateLimited,
    ResponseShapeError,
    ServerError,
    SyncroError,
    ValidationFailed,
    WriteOutcomeUnknown,
)
from .pacing import Pacer, shared_pacer

if TYPE_CHECKING:
    from .client import SyncroClient, base_url_for

__all__ = [
    "AuthError", "BadRequest", "NetworkError", "NotFound", "Pacer", "PermissionDenied", "RateLimited",
    "ResponseShapeError", "ServerError", "SyncroClient", "SyncroError", "ValidationFailed", "WriteOutcomeUnknown",
    "base_url_for", "shared_pacer",
]


def __getattr__(name: str) -> Any:
    if name in ("SyncroClient", "base_url_for"):
        from . import client

        return getattr(client, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
