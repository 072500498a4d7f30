"""The office's one request budget in Redis (issue 37): a real redis-server and real processes, never a mock.

The pacers here are given a ``sleep`` that records how long each call would wait instead of waiting, so no test
depends on elapsed time: the waits are what Redis's bucket decided.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from syncro_tui.api.office import OfficePacer, where
from syncro_tui.api.pacing import Pacer, background

from ..redis_server import RedisServer

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def server(tmp_path):
    running = RedisServer(tmp_path / "redis").start()
    yield running
    running.stop()


class Waits:
    """A pacer's sleep that records instead of sleeping."""

    def __init__(self) -> None:
        self.seen: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seen.append(seconds)
        await asyncio.sleep(0)


#: A budget that refills one token a minute after its burst of 20: what the tests take is what the bucket held,
#: however slowly the machine runs them.
SLOW = {"per_minute": 22, "headroom": 1}


def office(url: str, waits: Waits | None = None, **kw) -> OfficePacer:
    waits = waits or Waits()
    return OfficePacer(url, "acct", Pacer(180, sleep=waits), SLOW["per_minute"], headroom=SLOW["headroom"],
                       sleep=waits, **kw)


MACHINE = """
import asyncio, json, sys
from syncro_tui.api.office import OfficePacer
from syncro_tui.api.pacing import Pacer

waits = []
async def record(seconds):
    waits.append(seconds)

async def main():
    pacer = OfficePacer(sys.argv[1], "acct", Pacer(180, sleep=record), 22, headroom=1, sleep=record)
    for _ in range(int(sys.argv[2])):
        await pacer.acquire()
    print(json.dumps({"waited": sum(1 for w in waits if w > 0), "problem": pacer.problem}))

asyncio.run(main())
"""


def test_machines_of_one_office_draw_on_one_bucket(server) -> None:
    """Three processes (three machines, as far as Redis can tell) take 15 calls each: 45 against one burst of 20
    (refilled one token a minute), so 25 of them wait for tokens. A budget per machine would have made none wait."""
    procs = [subprocess.Popen([sys.executable, "-c", MACHINE, server.url, "15"], cwd=ROOT, stdout=subprocess.PIPE,
                              text=True) for _ in range(3)]
    said = [json.loads(p.communicate(timeout=60)[0]) for p in procs]
    assert all(s["problem"] is None for s in said)
    assert sum(s["waited"] for s in said) == 45 - 20
    assert server.client().zcard("syncro-tui:acct:sent") == 45  # every call's time, and nothing else
    assert set(server.client().keys("*")) == {b"syncro-tui:acct:bucket", b"syncro-tui:acct:sent"}


async def test_background_work_yields_to_another_machines_tech(server) -> None:
    """A tech's call on one machine reserves the next token; a queue load on another machine then takes none
    until the bucket has one free: it never holds a future token the tech would wait behind."""
    tech, load = office(server.url), office(server.url)
    for _ in range(20):
        await tech.acquire()  # the burst, spent
    await tech.acquire()  # one more: a token still to come, reserved
    took = await asyncio.to_thread(load._run, "try")
    assert took is not None and took[1] is False  # nothing free for background work
    assert load.budget().used_last_minute == 0 or load.budget().scope == "office"
    with background():
        task = asyncio.ensure_future(load.acquire())
        for _ in range(5):
            await asyncio.sleep(0)
        assert not task.done()  # still yielding
        task.cancel()


async def test_redis_going_away_mid_burst_falls_back_at_once_and_comes_back(server) -> None:
    waits = Waits()
    pacer = office(server.url, waits, retry_seconds=0)
    for _ in range(5):
        await pacer.acquire()
    assert pacer.problem is None and pacer.budget().scope == "office" and pacer.budget().used_last_minute == 5
    server.stop()
    await pacer.acquire()  # the call in flight: Redis is gone, the machine's budget takes it
    assert pacer.problem is not None and "cannot be reached" in pacer.problem and f"127.0.0.1:{server.port}" in pacer.problem
    assert pacer.budget().scope == "window"  # the fallback's own figure (this test's fallback is a process pacer)
    for _ in range(3):
        await pacer.acquire()  # no Redis call on the way: the fallback at once
    server.start()
    pacer._office()  # the background look, as the next call would start it
    for _ in range(1000):  # until the look has answered (a real round trip on its thread)
        if pacer.problem is None:
            break
        await asyncio.sleep(0.01)
    assert pacer.problem is None
    await pacer.acquire()
    assert pacer.budget().scope == "office"


