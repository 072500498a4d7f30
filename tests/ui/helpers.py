"""Running the app on the in-process simulator, deterministically."""

from __future__ import annotations

from syncro_tui.api import Pacer
from syncro_tui.config import Config, Profile
from syncro_tui.session import Session
from syncro_tui.simulator import API_PREFIX, DEMO_KEY, Simulator
from syncro_tui.ui.app import SyncroApp

from ..conftest import FIXED_NOW, make_client

SIZE = (150, 40)


def make_app(sim: Simulator, *, key: str = DEMO_KEY, user_id: int | None = 1843, config: Config | None = None) -> SyncroApp:
    client = make_client(sim, key=key, pacer=Pacer(180, headroom=0, burst=179))
    profile = Profile(tech_name="Dana Whitfield", user_id=user_id, base_url="http://simulator" + API_PREFIX)
    session = Session(client=client, profile_name="dana", profile=profile, config=config or Config(),
                      account_label="DEMO", demo=True, clock=lambda: FIXED_NOW)
    return SyncroApp(session)


async def settle(pilot) -> None:
    """Wait until every background task (and what it started) has finished."""
    app = pilot.app
    for _ in range(100):
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            await pilot.pause()
            if not any(w.is_running for w in app.workers):
                return
        await app.workers.wait_for_complete()
    raise AssertionError("the app never settled")
