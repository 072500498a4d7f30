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

from syncro_tui.simulator import DEMO_KEY
from syncro_tui.simulator.server import BackgroundSimulator

from ..conftest import make_simulator

START = """
import asyncio, json, sys
from syncro_tui.cli import build_parser, make_app

SLOW = ("httpx", "keyring", "uvicorn", "syncro_tui.api.models", "syncro_tui.api.client", "syncro_tui.simulator")
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
        report["owner"] = app.owner_label
    report["code"] = app.return_code
    report["message"] = app.exit_message
    if demo is not None:
        demo.stop()
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


def test_on_an_account_the_first_frame_needs_neither_httpx_nor_the_models(account) -> None:
    report = start("--profile", "dana", env=account)
    assert report["at_first_frame"] == []
    assert "All open" in report["sections"] and "Key: checking key…" in report["status"]
    assert "API: –" in report["status"]  # no client yet, so no budget to show
    assert report["rows"] > 0 and report["owner"] == "Dana Whitfield (#1843)" and report["code"] is None


def test_the_keyring_is_read_after_the_first_frame_and_no_key_ends_the_app_saying_so(account) -> None:
    env = {**account, "SYNCRO_API_KEY": "", "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    report = start("--profile", "dana", env=env)
    assert report["at_first_frame"] == []
    assert report["code"] == 3 and report["rows"] == 0
    assert "No API key for profile 'dana'" in report["message"] and "SYNCRO_API_KEY" in report["message"]


def test_the_demo_paints_before_its_simulator_starts_then_loads_from_it(tmp_path) -> None:
    report = start("--demo", env={"SYNCRO_TUI_DATA_DIR": str(tmp_path)})
    assert report["at_first_frame"] == []
    assert "Account: DEMO" in report["status"]
    assert report["rows"] > 0 and report["owner"] == "Dana Whitfield (#1843)" and report["code"] is None
