"""What one run of the app works with: whose key it is, the config, the client.

The command line builds the session before the app runs, from its arguments alone. What the config says (the
profile, the rates, the keys; pydantic) is read when the app opens the session, once its first frame is on
screen (``Session.open``); the Syncro client and the drafting client are built on first use after that (httpx).
This module imports none of them, so the app can import it before its first frame.
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


#: The demo's throwaway data directory (in the temp dir), removed when the app ends.
DEMO_DIR_PREFIX = "syncro-tui-demo-"


def demo_journal() -> Path:
    """A journal in a new throwaway directory: the demo's Syncro starts fresh each run, so its journal does too."""
    import tempfile

    return Path(tempfile.mkdtemp(prefix=DEMO_DIR_PREFIX)) / "journal.sqlite"


class CannotConnect(Exception):
    """The session cannot be opened (a config problem, no key, the keyring refused): the message is for the tech."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class Settings:
    """What the config says this run is: read when the session opens, after the app's first frame."""

    profile_name: str
    profile: Profile
    config: Config
    #: Shown in the status bar: "DEMO" on the simulator, else the shop's host.
    account_label: str = ""
    #: The training lessons (id, title) the demo offers in its command palette.
    lessons: tuple[tuple[str, str], ...] = ()


@dataclass
class Session:
    #: Reads the config and the profile (``open``, once); may raise CannotConnect.
    read_settings: Callable[[], Settings]
    #: Builds the Syncro client for the settings (called once, on first use of ``client``); may raise CannotConnect.
    connect: Callable[[Settings], SyncroClient]
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

    def open(self) -> Settings:
        """Read what the config says (once; the app does it once its first frame is painted)."""
        return self.settings

    @cached_property
    def settings(self) -> Settings:
        return self.read_settings()

    @property
    def opened(self) -> bool:
        """Whether the settings have been read: what runs before (the first frame) shows without them."""
        return "settings" in self.__dict__

    @property
    def profile_name(self) -> str:
        return self.settings.profile_name

    @property
    def profile(self) -> Profile:
        return self.settings.profile

    @property
    def config(self) -> Config:
        return self.settings.config

    @property
    def account_label(self) -> str:
        return self.settings.account_label

    @property
    def lessons(self) -> tuple[tuple[str, str], ...]:
        return self.settings.lessons

    @cached_property
    def client(self) -> SyncroClient:
        return self.connect(self.settings)

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
