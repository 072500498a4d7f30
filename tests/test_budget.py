"""One request budget for every process of the machine (issue 31), said when it cannot be had: the command line
paces on it too, a damaged budget file is set aside, a locked one is waited for off the event loop. Real SQLite
files and real processes, no stand-ins."""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import subprocess
import sys

import pytest

from syncro_tui.api import pacing
from syncro_tui.api.pacing import MachinePacer, configure_shared_pacer, shared_pacer_problem
from syncro_tui.cli.connect import connect
from syncro_tui.config import ConfigError, load_config

from .test_config_keys_cli import PROFILES


@pytest.fixture(autouse=True)
def fresh_pacer():
    yield
    configure_shared_pacer()  # the next test starts from the process's own pacer


def args(**kw) -> argparse.Namespace:
    return argparse.Namespace(demo=False, profile="tom", base_url=None, seed=1, **kw)


def test_the_command_lines_client_paces_on_the_machines_budget(config_file, monkeypatch, tmp_path) -> None:
    config_file.write_text(PROFILES)
    monkeypatch.setenv("SYNCRO_API_KEY", "demo-key")
    client, _config = connect(args())
    # Built after the shared pacer was configured: sweep, doctor, bill --plan and rates --check share it.
    assert isinstance(client.pacer, MachinePacer) and client.pacer is pacing.shared_pacer()
    assert (tmp_path / "data" / "pacing.sqlite").exists()


def test_a_damaged_budget_file_is_set_aside_and_rebuilt(tmp_path) -> None:
    path = tmp_path / "pacing.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    pacer = configure_shared_pacer(machine=(path, "acct"))
    assert isinstance(pacer, MachinePacer) and shared_pacer_problem() is None
    kept = list(tmp_path.glob("pacing.damaged-*.sqlite"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"this is not")


def test_a_budget_that_cannot_be_had_is_said_in_the_cli(config_file, tmp_path) -> None:
    config_file.write_text(PROFILES)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the data directory should be")
    done = subprocess.run([sys.executable, "-m", "syncro_tui", "--profile", "tom", "rates", "--check"],
                          env={**__import__("os").environ, "SYNCRO_TUI_DATA_DIR": str(blocked / "data"),
                               "SYNCRO_API_KEY": "demo-key", "SYNCRO_TUI_CONFIG": str(config_file)},
                          capture_output=True, text=True, timeout=60)
    assert "paces itself alone" in done.stderr and "Traceback" not in done.stderr


async def test_a_locked_budget_file_is_waited_for_off_the_event_loop(tmp_path) -> None:
    path = tmp_path / "pacing.sqlite"
    pacer = MachinePacer(path, "acct")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another window in the middle of its reservation
    taking = asyncio.ensure_future(pacer.acquire())
    ticks = 0
    for _ in range(20):  # the loop goes on turning while the reservation waits for the lock
        await asyncio.sleep(0)
        ticks += 1
    assert ticks == 20 and not taking.done()
    other.execute("COMMIT")
    await asyncio.wait_for(taking, timeout=30)
    assert pacer.budget().used_last_minute == 1
    other.close()


def test_pacing_values_that_cannot_work_are_refused_naming_the_field(tmp_path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[pacing]\nheadroom = -500\n")
    with pytest.raises(ConfigError, match="pacing.headroom"):
        load_config(path)
    path.write_text("[pacing]\nper_minute = 500\n")
    with pytest.raises(ConfigError, match="pacing.per_minute"):
        load_config(path)
    path.write_text("[pacing]\nper_minute = 20\nheadroom = 19\n")
    with pytest.raises(ConfigError, match="headroom"):
        load_config(path)
    # A small share, as for several machines behind one address: it starts, with a smaller burst.
    path.write_text("[pacing]\nper_minute = 20\n")
    config = load_config(path)
    pacer = configure_shared_pacer(config.pacing.per_minute, config.pacing.headroom)
    assert pacer.capacity == 1 and pacer.per_minute == 20


def test_a_config_in_another_encoding_is_named_not_a_traceback(tmp_path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes('[profiles.dana]\ntech_name = "Dana Müller"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match="is not UTF-8 text"):
        load_config(path)


APP_WINDOW = """
import asyncio, sys, time
from syncro_tui.cli import build_parser, make_app

app, _ = make_app(build_parser().parse_args([]))

async def main():
    async with app.run_test(size=(120, 30)) as pilot:
        end = time.monotonic() + float(sys.argv[1])
        while time.monotonic() < end:
            await pilot.press("r")  # a refresh a second: a tech who keeps pressing r
            await asyncio.sleep(1)

asyncio.run(main())
"""

SWEEP_LOOP = """
import subprocess, sys, time
end = time.monotonic() + float(sys.argv[1])
done = 0
while time.monotonic() < end:
    subprocess.run([sys.executable, "-m", "syncro_tui", "sweep", "--date", "2026-11-20"], capture_output=True)
    done += 1
print(done)
"""


@pytest.mark.starts_first
def test_two_windows_and_a_sweep_loop_for_a_minute_get_no_429(config_file, tmp_path) -> None:
    """Real processes on one machine budget against a simulator that limits like Syncro (180 a minute per
    address): two app windows refreshing every second and a CLI sweep loop, for a minute, offer more than the
    limit, and Syncro answers 429 to none of them. This test takes a minute by design: the limit is per minute."""
    import os

    from syncro_tui.simulator.server import BackgroundSimulator

    from .conftest import make_simulator

    sim = make_simulator(rate_limit=180)
    refused = []
    allow = sim.rate.allow

    def counting(client: str) -> bool:
        ok = allow(client)
        if not ok:
            refused.append(client)
        return ok

    sim.rate.allow = counting  # the simulator's own limit, counted as it answers
    seconds = 60
    with BackgroundSimulator(sim) as server:
        config_file.write_text(PROFILES.replace("http://127.0.0.1:8765/api/v1", server.base_url)
                               .replace('default_profile = "dana"', 'default_profile = "tom"'))
        env = {**os.environ, "SYNCRO_API_KEY": "demo-key-tom", "SYNCRO_TUI_DATA_DIR": str(tmp_path / "shared")}
        procs = [subprocess.Popen([sys.executable, "-c", APP_WINDOW, str(seconds)], env=env) for _ in range(2)]
        loop = subprocess.Popen([sys.executable, "-c", SWEEP_LOOP, str(seconds)], env=env, stdout=subprocess.PIPE,
                                text=True)
        sweeps = int(loop.communicate(timeout=seconds + 120)[0].strip() or 0)
        assert [p.wait(timeout=120) for p in procs] == [0, 0]
    served = len(sim.calls)
    assert sweeps >= 1 and served > 150, (sweeps, served)  # the minute was busy: the budget was what held it
    assert refused == []
