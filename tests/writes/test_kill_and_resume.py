"""A process killed at each step of a group, then started again, ends with the right records and no duplicate.

Real processes: the simulator runs as ``syncro-tui simulator``; the write path
runs in ``tests.writes.group_driver``, which is SIGKILLed while a call is in
flight. The simulator holds that call (a fault with a long delay) either
before it writes the record or after, so both outcomes of "killed in flight"
are covered, at each of the group's three calls.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .plans import created

ROOT = Path(__file__).resolve().parents[2]
ROUTES = ["create_ticket", "add_comment", "create_appointment"]


@pytest.fixture(scope="module")
def simulator() -> Iterator[tuple[str, str]]:
    proc = subprocess.Popen([sys.executable, "-m", "syncro_tui", "simulator", "--port", "0", "--rate-limit", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip()  # type: ignore[union-attr]
        base = line.split(": ", 1)[1]
        yield base, base.rsplit("/api/", 1)[0] + "/__sim"
    finally:
        proc.kill()  # calls held by faults would keep a graceful shutdown waiting
        proc.wait(timeout=10)


def driver(base: str, journal: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "tests.writes.group_driver", base, str(journal), *args]


def wait_for(predicate, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def step_states(journal: Path) -> list[str]:
    with sqlite3.connect(journal) as db:
        return [row[0] for row in db.execute("SELECT state FROM steps ORDER BY seq")]


@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("seq", range(len(ROUTES)))
def test_killed_in_flight_at_each_step_resumes_to_one_of_each(simulator, tmp_path, seq, when) -> None:
    base, control = simulator
    route = ROUTES[seq]
    httpx.post(f"{control}/reset", timeout=30).raise_for_status()
    state = httpx.get(f"{control}/state", timeout=30).json()
    customer_id = min(int(k) for k in state["customers"])
    # Hold this call for ten minutes, before or after the record is written.
    httpx.post(f"{control}/faults", json={"kind": "timeout", "route": route, "when": when, "delay": 600},
               timeout=10).raise_for_status()
    journal = tmp_path / "journal.sqlite"

    proc = subprocess.Popen(driver(base, journal, "start", str(customer_id)), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: ["POST", route] in httpx.get(f"{control}/calls", timeout=10).json()["calls"]
                 or proc.poll() is not None, f"{route} to reach the simulator")
        assert proc.poll() is None, proc.stderr.read()  # type: ignore[union-attr]
        assert step_states(journal)[seq] == "sending"
    finally:
        proc.kill()
        proc.wait(timeout=10)

    tables = httpx.get(f"{control}/state", timeout=30).json()
    assert created(tables) == tuple(int(i < seq or (i == seq and when == "after")) for i in range(3))

    resumed = subprocess.run(driver(base, journal, "resume"), cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout.splitlines()[-1]) == {"groups": ["done"]}
    assert created(httpx.get(f"{control}/state", timeout=30).json()) == (1, 1, 1), "one of each, never two"
    posts = [c for c in httpx.get(f"{control}/calls", timeout=10).json()["calls"] if c[0] == "POST"]
    expected = [["POST", r] for r in ROUTES]
    if when == "before":  # the held call never landed: it was sent once more, after reading back
        expected.insert(seq, ["POST", route])
    assert posts == expected
    assert step_states(journal) == ["done" if i != seq else ("present" if when == "after" else "done") for i in range(3)]


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_bulk_assign_killed_halfway_resumes_ticket_by_ticket_sending_none_twice(simulator, tmp_path, when) -> None:
    """Issue 36: six tickets assigned in one group; the process is killed while the fourth's call is held (before
    or after Syncro wrote it). The resume reads the fourth back and sends only the two never sent."""
    base, control = simulator
    httpx.post(f"{control}/reset", timeout=30).raise_for_status()
    state = httpx.get(f"{control}/state", timeout=30).json()
    marcus = 1851
    tickets = sorted(int(k) for k, t in state["tickets"].items()
                     if t["user_id"] != marcus and t["status"] not in ("Resolved", "Closed", "Invoiced"))[:6]
    httpx.post(f"{control}/faults", json={"kind": "timeout", "route": "update_ticket", "when": when, "delay": 600,
                                          "skip": 3}, timeout=10).raise_for_status()
    journal = tmp_path / "journal.sqlite"
    proc = subprocess.Popen(driver(base, journal, "bulk", str(marcus), ",".join(map(str, tickets))), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: httpx.get(f"{control}/calls", timeout=10).json()["calls"].count(["PUT", "update_ticket"]) == 4
                 or proc.poll() is not None, "the fourth call to reach the simulator")
        assert proc.poll() is None, proc.stderr.read()  # type: ignore[union-attr]
        assert step_states(journal)[3] == "sending"
    finally:
        proc.kill()
        proc.wait(timeout=10)

    def assigned() -> list[bool]:
        now = httpx.get(f"{control}/state", timeout=30).json()["tickets"]
        return [now[str(t)]["user_id"] == marcus for t in tickets]

    assert assigned() == [True, True, True, when == "after", False, False]
    resumed = subprocess.run(driver(base, journal, "resume"), cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout.splitlines()[-1]) == {"groups": ["done"]}
    assert assigned() == [True] * 6
    puts = [c for c in httpx.get(f"{control}/calls", timeout=10).json()["calls"] if c == ["PUT", "update_ticket"]]
    assert len(puts) == 6 + (when == "before")  # the held call sent again only when it never landed
    assert step_states(journal) == ["done"] * 3 + ["present" if when == "after" else "done"] + ["done"] * 2
