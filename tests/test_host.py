"""What differs per OS (``syncro_tui.host``): each branch tested here with the platform's facts injected, and the
POSIX-only calls kept behind those branches (a grep, the way the layer contracts are checked)."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from syncro_tui import files, host
from syncro_tui.domain.clock import Clock
from syncro_tui.host import Machine, console_problem, exposure, hidden_input, make_owner_only, privacy_words
from syncro_tui.writes.clocks import ClockStore

ROOT = Path(__file__).resolve().parent.parent
LINUX = Machine("linux", {}, True)
MINTTY = Machine("win32", {"TERM_PROGRAM": "mintty", "MSYSTEM": "MINGW64"}, False)


def test_alive_asks_without_signalling() -> None:
    assert host.alive(os.getpid())
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    assert not host.alive(gone.pid)


@pytest.mark.skipif(os.name != "posix", reason="the POSIX branch: modes")
def test_posix_files_are_owner_only_and_a_loose_one_is_named(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_text("x")
    os.chmod(path, 0o644)  # noqa: the POSIX branch's own test
    assert "can be read by other users" in (exposure(path, LINUX) or "")
    make_owner_only(path, machine=LINUX)
    assert exposure(path, LINUX) is None
    assert "0600" in privacy_words(LINUX)


def test_windows_is_private_by_its_profile_not_by_chmod(tmp_path: Path) -> None:
    profile = tmp_path / "Users" / "dana"
    inside = profile / "AppData" / "Local" / "syncro-tui" / "journal.sqlite"
    inside.parent.mkdir(parents=True)
    inside.write_text("x")
    if os.name == "posix":
        os.chmod(inside, 0o644)  # noqa: a mode Windows would not have; the Windows branch must not touch it
    windows = Machine("win32", {"USERPROFILE": str(profile)}, True)
    before = inside.stat().st_mode
    make_owner_only(inside, machine=windows)
    assert inside.stat().st_mode == before  # no pretend chmod
    assert exposure(inside, windows) is None
    share = tmp_path / "share" / "journal.sqlite"
    share.parent.mkdir()
    share.write_text("x")
    assert "outside your user profile" in (exposure(share, windows) or "")
    words = privacy_words(windows)
    assert "SYSTEM" in words and "Administrators" in words and "0600" not in words


def test_git_bash_mintty_is_named_with_the_fix() -> None:
    problem = console_problem(MINTTY) or ""
    assert "mintty" in problem and "winpty syncro-tui" in problem and "Windows Terminal" in problem
    assert not hidden_input(MINTTY)
    # Windows Terminal or PowerShell: a console. Linux without a terminal (a pipe, CI): nothing to say.
    assert console_problem(Machine("win32", {"MSYSTEM": "MINGW64"}, True)) is None
    assert console_problem(Machine("linux", {"TERM_PROGRAM": "mintty"}, False)) is None
    assert hidden_input(LINUX)


def test_an_exclusive_write_never_overwrites_and_uses_no_hard_link(tmp_path: Path) -> None:
    path = tmp_path / "logs" / "session.md"
    files.write_private(path, "first", exclusive=True)
    with pytest.raises(FileExistsError):
        files.write_private(path, "second", exclusive=True)
    assert path.read_text() == "first"
    assert [p.name for p in path.parent.iterdir()] == ["session.md"]  # no temporary file left behind


def test_a_folder_without_wal_falls_back_to_a_rollback_journal_said_once(tmp_path: Path, caplog) -> None:
    # An in-memory database cannot hold a write-ahead log either: SQLite answers with another mode, as it does
    # on a network drive, and the app takes the rollback journal.
    caplog.set_level(logging.WARNING, logger="syncro_tui")
    where = tmp_path / "on-a-share.sqlite"
    assert files.use_wal(sqlite3.connect(":memory:"), where) == "delete"
    assert files.use_wal(sqlite3.connect(":memory:"), where) == "delete"
    assert sum("rollback journal" in r.getMessage() for r in caplog.records) == 1
    assert files.use_wal(sqlite3.connect(tmp_path / "local.sqlite"), tmp_path / "local.sqlite") == "wal"


ADD_CLOCKS = """
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from syncro_tui.domain.clock import Clock
from syncro_tui.writes.clocks import ClockStore
store, first = ClockStore(Path(sys.argv[1])), int(sys.argv[2])
t0 = datetime(2026, 11, 20, 15, tzinfo=UTC)
for n in range(first, first + 25):
    store.change(lambda clocks: clocks.__setitem__(n, Clock.start(n, n, "x", t0 + timedelta(seconds=n))))
