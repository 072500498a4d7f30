"""An app session on an in-process simulator: for screenshots, benchmarks and tests.

No socket is opened: the client talks to the simulator through httpx's ASGI
transport. (``syncro-tui --demo`` serves the simulator on real loopback instead.)
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import httpx

from .api import Pacer, SyncroClient
from .config import Config, Profile
from .session import Session
from .simulator import API_PREFIX, DEMO_KEY, Simulator

BASE_URL = "http://simulator" + API_PREFIX


def in_process_client(sim: Simulator, key: str = DEMO_KEY, **kwargs) -> SyncroClient:
    return SyncroClient(BASE_URL, key, transport=httpx.ASGITransport(sim), **kwargs)


def in_process_session(sim: Simulator, *, key: str = DEMO_KEY, user_id: int | None = 1843, config: Config | None = None,
                       clock: Callable[[], datetime] | None = None, pacer: Pacer | None = None,
                       journal_path: Path | None = None, **client_kwargs) -> Session:
    """A session on the in-process simulator; without ``journal_path`` the journal goes to a new temporary directory."""
    client = in_process_client(sim, key, pacer=pacer or Pacer(180, headroom=0, burst=179), **client_kwargs)
    profile = Profile(tech_name="Dana Whitfield", user_id=user_id, base_url=BASE_URL)
    journal = journal_path or Path(tempfile.mkdtemp(prefix="syncro-tui-demo-")) / "journal.sqlite"
    # The simulator is also the demo's local model (an Ollama-compatible endpoint).
    return Session(connect=lambda: client, profile_name="dana", profile=profile, config=config or Config(),
                   account_label="DEMO", demo=True, clock=clock, journal_path=journal,
                   model_hosts=["http://simulator"], model_transport=httpx.ASGITransport(sim))


async def settle(pilot) -> None:
    """With Textual's Pilot: wait until every background task (and what it started) has finished."""
    app = pilot.app
    for _ in range(100):
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            await pilot.pause()
            if not any(w.is_running for w in app.workers):
                return
        await app.workers.wait_for_complete()
    raise RuntimeError("the app never settled")
