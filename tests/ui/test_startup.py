"""Start-up through the real entry point: the first frame comes before the slow imports, then the queue loads.

Each case runs in a fresh interpreter (what is imported before the first frame is
the point), headless through Textual's ``run_test``. Nothing here is timed: the
times are measured by ``scripts/bench_queue.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from syncro_tui.demo import in_process_session
from syncro_tui.simulator import DEMO_KEY
from syncro_tui.simulator.server import BackgroundSimulator
from syncro_tui.ui.app import SyncroApp

from ..conftest import FIXED_NOW, make_simulator
from .helpers import SIZE
from .pilot import settle

START = """
import asyncio, json, sys
from syncro_tui.cli import build_parser, make_app
from syncro_tui.cli.common import remove_demo_files

SLOW = ("httpx", "keyring", "pydantic", "uvicorn", "syncro_tui.config", "syncro_tui.api.models", "syncro_tui.api.client",
        "syncro_tui.simulator")
made = make_app(build_parser().parse_args(sys.argv[1:]))
app, demo = made
report = {}

def first_frame(message):  # Textual posts Ready once the first frame is on screen
    if "at_first_frame" not in report and type(message).__name__ == "Ready":
        report["at_first_frame"] = sorted(m for m in SLOW if m in sys.modules)
        report["sections"] = app.screen.query_one("#sections").content.plain
        report["status"] = app.screen.query_one("#status").content.plain

async def main():
    async with app.run_test(size=(150, 40), message_hook=first_frame) as pilot:
        table = app.screen.query_one("#queue-table")
        for _ in range(400):
            if table.row_count or app.return_code is not None:
                break
            await pilot.pause(0.025)
        report["rows"] = table.row_count
        report["owner"] = app.account.owner_label
        report["sections_after"] = [section.label for section in app.screen.model.sections]
    report["code"] = app.return_code
    report["message"] = app.exit_message
    if demo is not None:  # as run_app does when the app ends
        demo.stop()
        remove_demo_files(app.session.data_dir())
    print(json.dumps(report))

asyncio.run(main())
"""


def start(*argv: str, env: dict[str, str]) -> dict:
    result = subprocess.run([sys.executable, "-c", START, *argv], env={**os.environ, **env}, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def account(tmp_path):
    """A profile on a simulator serving on loopback; the environment to start the app with."""
    with BackgroundSimulator(make_simulator()) as server:
        config = tmp_path / "config.toml"
        config.write_text(f'[profiles.dana]\ntech_name = "Dana Whitfield"\nuser_id = 1843\nbase_url = "{server.base_url}"\n')
        yield {"SYNCRO_TUI_CONFIG": str(config), "SYNCRO_TUI_DATA_DIR": str(tmp_path), "SYNCRO_API_KEY": DEMO_KEY}


def test_on_an_account_the_first_frame_comes_before_the_config_the_key_and_httpx(account, tmp_path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(config.read_text() + '[[queue.filters]]\nname = "Patch nights"\nstatuses = ["Waiting on Customer"]\n')
    report = start("--profile", "dana", env=account)
    assert report["at_first_frame"] == []
    assert "All open" in report["sections"] and "Patch nights" not in report["sections"]
    assert "Key: checking key…" in report["status"] and "API: –" in report["status"]  # no client yet
    assert report["rows"] > 0 and report["owner"] == "Dana Whitfield (#1843)" and report["code"] is None
    assert "Patch nights" in report["sections_after"]  # the config's filters join once it is read


def test_the_keyring_is_read_after_the_first_frame_and_no_key_ends_the_app_saying_so(account) -> None:
    env = {**account, "SYNCRO_API_KEY": "", "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    report = start("--profile", "dana", env=env)
    assert report["at_first_frame"] == []
    assert report["code"] == 3 and report["rows"] == 0
    assert "No API key for profile 'dana'" in report["message"] and "SYNCRO_API_KEY" in report["message"]


def test_a_config_without_profiles_ends_the_app_saying_so(account, tmp_path) -> None:
    (tmp_path / "config.toml").write_text("")
    report = start(env=account)
    assert report["at_first_frame"] == []
    assert report["code"] == 2 and "No profile is configured" in report["message"] and "--demo" in report["message"]


def test_the_demo_paints_before_its_simulator_starts_then_loads_from_it(tmp_path) -> None:
    report = start("--demo", env={"SYNCRO_TUI_DATA_DIR": str(tmp_path)})
    assert report["at_first_frame"] == []
    assert report["rows"] > 0 and report["owner"] == "Dana Whitfield (#1843)" and report["code"] is None


class HeldApp(SyncroApp):
    """The app with the session's opening left to the test (the Ready that would open it is stopped)."""

    def on_ready(self, event) -> None:
        event.prevent_default()


async def test_keys_typed_before_the_session_opens_wait_for_it_and_then_land(tmp_path) -> None:
    session = in_process_session(make_simulator(), clock=lambda: FIXED_NOW, journal_path=tmp_path / "j.sqlite")
    app = HeldApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", "o", "t", "i", "s")
        await pilot.pause()
        assert not session.opened and app.screen.query_one("#filter").value == ""
        assert "Key: checking key…" in app.screen.query_one("#status").content.plain
        app.call_later(SyncroApp.on_ready, app)  # what Ready does in the real app
        await settle(pilot)
        assert session.opened and app.screen.query_one("#filter").value == "otis"
        table = app.screen.query_one("#queue-table")
        assert table.row_count > 0 and all("Otis" in table.cell(key, "customer").plain for key in table.keys)


async def test_an_account_zone_this_machine_cannot_resolve_is_named_and_times_go_on_in_utc() -> None:
    from .helpers import make_app, notices

    sim = make_simulator()
    sim.store.account["time_zone"] = "America/Atlantis"
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.account.time_zone.key == "UTC"
        assert "The account's time zone “America/Atlantis” is not one this machine knows" in notices(app)
        assert app.screen.query_one("#queue-table").row_count > 0  # the queue works all the same
