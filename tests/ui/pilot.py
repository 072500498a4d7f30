"""Driving the app with Textual's Pilot: shared by the tests and the scripts that take pictures or time it."""

from __future__ import annotations


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
