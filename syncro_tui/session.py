"""What one run of the app works with: the client, whose key it is, the config."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .api.client import SyncroClient
from .api.ollama import OllamaClient
from .config import Config, Profile, data_dir

if TYPE_CHECKING:
    import httpx


@dataclass
class Session:
    client: SyncroClient
    profile_name: str
    profile: Profile
    config: Config = field(default_factory=Config)
    #: Shown in the status bar: "DEMO" on the simulator, else the shop's host.
    account_label: str = ""
    demo: bool = False
    #: The clock the UI uses for ages and times (fixed in tests and snapshots).
    clock: Callable[[], datetime] | None = None
    #: The write-ahead journal; by default in the user data directory (the demo uses a throwaway one).
    journal_path: Path | None = None
    #: The local model that drafts prose, or None when drafting is off.
    drafter: OllamaClient | None = None

    def journal_file(self) -> Path:
        return self.journal_path or data_dir() / "journal.sqlite"

    def make_drafter(self, transport: httpx.AsyncBaseTransport | None = None, hosts: list[str] | None = None) -> None:
        """The drafting client the config asks for (none when drafting is off); ``hosts`` overrides (the demo's)."""
        settings = self.config.drafting
        if settings.enabled:
            self.drafter = OllamaClient(hosts or settings.hosts, settings.model, probe_seconds=settings.probe_seconds,
                                        timeout_seconds=settings.timeout_seconds, transport=transport)

    def now(self) -> datetime:
        return self.clock() if self.clock else datetime.now(UTC)
