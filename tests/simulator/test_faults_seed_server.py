"""Fault injection, the seeded demo data, persistence and the real loopback server."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest

from syncro_tui.simulator import API_PREFIX, DEMO_KEY, Simulator, seed
from syncro_tui.simulator.server import BackgroundSimulator

from ..conftest import FIXED_DAY, make_simulator
from .helpers import open_ticket

BODY = {"subject": "Update", "body": "Fault test comment"}


def landed(sim: Simulator, tid: int) -> int:
    return sum(1 for c in sim.store.t("comments").values() if c["ticket_id"] == tid and c["body"] == BODY["body"])


@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("kind", ["drop", "500", "garbage"])
async def test_faults_before_and_after_commit(raw: httpx.AsyncClient, sim, kind: str, when: str) -> None:
    tid = open_ticket(sim)["id"]
    sim.add_fault(kind=kind, route="add_comment", when=when)
    try:
        r = await raw.post(f"/tickets/{tid}/comment", json=BODY)
    except httpx.TransportError:
        assert kind == "drop"
    else:
        assert kind != "drop"
        if kind == "500":
            assert r.status_code == 500 and r.headers["content-type"].startswith("text/html")
        else:
            assert r.status_code == 200
            with pytest.raises(ValueError):
                r.json()
    assert landed(sim, tid) == (1 if when == "after" else 0)
    # the fault was one-shot: the next call goes through
    assert (await raw.post(f"/tickets/{tid}/comment", json=BODY)).status_code == 200


@pytest.mark.parametrize(("when", "expected"), [("before", 0), ("after", 1)])
async def test_timeout_before_and_after_commit(raw: httpx.AsyncClient, sim, when: str, expected: int) -> None:
    tid = open_ticket(sim)["id"]
    sim.add_fault(kind="timeout", route="add_comment", when=when, delay=5)
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.2):
            await raw.post(f"/tickets/{tid}/comment", json=BODY)
    assert landed(sim, tid) == expected


async def test_fault_skip_and_times_pick_which_calls_fail(raw: httpx.AsyncClient, sim) -> None:
    sim.add_fault(kind="500", route="me", skip=1, times=2)
    statuses = [(await raw.get("/me")).status_code for _ in range(4)]
    assert statuses == [200, 500, 500, 200]


async def test_fault_429_and_latency(raw: httpx.AsyncClient, sim) -> None:
    sim.add_fault(kind="429", method="GET")
    r = await raw.get("/users")
    assert (r.status_code, r.text) == (429, "Retry later\n")
    sim.add_fault(kind="latency", route="list_users", delay=0.3)
    started = time.monotonic()
    assert (await raw.get("/users")).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_bad_fault_specs_are_refused(sim) -> None:
    with pytest.raises(ValueError):
        sim.add_fault(kind="explode")
    with pytest.raises(ValueError):
        sim.add_fault(kind="500", route="no_such_route")
    with pytest.raises(ValueError):
        sim.add_fault(kind="429", when="after")


def test_seed_is_byte_for_byte_stable() -> None:
    first = json.dumps(seed.generate(7, FIXED_DAY), sort_keys=True)
    second = json.dumps(seed.generate(7, FIXED_DAY), sort_keys=True)
    assert first == second
    assert json.dumps(seed.generate(8, FIXED_DAY), sort_keys=True) != first


def test_seed_looks_like_a_small_msp() -> None:
    data = seed.generate(1, FIXED_DAY)
    customers = list(data["customers"].values())
    tickets = list(data["tickets"].values())
    assert 35 <= len(customers) <= 45 and 280 <= len(tickets) <= 320
    assert any(c["business_name"] for c in customers) and any(not c["business_name"] for c in customers)
    assert sum(1 for c in customers if c["prepay_hours"] not in (None, "0.0")) >= 5
    assert data["contacts"] and data["assets"]
    assert len({t["user_id"] for t in tickets if t["user_id"]}) == 4
    assert {t["status"] for t in tickets} >= {"New", "In Progress", "Waiting on Customer", "Resolved", "Invoiced"}
    assert {t["priority"] for t in tickets} >= {"1 High", "2 Normal", "3 Low", "4 Urgent"}
    assert len({t["problem_type"] for t in tickets}) >= 10
    comments = list(data["comments"].values())
    assert any(c["hidden"] for c in comments) and any(c["destination_emails"] for c in comments)
    assert any(not c["hidden"] and not c["destination_emails"] for c in comments)
    timers = list(data["timers"].values())
    assert any(t["recorded"] for t in timers) and any(not t["recorded"] for t in timers)
    assert data["line_items"] and data["invoices"]
    today = [a for a in data["appointments"].values() if a["start_at"].startswith("2026-11-20")]
    assert today, "appointments today"
    assert {p["id"]: p["price_retail"] for p in data["products"].values()}[26184] == 262.5


@pytest.mark.parametrize("utc_hour, day", [(7, "2026-12-02"), (15, "2026-12-02"), (16, "2026-12-03")])
def test_a_simulator_started_early_in_the_day_lists_no_update_after_its_clock(utc_hour: int, day: str) -> None:
    """A European morning is the small hours in Chicago: seeded for that day, the newest update (9:45 there)
    would lie ahead of the clock, and a change made now would be older than it, never seen by a refresh."""
    from datetime import UTC, datetime

    now = datetime(2026, 12, 3, utc_hour, 0, tzinfo=UTC)
    sim = Simulator(clock=lambda: now)
    newest = max(t["updated_at"] for t in sim.store.t("tickets").values())
    assert newest.startswith(day) and datetime.fromisoformat(newest.replace("Z", "+00:00")) <= now


def test_seed_carries_hostile_text_for_the_ui_to_show_literally() -> None:
    data = seed.generate(1, FIXED_DAY)
    names = [c["business_name"] or c["fullname"] for c in data["customers"].values()]
    assert any("[bold red]" in n for n in names)
    assert any("[red]" in t["subject"] for t in data["tickets"].values())
    assert any("\x1b[" in c["body"] for c in data["comments"].values())


async def test_state_file_persists_writes_and_reset_discards_them(tmp_path) -> None:
    state = tmp_path / "sandbox.json"
    sim = make_simulator(state_file=state)
    tid = open_ticket(sim)["id"]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(sim), base_url="http://s" + API_PREFIX, headers={"Authorization": DEMO_KEY}) as c:
        await c.post(f"/tickets/{tid}/comment", json=BODY)
    assert state.exists()
    restarted = make_simulator(state_file=state)
    assert landed(restarted, tid) == 1
    fresh = make_simulator(state_file=state, reset=True)
    assert landed(fresh, tid) == 0


async def test_control_api_adds_faults_and_reports_state(raw: httpx.AsyncClient, sim) -> None:
    control = httpx.AsyncClient(transport=httpx.ASGITransport(sim), base_url="http://s")
    async with control:
        added = await control.post("/__sim/faults", json={"kind": "500", "route": "me"})
        assert added.status_code == 201
        assert (await raw.get("/me")).status_code == 500
        bad = await control.post("/__sim/faults", json={"kind": "nope"})
        assert bad.status_code == 422
        state = (await control.get("/__sim/state")).json()
        assert len(state["tickets"]) == len(sim.store.t("tickets"))
        calls = (await control.get("/__sim/calls")).json()["calls"]
        assert ["GET", "me"] in calls


def test_real_loopback_http_with_a_dropped_connection_after_commit() -> None:
    sim = make_simulator()
    tid = open_ticket(sim)["id"]
    with BackgroundSimulator(sim) as server:
        assert server.base_url.startswith("http://127.0.0.1:")
        with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {DEMO_KEY}"}, timeout=5) as c:
            assert c.get("/me").json()["user_id"] == 1843
            sim.add_fault(kind="drop", route="add_comment", when="after")
            with pytest.raises(httpx.TransportError):
                c.post(f"/tickets/{tid}/comment", json=BODY)
            assert landed(sim, tid) == 1
            assert c.get(f"/tickets/{tid}").status_code == 200


def test_the_standalone_simulator_tells_an_injected_fault_in_one_line_not_a_traceback() -> None:
    """A trainer injecting faults reads what happened, not a Python traceback per call (a real process)."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "syncro_tui", "simulator", "--port", "0", "--rate-limit", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = proc.stdout.readline().strip().split(": ", 1)[1]  # type: ignore[union-attr]
        control = base.rsplit("/api/", 1)[0] + "/__sim"
        with httpx.Client(headers={"Authorization": f"Bearer {DEMO_KEY}"}, timeout=5) as c:
            for kind in ("drop", "500"):
                c.post(f"{control}/faults", json={"kind": kind, "route": "list_tickets"}).raise_for_status()
                with pytest.raises(httpx.TransportError) if kind == "drop" else pytest.raises(httpx.HTTPStatusError):
                    c.get(f"{base}/tickets").raise_for_status()
            assert c.get(f"{base}/tickets").status_code == 200
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    told = [line for line in err.splitlines() if "Injected fault" in line]
    assert len(told) == 2 and "connection dropped" in told[0] and "500 page" in told[1]
    assert "Traceback" not in err and "Exception in ASGI application" not in err