async def test_garbage_under_our_keys_is_started_afresh(server) -> None:
    client = server.client()
    client.set("syncro-tui:acct:bucket", "not a hash")
    client.rpush("syncro-tui:acct:sent", "not", "a", "zset")
    pacer = office(server.url)
    await pacer.acquire()
    assert pacer.problem is None and pacer.budget().used_last_minute == 1
    client.hset("syncro-tui:acct:bucket", mapping={"tokens": "nan", "last": "yesterday"})
    await pacer.acquire()
    assert pacer.problem is None
    assert client.type("syncro-tui:acct:bucket") == b"hash" and float(client.hget("syncro-tui:acct:bucket", "tokens")) <= 19


async def test_an_office_budget_that_never_answers_is_said_and_the_machine_paces(tmp_path) -> None:
    from ..redis_server import free_port

    pacer = office(f"redis://:secret-password@127.0.0.1:{free_port()}/0")
    await pacer.acquire()
    assert pacer.problem is not None and "secret-password" not in pacer.problem
    assert where("redis://:pw@office-nas:6380/1") == "office-nas:6380" and where("unix:///run/redis.sock") == "/run/redis.sock"


def test_the_status_bar_says_whose_budget_the_figure_is() -> None:
    from rich.text import Text

    from syncro_tui.ui.widgets import Status, status_line

    def said(status: Status, short: bool = False) -> str:
        line: Text = status_line(status, short=short)
        return line.plain

    office_figure = Status(owner="Dana", account="acme", used=97, limit=180, scope="office")
    assert "API: 97/180 a min, office" in said(office_figure) and "API 97/180 office" in said(office_figure, True)
    away = Status(owner="Dana", account="acme", used=12, limit=180, scope="machine", alone=True)
    assert "12/180 a min this machine only" in said(away) and "12/180 machine" in said(away, True)
    machine = Status(owner="Dana", account="acme", used=12, limit=180, scope="machine")
    assert "office" not in said(machine) and "only" not in said(machine)


def test_the_office_redis_is_read_from_the_config_and_the_environment(config_file, monkeypatch, server) -> None:
    from syncro_tui.api import pacing
    from syncro_tui.cli.connect import pace
    from syncro_tui.config import ConfigError, load_config

    config_file.write_text('[profiles.dana]\nuser_id = 1843\nsubdomain = "acme"\n\n[office]\nredis = "redis://office-nas:6379/0"\n')
    config = load_config()
    assert config.office.url() == "redis://office-nas:6379/0"
    monkeypatch.setenv("SYNCRO_TUI_OFFICE_REDIS", server.url)
    assert config.office.url() == server.url
    try:
        pace(config, config.profiles["dana"])
        shared = pacing.shared_pacer()
        assert isinstance(shared, OfficePacer) and shared.where == f"127.0.0.1:{server.port}"
        assert asyncio.run(_one_call(shared)) is None and shared.budget().scope == "office"
        monkeypatch.setenv("SYNCRO_TUI_OFFICE_REDIS", "")  # off for this process
        pace(config, config.profiles["dana"])
        assert not isinstance(pacing.shared_pacer(), OfficePacer)
    finally:
        pacing.configure_shared_pacer()
    config_file.write_text('[office]\nredis = "office-nas:6379"\n')
    with pytest.raises(ConfigError, match="redis"):
        load_config()


async def _one_call(pacer: OfficePacer) -> str | None:
    await pacer.acquire()
    return pacer.problem
