"""Every command's output survives any console (issue 32): a Windows code page (cp1252, as a pipe under mintty or
an old console gets) and the C locale. Real processes, the demo account, and the signs they print ("→", "≥")."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

COMMANDS = {
    "bill --plan": ["bill", "31913", "--minutes", "30", "--labor", "remote", "--plan"],
    "bill --plan --json": ["bill", "31913", "--minutes", "30", "--labor", "remote", "--plan", "--json"],
    "sweep": ["sweep"],
    "doctor": ["doctor"],
    "rates": ["rates"],
}


def run(args: list[str], tmp_path, **env: str) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, "SYNCRO_TUI_DATA_DIR": str(tmp_path / "data"), **env}
    environment.pop("PYTHONUTF8", None)
    return subprocess.run([sys.executable, "-m", "syncro_tui", "--demo", *args], capture_output=True,
                          env=environment, timeout=120)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_windows_code_page_gets_plain_words_not_a_crash(name, tmp_path) -> None:
    done = run(COMMANDS[name], tmp_path, PYTHONIOENCODING="cp1252")
    assert b"Traceback" not in done.stderr, done.stderr.decode("cp1252")
    assert done.returncode in (0, 1)  # 1: the sweep found the seeded day's leaks, which is its answer
    text = done.stdout.decode("cp1252")
    if name.startswith("bill"):
        assert "30 min -> 0.50 h" in text
    if name == "sweep":
        assert ">= $" in text


def test_the_c_locale_prints_the_signs_or_words(tmp_path) -> None:
    done = run(COMMANDS["sweep"], tmp_path, LANG="C", LC_ALL="C")
    assert b"Traceback" not in done.stderr and done.returncode in (0, 1)
    assert "≥ $".encode() in done.stdout or b">= $" in done.stdout


def test_utf8_consoles_keep_the_signs(tmp_path) -> None:
    done = run(COMMANDS["bill --plan"], tmp_path, PYTHONIOENCODING="utf-8")
    assert "30 min → 0.50 h".encode() in done.stdout
