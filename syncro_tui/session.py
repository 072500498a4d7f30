"""What one run of the app works with: the client, whose key it is, the config."""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Callable
from datetime import UTC, datetime

from .api.client import SyncroClient
from .config import Config, Profile


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

    def now(self) -> datetime:
        return self.clock() if self.clock else datetime.now(UTC)
