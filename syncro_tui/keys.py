"""Per-tech API keys in the OS keyring, with SYNCRO_API_KEY as the override and the fallback.

Each tech uses their own key, because Syncro records every API write under the
key's owner (docs/rules.md §8). Keys are never written to a file.

Where there is no keyring backend (headless Linux, CI), ``SYNCRO_API_KEY`` is
the way to give a key, and every message says so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

SERVICE = "syncro-tui"
ENV_KEY = "SYNCRO_API_KEY"

NO_BACKEND = (
    "No keyring backend is available on this machine (common on headless Linux and in CI), "
    f"so keys cannot be stored. Set {ENV_KEY} in the environment instead."
)


class KeyStoreError(Exception):
    """A key could not be stored, read or removed; the message says why."""


@dataclass(frozen=True)
class FoundKey:
    key: str
    source: str  # "env" or "keyring"

    def __repr__(self) -> str:
        return f"FoundKey(source={self.source!r}, key=***)"


def _keyring():
    import keyring

    return keyring


def backend_available() -> bool:
    kr = _keyring()
    from keyring.backends import fail

    backend = kr.get_keyring()
    if isinstance(backend, fail.Keyring):
        return False
    try:
        from keyring.backends import chainer

        if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
            return False
    except ImportError:  # pragma: no cover - older keyring
        pass
    return True


def find_key(profile: str) -> FoundKey | None:
    """The key for a profile: $SYNCRO_API_KEY first (an explicit override), then the keyring."""
    env = os.environ.get(ENV_KEY, "").strip()
    if env:
        return FoundKey(env, "env")
    if not backend_available():
        return None
    from keyring.errors import KeyringError

    try:
        stored = _keyring().get_password(SERVICE, profile)
    except KeyringError as exc:
        raise KeyStoreError(f"The keyring could not be read: {exc}") from None
    return FoundKey(stored, "keyring") if stored else None


def store_key(profile: str, key: str) -> None:
    key = key.strip()
    if not key:
        raise KeyStoreError("The key is empty; nothing was stored.")
    if not backend_available():
        raise KeyStoreError(NO_BACKEND)
    from keyring.errors import KeyringError

    try:
        _keyring().set_password(SERVICE, profile, key)
    except KeyringError as exc:
        raise KeyStoreError(f"The keyring refused the key: {exc}") from None


def remove_key(profile: str) -> bool:
    """Remove a stored key; False when there was none."""
    if not backend_available():
        raise KeyStoreError(NO_BACKEND)
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        _keyring().delete_password(SERVICE, profile)
    except PasswordDeleteError:
        return False
    except KeyringError as exc:
        raise KeyStoreError(f"The keyring refused: {exc}") from None
    return True
