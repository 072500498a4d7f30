"""What one run of the app works with: the client, whose key it is, the config.

The Syncro client and the drafting client are built on first use, not with the
session: they import httpx, and the app paints its first frame before that. This
module imports neither them nor the config (pydantic), so the app can import it
before its first frame too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

    from ..api.client import SyncroClient
    from ..api.ollama import OllamaClient
    from ..config import Config, Profile
    from ..cache import Cache
    from ..reads import Reads


class CannotConnect(Exception):
    """The session cannot be opened (a config problem, no key, the keyring refused): the message is for the tech."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class Session:
    #: Builds the Syncro client (called once, on first use of ``client``); may raise CannotConnect.
    connect: Callable[[], SyncroClient]
    profile_name: str
    profile: Profile
    config: Config
    #: Shown in the status bar: "DEMO" on the simulator, else the shop's host.
    account_label: str = ""
    demo: bool = False
    #: The clock the UI uses for ages and times (fixed in tests and snapshots).
    clock: Callable[[], datetime] | None = None
    #: The write-ahead journal; by default in the user data directory (the demo uses a throwaway one).
    journal_path: Path | None = None
    #: Where to look for the drafting model instead of the config's hosts (the demo's simulator).
    model_hosts: list[str] | None = None
    #: How to reach the model's hosts (the in-process simulator in tests); None: the network.
    model_transport: httpx.AsyncBaseTransport | None = None
    #: A training lesson's goal, shown in a bar on the queue for as long as the lesson runs, and its ticket
    #: (selected in the queue at start).
    lesson: str | None = None
    lesson_ticket: int | None = None
    #: The training lessons (id, title) the demo offers in its command palette.
    lessons: tuple[tuple[str, str], ...] = ()

    @cached_property
    def client(self) -> SyncroClient:
        return self.connect()

    @cached_property
    def reads(self) -> Reads:
        """What the screens read, over the client (and the local cache)."""
        from ..reads import Reads

        return Reads(self.client, self.cache)

    @cached_property
    def cache(self) -> Cache | None:
        """The last queue and recent tickets of this account and profile, on this machine (None: not usable)."""
        from ..cache import Cache

        import sqlite3

        try:
            return Cache(self.data_dir() / "cache.sqlite", owner=f"{self.profile.api_base_url() or ''}|{self.profile_name}")
        except (OSError, sqlite3.OperationalError):  # not usable this run (locked, not writable): no cache, no harm
            return None

    @cached_property
    def drafter(self) -> OllamaClient | None:
        """The local model that drafts prose, or None when drafting is off."""
        settings = self.config.drafting
        if not settings.enabled:
            return None
        from ..api.ollama import OllamaClient

        return OllamaClient(self.model_hosts or settings.hosts, settings.model, probe_seconds=settings.probe_seconds,
                            timeout_seconds=settings.timeout_seconds, transport=self.model_transport)

    @property
    def connected(self) -> bool:
        """Whether the Syncro client has been built (the app builds it right after its first frame)."""
        return "client" in self.__dict__

    async def aclose(self) -> None:
        """Close what was built; nothing is built to be closed."""
        if "client" in self.__dict__:
            await self.client.aclose()
        if self.__dict__.get("cache") is not None:
            self.cache.close()  # type: ignore[union-attr]
        if self.__dict__.get("drafter") is not None:
            await self.drafter.aclose()  # type: ignore[union-attr]

    def journal_file(self) -> Path:
        return self.journal_path or self.data_dir() / "journal.sqlite"

    def data_dir(self) -> Path:
        """Where this run keeps its files: beside its journal (the demo's is a throwaway directory)."""
        if self.journal_path is not None:
            return self.journal_path.parent
        from ..config import data_dir

        return data_dir()

    def now(self) -> datetime:
        return self.clock() if self.clock else datetime.now(UTC)
