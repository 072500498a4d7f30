"""One way out for Syncro's text (issue 31): every command prints it the way the screens show it, and no key
reaches the terminal, whoever wrote the text. Real processes against the simulator over loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from syncro_tui.api.redact import redact, register_secret
from syncro_tui.simulator.server import BackgroundSimulator

from .conftest import make_simulator

#: Markup, a screen clear, an OSC 52 clipboard write, BEL, a right-to-left override and a lone surrogate.
HOSTILE = "[bold]Dana[/] \x1b[2J\x1b]52;c;cGF5bG9hZA==\x07 \u202eevil \ud800"
DANGEROUS = ("\x1b", "\x07", "\u202e")

COMMANDS = {
    "doctor": ["doctor"],
    "sweep": ["sweep", "--date", "2026-11-20"],
    "sweep --json": ["sweep", "--date", "2026-11-20", "--json"],
    "bill --plan": ["bill", "31913", "--minutes", "30", "--labor", "remote", "--plan"],
    "bill --plan --json": ["bill", "31913", "--minutes", "30", "--labor", "remote", "--plan", "--json"],
    "auth status": ["auth", "status"],
}


@pytest.fixture(scope="module")
def hostile_syncro():
    sim = make_simulator()
    sim.store.t("users")[1843]["full_name"] = "Dana " + HOSTILE
    ticket = next(t for t in sim.store.t("tickets").values() if t["number"] == 31913)
    ticket["subject"] = "Printer " + HOSTILE
    with BackgroundSimulator(sim) as server:
        yield server


def run(args: list[str], server, tmp_path: Path, key: str = "demo-key") -> subprocess.CompletedProcess[bytes]:
    config = tmp_path / "config.toml"
    config.write_text(f'default_profile = "dana"\n[profiles.dana]\ntech_name = "Dana"\nuser_id = 1843\n'
                      f'base_url = "{server.base_url}"\n')
    env = {**os.environ, "SYNCRO_TUI_CONFIG": str(config), "SYNCRO_TUI_DATA_DIR": str(tmp_path / "data"),
           "SYNCRO_API_KEY": key, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "syncro_tui", *args], capture_output=True, env=env, timeout=120)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_syncro_text_reaches_no_terminal_raw(name, hostile_syncro, tmp_path) -> None:
    done = run(COMMANDS[name], hostile_syncro, tmp_path)
    out = done.stdout.decode("utf-8", errors="strict") + done.stderr.decode("utf-8", errors="strict")
    assert "Traceback" not in out, out
    for raw in DANGEROUS:
        assert raw not in out, (name, raw)
    if name.endswith("--json"):
        data = json.loads(done.stdout)  # kept exactly, escaped
        assert "\u202eevil" in json.dumps(data, ensure_ascii=False)
    elif name != "bill --plan":  # which prints no Syncro text of its own but the customer's name
        assert "<U+202E>evil" in out and "␛[2J" in out  # shown, made visible, not dropped


def test_a_key_echoed_by_a_server_is_masked_in_every_form() -> None:
    key = "s3cr3t-key-0123456789abcdef/+="
    register_secret(key)
    from urllib.parse import quote, quote_plus

    for echoed in (f"Bad request for /api/v1/settings?api_key={key}", f"GET /settings?token={quote(key, safe='')}",
                   f"form: {quote_plus(key)}", f"cut: ...{key[3:19]}...", f"split: {key[:14]} / {key[14:]}"):
        masked = redact(echoed)
        for start in range(len(key) - 11):
            assert key[start:start + 12] not in masked, echoed
        assert quote(key, safe="") not in masked and quote_plus(key) not in masked


def test_the_command_line_masks_a_key_echoed_in_an_error(tmp_path) -> None:
    """A proxy that answers with the request echoed, key and all: the error is printed with the key masked."""
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    key = "echoed-key-0123456789abcdef"

    async def echo(request):
        return PlainTextResponse(f"Bad request for {request.url} (key {key[2:20]})", status_code=400)

    with BackgroundSimulator(Starlette(routes=[Route("/{path:path}", echo)])) as server:  # any ASGI app
        base = server.origin
        config = tmp_path / "config.toml"
        config.write_text(f'default_profile = "x"\n[profiles.x]\ntech_name = "X"\nuser_id = 1\nbase_url = "{base}/api/v1"\n'
                          'auth_mode = "query"\n')
        env = {**os.environ, "SYNCRO_TUI_CONFIG": str(config), "SYNCRO_TUI_DATA_DIR": str(tmp_path / "data"),
               "SYNCRO_API_KEY": key}
        done = subprocess.run([sys.executable, "-m", "syncro_tui", "doctor"], capture_output=True, text=True,
                              env=env, timeout=120)
    out = done.stdout + done.stderr
    assert "Bad request" in out or "400" in out, out
    for start in range(len(key) - 11):
        assert key[start:start + 12] not in out
