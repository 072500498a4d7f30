"""``syncro-tui sweep --json`` (issue 20): the seeded day's leaks, with the app's journal and work clocks."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from syncro_tui import cli
from syncro_tui.api import requests as rq
from syncro_tui.config import Config, Profile
from syncro_tui.domain.clock import Clock
from syncro_tui.writes.plans import change_ticket
from syncro_tui.simulator.scenarios import LEAKS, Moment, leaky_day
from syncro_tui.writes.clocks import ClockStore
from syncro_tui.writes.journal import Journal
from syncro_tui.writes.path import WritePath

from .conftest import FIXED_NOW, make_client, make_simulator

TZ = ZoneInfo("America/Chicago")
MONDAY = date(2026, 11, 23)
KINDS = {"comment only": "unbilled", "visit only": "unbilled", "status changed": "unbilled",
         "resolved not invoiced": "not_invoiced", "timer not charged": "uncharged_timer", "line at 0.00": "zero_line",
         "invoice at 0.00": "zero_invoice", "work clock": "clock"}


@pytest.fixture
def monday(monkeypatch, tmp_path):
    moment = Moment(FIXED_NOW)
    sim = make_simulator(clock=moment)
    ids = leaky_day(sim.store, moment, MONDAY, TZ)
    monkeypatch.setattr("syncro_tui.cli.sweep.connect", lambda args: (make_client(sim), Config()))
    monkeypatch.setattr("syncro_tui.cli.sweep.account", lambda args: (Config(), "dana", Profile(user_id=1843)))
    monkeypatch.setattr("syncro_tui.cli.sweep.current_time", lambda: moment.at)
    return sim, moment, ids


async def change_status_through_the_app(sim, moment, ticket_id: int, data: Path) -> None:
    """What the app does on ``s``: the change journaled, then sent (the journal is what says who changed it)."""
    journal = Journal(data / "journal.sqlite", clock=moment)
    async with make_client(sim) as client:
        path = WritePath(client, journal, profile_name="dana", user_id=1843, clock=moment)
        path.remember_owner(await client.execute(rq.me()))
        listed = await client.execute(rq.get_ticket(ticket_id))
        outcome = await path.execute(change_ticket(listed, {"status": "In Progress"}, kind="status", words="status"))
    journal.close()
    assert outcome.done


async def test_sweep_json_finds_exactly_the_days_leaks(monday, capsys, tmp_path) -> None:
    sim, moment, ids = monday
    data = Path(tmp_path / "data")
    data.mkdir(parents=True, exist_ok=True)
    await change_status_through_the_app(sim, moment, ids["status changed"], data)
    ticket = sim.store.t("tickets")[ids["work clock"]]
    ClockStore.for_profile(data, "dana").save(
        {ticket["id"]: Clock.start(ticket["id"], ticket["number"], ticket["subject"], moment.at - timedelta(minutes=40))})
    code = await run(["sweep", "--date", "2026-11-23", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1  # leaks found
    assert out["day"] == "2026-11-23" and out["tech"] == "Dana Whitfield" and out["unread_tickets"] == []
    found = {(leak["ticket_id"], leak["kind"]) for leak in out["leaks"]}
    assert found == {(ids[label], KINDS[label]) for label in LEAKS}
    by_kind = {leak["ticket_id"]: leak for leak in out["leaks"]}
    assert by_kind[ids["timer not charged"]]["amount"] == "112.50"
    assert by_kind[ids["work clock"]]["at_least"] is True and by_kind[ids["work clock"]]["fix"] == "clock"
    assert by_kind[ids["comment only"]]["amount"] is None


async def test_sweep_text_on_a_clean_day_exits_0(monday, capsys) -> None:
    code = await run(["sweep", "--date", "2026-11-22"])  # the Sunday before: nothing done
    out = capsys.readouterr().out
    assert code == 0
    assert "End-of-day sweep for Dana Whitfield, Sunday 22 November 2026 (America/Chicago)" in out
    assert "Nothing left behind" in out


async def test_sweep_says_a_bad_date_and_a_damaged_clock_file(monday, capsys, tmp_path) -> None:
    assert await run(["sweep", "--date", "someday"]) == 2
    assert "--date:" in capsys.readouterr().err
    data = tmp_path / "data"
    data.mkdir(parents=True, exist_ok=True)
    (data / "clocks-dana.json").write_text("{not json")
    await run(["sweep", "--date", "2026-11-22"])
    assert "The work clocks file was damaged" in capsys.readouterr().err


async def run(argv: list[str]) -> int:
    """``main`` runs its own event loop: off this test's loop, in a thread."""
    import asyncio

    return await asyncio.to_thread(cli.main, argv)


async def test_the_shops_sweep_reports_every_techs_leaks_from_one_read_of_the_day(monday, capsys) -> None:
    sim, moment, ids = monday
    sim.calls.clear()
    code = await run(["sweep", "--shop", "--date", "2026-11-23", "--json"])
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert code == 1
    techs = {tech["tech"]: {(leak["ticket_id"], leak["kind"]) for leak in tech["leaks"]} for tech in out["techs"]}
    # Dana's: the day's leaks, but for what lives on her machine (the clock, the journal's status change) and the
    # $0.00 invoice, which is the shop's, said once.
    mine = {label for label in LEAKS if label not in ("work clock", "status changed", "invoice at 0.00")}
    assert techs["Dana Whitfield"] == {(ids[label], KINDS[label]) for label in mine}
    assert {(leak["ticket_id"], leak["kind"]) for leak in out["shop_leaks"]} == {(ids["invoice at 0.00"], "zero_invoice")}
    # Another tech's comment is not Dana's leak: it is that tech's, from the same read.
    assert any((ids["another tech's comment"], "unbilled") in leaks for name, leaks in techs.items() if name != "Dana Whitfield")
    assert sum(1 for call in sim.calls if call == ("GET", "get_ticket")) == out["tickets_read"]  # each ticket once
    assert "no work clock" in captured.err