"""


def test_two_windows_changing_clocks_at_once_keep_both_changes(tmp_path: Path) -> None:
    path = tmp_path / "clocks-dana.json"
    ClockStore(path).change(lambda clocks: None)
    windows = [subprocess.Popen([sys.executable, "-c", ADD_CLOCKS, str(path), str(first)]) for first in (1, 1001)]
    assert [w.wait(timeout=120) for w in windows] == [0, 0]
    kept = ClockStore(path).load()
    assert sorted(kept) == [*range(1, 26), *range(1001, 1026)]  # 50 clocks: no window lost the other's


def test_a_bad_clock_record_keeps_the_good_clocks(tmp_path: Path) -> None:
    store = ClockStore(tmp_path / "clocks-dana.json")
    good = Clock.start(7, 31996, "Printer", datetime(2026, 11, 20, 15, tzinfo=UTC))
    store.save({7: good})
    text = store.path.read_text().replace('"clocks": [', '"clocks": [{"ticket_id": "x"}, ')
    store.path.write_text(text)
    fresh = ClockStore(store.path)
    assert fresh.load() == {7: good}
    assert "1 work clock could not be read" in (fresh.damage or "")
    assert len(list(tmp_path.glob("clocks-dana.json.damaged-*"))) == 1


def test_a_clock_file_with_a_bad_byte_is_set_aside(tmp_path: Path) -> None:
    store = ClockStore(tmp_path / "clocks-dana.json")
    store.path.write_bytes(b'{"clocks": [\xff]}')
    assert store.load() == {} and "damaged" in (store.damage or "")
    assert not store.path.exists()


POSIX_ONLY = re.compile(r"\bos\.(kill|link|getuid|geteuid|chmod|fchmod)\b|\bimport fcntl\b|\bfcntl\.")


def test_posix_only_calls_stay_behind_a_platform_branch() -> None:
    """Nothing outside ``host.py`` calls what only POSIX has; a test may, for its POSIX branch, marked ``noqa``."""
    found = []
    for path in [*ROOT.joinpath("syncro_tui").rglob("*.py"), *ROOT.joinpath("tests").rglob("*.py")]:
        if path.name == "host.py" or path == Path(__file__):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if POSIX_ONLY.search(line) and "noqa" not in line:
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_nothing_looks_a_zone_up_at_import() -> None:
    """Windows has no zone database of its own: importing the app must not need one (an empty zone path, no
    tzdata package on the path), and an unknown zone is said, not raised."""
    code = ("import sys, zoneinfo; zoneinfo.reset_tzpath([]); sys.modules['tzdata'] = None\n"
            "import syncro_tui.ui.app, syncro_tui.cli, syncro_tui.training, syncro_tui.doctor\n"
            "from syncro_tui.domain.account import resolve_zone\n"
            "zone, problem = resolve_zone('America/Chicago')\n"
            "print(zone.key, 'America/Chicago' in problem)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "UTC True"  # no zone data at all: said, and the app goes on in UTC


def test_an_unknown_account_zone_is_named_and_times_go_on_in_utc() -> None:
    from syncro_tui.domain.account import resolve_zone

    zone, problem = resolve_zone("Mars/Olympus_Mons\u202e")
    assert zone.key == "UTC" and "Mars/Olympus_Mons<U+202E>" in (problem or "") and "UTC" in (problem or "")
    assert resolve_zone("America/Chicago") == (resolve_zone("America/Chicago")[0], None)
    assert resolve_zone(None)[1] is None


def test_auth_set_refuses_where_the_key_would_be_echoed(monkeypatch, capsys) -> None:
    from syncro_tui import cli

    monkeypatch.setattr(Machine, "this", classmethod(lambda cls: MINTTY))
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("typed-where-it-shows\n"))
    assert cli.main(["auth", "set", "--profile", "dana"]) == cli.EXIT_AUTH
    err = capsys.readouterr().err
    assert "cannot hide what you type" in err and "SYNCRO_API_KEY" in err and "nothing was stored" in err
    assert "typed-where-it-shows" not in err


def test_the_app_names_a_terminal_it_cannot_drive_instead_of_starting(monkeypatch, capsys) -> None:
    from syncro_tui import cli

    monkeypatch.setattr(Machine, "this", classmethod(lambda cls: MINTTY))
    assert cli.main(["--demo"]) == 2
    assert "winpty syncro-tui" in capsys.readouterr().err


def test_doctor_says_what_this_machine_will_do(tmp_path: Path) -> None:
    from syncro_tui.doctor import Level, this_machine

    data = tmp_path / "data"
    data.mkdir()
    windows = Machine("win32", {"WT_SESSION": "1", "USERPROFILE": str(tmp_path)}, True)
    found = {f.topic: f for f in this_machine(windows, config_file=tmp_path / "config.toml", data=data,
                                              which=lambda name: None)}
    assert found["This machine"].text.startswith("Windows")
    assert "Windows Terminal; true colour: keys and colours will work" in found["Terminal"].text
    assert "Windows' notification centre" in found["Alerts"].text
    assert str(data) in found["Files"].text and "(not created yet)" in found["Files"].text
    assert found["Privacy"].level is Level.OK and "SYSTEM" in found["Privacy"].text

    found = {f.topic: f for f in this_machine(MINTTY, config_file=tmp_path / "c", data=data, which=lambda n: None)}
    assert found["Terminal"].level is Level.WARN and "winpty" in found["Terminal"].text
    assert "outside your user profile" in found["Privacy"].text  # no profile known: said, not assumed

    mac = Machine("darwin", {"TERM_PROGRAM": "iTerm.app"}, True)
    found = {f.topic: f for f in this_machine(mac, config_file=tmp_path / "c", data=data, which=lambda n: None)}
    assert "(osc9)" in found["Alerts"].text
    linux = Machine("linux", {"TERM": "xterm-256color", "NO_COLOR": "1"}, True)
    found = {f.topic: f for f in this_machine(linux, config_file=tmp_path / "c", data=data,
                                              which=lambda n: "/usr/bin/" + n)}
    assert "no colours (NO_COLOR is set)" in found["Terminal"].text and "notify-send" in found["Alerts"].text
