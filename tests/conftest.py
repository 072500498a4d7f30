"""Shared fixtures: a simulator with a fixed clock and seed, and raw HTTP clients on it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import httpx
import pytest

from syncro_tui.api import Pacer, SyncroClient
from syncro_tui.demo import in_process_client
from syncro_tui.simulator import API_PREFIX, DEMO_KEY, Simulator

#: Friday 2026-11-20, 10:00 in the demo account's time zone (America/Chicago).
FIXED_NOW = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
FIXED_DAY = date(2026, 11, 20)
SEED = 1


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The few tests that mostly wait on other processes (a minute of pacing, the Windows rerun, mypy) start first,
    so the rest of the suite runs beside them instead of after them (the README's suite time)."""
    items.sort(key=lambda item: item.get_closest_marker("starts_first") is None)  # stable: the rest keep their order


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path, monkeypatch):
    """Each test its own data directory: no test shares (or leaves) a journal, a pacing budget or a crash report."""
    monkeypatch.setenv("SYNCRO_TUI_DATA_DIR", str(tmp_path / "data"))


def span_seconds(timer: dict) -> int:
    """A simulator timer's interval in seconds, from its start and end (Syncro nulls active_duration once charged)."""
    start = datetime.fromisoformat(timer["start_time"].replace("Z", "+00:00"))
    end = datetime.fromisoformat(timer["end_time"].replace("Z", "+00:00"))
    return int((end - start).total_seconds())


def make_simulator(**kwargs) -> Simulator:
    kwargs.setdefault("rate_limit", None)
    kwargs.setdefault("clock", lambda: FIXED_NOW)
    return Simulator(seed=SEED, today=FIXED_DAY, **kwargs)


@pytest.fixture
def sim() -> Simulator:
    return make_simulator()


@pytest.fixture
async def raw(sim: Simulator) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client straight onto the simulator, with the demo key, no app code in between."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(sim),
        base_url="http://simulator" + API_PREFIX,
        headers={"Authorization": f"Bearer {DEMO_KEY}"},
    ) as client:
        yield client


def make_client(sim: Simulator, key: str = DEMO_KEY, **kwargs) -> SyncroClient:
    """The app's client on the in-process simulator: no pacing waits, tiny backoffs."""
    kwargs.setdefault("pacer", Pacer(100_000, headroom=0, burst=10_000))
    kwargs.setdefault("retry_backoff", 0.01)
    kwargs.setdefault("rate_limit_wait", 0.01)
    return in_process_client(sim, key, **kwargs)


@pytest.fixture
async def client(sim: Simulator) -> AsyncIterator[SyncroClient]:
    async with make_client(sim) as c:
        yield c


@pytest.fixture
def config_file(tmp_path, monkeypatch):
    """Where the command line reads its config: a file of the test's own (not yet written)."""
    path = tmp_path / "config.toml"
    monkeypatch.setenv("SYNCRO_TUI_CONFIG", str(path))
    monkeypatch.delenv("SYNCRO_TUI_PROFILE", raising=False)
    return path
