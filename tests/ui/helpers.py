"""Running the app on the in-process simulator, deterministically."""

from __future__ import annotations

from syncro_tui.config import Config
from syncro_tui.demo import in_process_session
from syncro_tui.simulator import DEMO_KEY, Simulator
from syncro_tui.ui.app import SyncroApp

from ..conftest import FIXED_NOW

SIZE = (150, 40)


def make_app(sim: Simulator, *, key: str = DEMO_KEY, user_id: int | None = 1843, config: Config | None = None) -> SyncroApp:
    return SyncroApp(in_process_session(sim, key=key, user_id=user_id, config=config, clock=lambda: FIXED_NOW,
                                        retry_backoff=0.01, rate_limit_wait=0.01))


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
