"""Running the app on the in-process simulator, deterministically."""

from __future__ import annotations

from syncro_tui.config import Config
from syncro_tui.demo import in_process_session, settle  # noqa: F401 - settle is re-exported for the tests
from syncro_tui.simulator import DEMO_KEY, Simulator
from syncro_tui.ui.app import SyncroApp

from ..conftest import FIXED_NOW

SIZE = (150, 40)


def make_app(sim: Simulator, *, key: str = DEMO_KEY, user_id: int | None = 1843, config: Config | None = None) -> SyncroApp:
    return SyncroApp(in_process_session(sim, key=key, user_id=user_id, config=config, clock=lambda: FIXED_NOW,
                                        retry_backoff=0.01, rate_limit_wait=0.01))
