"""The Syncro API layer: client, request builders, response models, errors, pacing, redaction.

The only code in the app that sees raw JSON. Importable without the domain,
write-path or UI layers.
"""

from .client import SyncroClient, base_url_for
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

__all__ = [
    "AuthError", "BadRequest", "NetworkError", "NotFound", "Pacer", "PermissionDenied", "RateLimited",
    "ResponseShapeError", "ServerError", "SyncroClient", "SyncroError", "ValidationFailed", "WriteOutcomeUnknown",
    "base_url_for", "shared_pacer",
]
