"""Every write through the write path under every fault: exactly one record, or none and the tech told."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from syncro_tui.api import requests as rq
from syncro_tui.api.call import ApiRequest
from syncro_tui.writes.plans import Plan
from syncro_tui.simulator import Simulator
from syncro_tui.writes.groups import GroupState, StepState
from syncro_tui.writes.journal import Journal
from syncro_tui.writes.outcome import AttributionRefused
from syncro_tui.writes.path import WritePath

from ..conftest import FIXED_NOW, make_client, make_simulator
from ..simulator.helpers import open_ticket

START = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
END = datetime(2026, 11, 20, 14, 45, tzinfo=UTC)


def count(sim: Simulator, table: str, pred: Callable[[dict], bool]) -> int:
    return sum(1 for r in sim.store.t(table).values() if pred(r))


def cases(sim: Simulator) -> dict[str, tuple[ApiRequest[Any], Callable[[], int]]]:
    t = open_ticket(sim)
    tid, cid = t["id"], t["customer_id"]
    timer = sim.store.add_timer(tid, {"start_at": "2026-11-20T10:00:00Z", "duration_minutes": 30, "product_id": 1190473}, key="demo-key")
    invoiced = next(x for x in sim.store.t("tickets").values() if x["status"] in ("In Progress",) and x["id"] != tid)
    sim.store.charge_timer(invoiced["id"], {"timer_entry_id": sim.store.add_timer(
        invoiced["id"], {"start_at": "2026-11-20T09:00:00Z", "duration_minutes": 60, "product_id": 26118}, key="demo-key")["id"]}, key="demo-key")
    visit = next(iter(sim.store.t("appointments")))
    published, drafted = (invoice_of(sim, x) for x in [x for x in sim.store.t("tickets").values()
                                                       if x["status"] == "In Progress" and x["id"] not in (tid, invoiced["id"])][:2])
    drafted["draft"] = True
    line = drafted["line_items"][0]
    live = sim.store.start_live_timer({"ticket_id": tid, "product_id": 1190473}, key="demo-key")["ticket_timer"]
    paused = sim.store.t("timers")[live["id"]]
    sim.store.move_live_timer(paused["id"], "pause", key="demo-key")
    other = next(x for x in sim.store.t("tickets").values() if x["status"] == "New")
    return {
        "comment": (rq.add_comment(tid, subject="Update", body="Replaced the switch", hidden=False, do_not_email=True),
                    lambda: count(sim, "comments", lambda c: c["body"] == "Replaced the switch")),
        "timer": (rq.add_timer(tid, start_at=START, end_at=END, notes="Switch swap", product_id=26118),
                  lambda: count(sim, "timers", lambda x: x["notes"] == "Switch swap")),
        "charge": (rq.charge_timer(tid, timer["id"]),
                   lambda: count(sim, "line_items", lambda li: li["ticket_id"] == tid and li["product_id"] == 1190473 and li["quantity"] == "0.5")),
        "line item": (rq.add_line_item(tid, name="SSD", description="Samsung 1TB SSD", quantity=Decimal("1"),
                                       price_retail=Decimal("129.00"), taxable=True, product_id=880103),
                      lambda: count(sim, "line_items", lambda li: li["description"] == "Samsung 1TB SSD")),
        "invoice": (rq.create_invoice(ticket_id=invoiced["id"], customer_id=invoiced["customer_id"]),
                    lambda: count(sim, "invoices", lambda i: i["ticket_id"] == invoiced["id"])),
        "ticket": (rq.create_ticket({"customer_id": cid, "subject": "Projector in boardroom", "status": "New"}),
                   lambda: count(sim, "tickets", lambda x: x["subject"] == "Projector in boardroom")),
        "status": (rq.update_ticket(tid, {"status": "Waiting on Vendor"}),
                   lambda: count(sim, "tickets", lambda x: x["id"] == tid and x["status"] == "Waiting on Vendor")),
        "appointment": (rq.create_appointment({"summary": "Onsite: switch", "ticket_id": tid, "start_at": START, "end_at": END}),
                        lambda: count(sim, "appointments", lambda a: a["summary"] == "Onsite: switch")),
        # a cancel (closing with a visit ahead) "lands" once: the appointment is gone, and a resend would be a 404
        "cancel appointment": (rq.delete_appointment(visit), lambda: int(visit not in sim.store.t("appointments"))),
        # draft invoices: back to draft, a line's price, published again (each lands once: its state says so)
        "to draft": (rq.invoice_to_draft(published["id"]), lambda: int(bool(published.get("draft")))),
        "invoice line": (rq.update_invoice_line(drafted["id"], line["id"], price=Decimal("99.00")),
                         lambda: int(line["price"] == "99.0")),
        "publish": (rq.publish_invoice(drafted["id"]), lambda: int(not drafted["draft"])),
        # live timers: started on another ticket (one timer, never two), resumed, stopped
        "live timer": (rq.start_live_timer(other["id"], product_id=1190473, notes="Printer"),
                       lambda: count(sim, "timers", lambda t: t["ticket_id"] == other["id"] and t.get("status") == "running")),
        "resume": (rq.start_timer(paused["id"]), lambda: int(paused["status"] == "running")),
        "stop": (rq.stop_timer(paused["id"]), lambda: int(paused["status"] == "stopped")),
        # the timer the work was timed on, set to the billed span before its charge
        "timer span": (rq.update_timer(tid, timer["id"], start_at=START, end_at=END, product_id=1190473),
                       lambda: int(sim.store.t("timers")[timer["id"]]["end_time"].startswith("2026-11-20T14:45"))),
    }


def invoice_of(sim: Simulator, ticket: dict) -> dict:
    """An invoice made for ``ticket`` from a charged hour of onsite labor."""
    timer = sim.store.add_timer(ticket["id"], {"start_at": "2026-11-20T08:00:00Z", "duration_minutes": 60,
                                               "product_id": 26118}, key="demo-key")
    sim.store.charge_timer(ticket["id"], {"timer_entry_id": timer["id"]}, key="demo-key")
    made = sim.store.create_invoice({"ticket_id": ticket["id"], "customer_id": ticket["customer_id"]}, key="demo-key")
    return sim.store.t("invoices")[made["invoice"]["id"]]


FAULTS = [("timeout", "before", 0), ("timeout", "after", 1), ("drop", "after", 1), ("500", "after", 1),
          ("garbage", "after", 1), ("429", "before", 1)]
ROUTES = {"comment": "add_comment", "timer": "add_timer", "charge": "charge_timer", "line item": "add_line_item",
          "invoice": "create_invoice", "ticket": "create_ticket", "status": "update_ticket",
          "appointment": "create_appointment", "cancel appointment": "delete_appointment",
          "to draft": "invoice_to_draft", "invoice line": "update_invoice_line", "publish": "publish_invoice",
          "live timer": "start_live_timer", "resume": "start_timer", "stop": "stop_timer", "timer span": "update_timer"}


def write_path(sim: Simulator, tmp_path, key: str = "demo-key", user_id: int | None = 1843) -> WritePath:
    client = make_client(sim, key=key, timeout=0.3)
    return WritePath(client, Journal(tmp_path / "journal.sqlite", clock=lambda: FIXED_NOW), profile_name="dana",
                     user_id=user_id, clock=lambda: FIXED_NOW)


@pytest.mark.parametrize(("kind", "when", "expected"), FAULTS)
@pytest.mark.parametrize("write", list(ROUTES))
async def test_every_write_under_every_fault_ends_with_one_record_or_none_and_says_so(tmp_path, write, kind, when, expected) -> None:
    sim = make_simulator()
    req, landed = cases(sim)[write]
    before = landed()
    wp = write_path(sim, tmp_path)
    sim.add_fault(kind=kind, route=ROUTES[write], when=when, delay=2)
    outcome = await wp.send(req, kind=write, title=f"test {write}")
    assert landed() - before == expected, "never two records"
    assert [c for c in sim.calls if c[1] == ROUTES[write]] == [(req.method, ROUTES[write])] * (2 if kind == "429" else 1)
    if expected:
        assert outcome.landed, outcome.message
    else:
        assert outcome.state is StepState.ABSENT and "Confirm again" in outcome.message
    group = wp.journal.group(outcome.group_id)
    assert group.steps[0].state is outcome.state
    assert group.state is (GroupState.DONE if outcome.landed else GroupState.OPEN)


async def test_a_write_under_another_techs_key_is_refused_and_nothing_is_sent(tmp_path) -> None:
    sim = make_simulator()
    req, landed = cases(sim)["comment"]
    wp = write_path(sim, tmp_path, key="demo-key-marcus")
    with pytest.raises(AttributionRefused, match="Marcus Bell"):
        await wp.send(req, kind="comment", title="x")
    assert landed() == 0 and ("POST", "add_comment") not in sim.calls
    assert wp.journal.open_groups() == []


async def test_a_profile_without_user_id_cannot_write(tmp_path) -> None:
    sim = make_simulator()
    req, _ = cases(sim)["comment"]
    with pytest.raises(AttributionRefused, match="no user_id"):
        await write_path(sim, tmp_path, user_id=None).send(req, kind="comment", title="x")


async def test_a_refused_write_is_failed_and_closed(tmp_path) -> None:
    sim = make_simulator()
    wp = write_path(sim, tmp_path)
    outcome = await wp.send(rq.add_comment(open_ticket(sim)["id"], subject="", body="", hidden=True, do_not_email=True),
                            kind="comment", title="empty")
    assert outcome.state is StepState.FAILED and "can't be blank" in outcome.message
    assert wp.journal.group(outcome.group_id).state is GroupState.ABANDONED


async def test_a_duplicate_timer_that_landed_is_found(tmp_path) -> None:
    sim = make_simulator()
    req, landed = cases(sim)["timer"]
    wp = write_path(sim, tmp_path)
    plan = Plan(kind="timer", title="again", steps=(req,))
    group_id = await wp.start(plan)  # the baseline: no such timer yet
    await wp.client.execute(req)  # an attempt of this group that landed late
    sim.add_fault(kind="drop", route="add_timer", when="after")
    outcome = (await wp.run(group_id, dict(enumerate(plan.steps)))).steps[-1]
    assert landed() == 2
    assert outcome.state is StepState.PRESENT and len(outcome.verdict.matches) == 2
    assert outcome.verdict.duplicates[0].id < outcome.verdict.record.id  # the older one is offered for removal


CREATES = ("comment", "timer", "line item", "invoice", "ticket", "appointment")


@pytest.mark.parametrize("write", CREATES)
async def test_a_look_alike_that_existed_before_never_makes_a_lost_write_look_saved(tmp_path, write) -> None:
    """The second "Left voicemail" of the day, lost before Syncro wrote it, is not in Syncro: it must say so."""
    sim = make_simulator()
    req, landed = cases(sim)[write]
    lookalike = make_client(sim)
    await lookalike.execute(req)  # the same record, made earlier today (a moment ago, within the time window)
    before = landed()
    wp = write_path(sim, tmp_path)
    sim.add_fault(kind="timeout", route=ROUTES[write], when="before", delay=2)  # lost: nothing written
    outcome = await wp.send(req, kind=write, title=f"look-alike {write}")
    assert landed() == before
    assert outcome.state is StepState.ABSENT, outcome.message
    assert "Confirm again" in outcome.message


async def test_another_techs_appointment_at_the_same_time_is_not_ours(tmp_path) -> None:
    sim = make_simulator()
    req, landed = cases(sim)["appointment"]
    ticket_id = req.body["ticket_id"]
    wp = write_path(sim, tmp_path)
    plan = Plan(kind="appointment", title="visit", steps=(req,))
    group_id = await wp.start(plan)
    # Meanwhile Marcus books the same summary and time on the same ticket, under his key.
    await make_client(sim, key="demo-key-marcus").execute(req)
    sim.add_fault(kind="timeout", route="create_appointment", when="before", delay=2)
    outcome = (await wp.run(group_id, dict(enumerate(plan.steps)))).steps[-1]
    assert outcome.state is StepState.ABSENT, outcome.message
    assert [a["user_id"] for a in sim.store.t("appointments").values() if a.get("ticket_id") == ticket_id
            and a["summary"] == "Onsite: switch"] == [1851]


def test_every_write_the_app_can_send_has_each_of_its_parts() -> None:
    """A call is its request builder and the shape of its answer (``api/requests``), and its one spec
    (``writes/specs`` ``SPECS``): a write, how it is read back after a lost answer and for a create what existed
    before it; a check step, how it judges what it read. With the simulator's route. One left out fails here, not
    in front of a customer."""
    from syncro_tui.simulator.routes import ROUTE_NAMES
    from syncro_tui.writes.specs import SPECS, creates

    checks = {call for call, spec in SPECS.items() if spec.check is not None}
    writes = set(rq.SHAPES) - checks
    never_sent = {"delete_ticket"}  # parsed for the spec's example; the write path refuses it (no read-back)
    assert writes - never_sent == {call for call, spec in SPECS.items() if spec.read_back is not None}
    assert all((spec.read_back is None) != (spec.check is None) for spec in SPECS.values())  # one or the other
    assert {call for call in SPECS if creates(call)} == {ROUTES[w] for w in CREATES}  # each create's look-alike test
    assert checks == {call for call in rq.SHAPES if call.startswith("check_")}
    assert writes <= ROUTE_NAMES  # the simulator answers each, as Syncro would


def test_a_plan_that_names_a_result_no_call_returns_is_refused_before_anything_is_sent() -> None:
    """Later calls name what an earlier one returns (``Ref``): a write's record id, a check's facts. A misspelt
    field was a silent None at send time; now the plan cannot be made."""
    from syncro_tui.api.call import Ref
    from syncro_tui.writes.plans import Plan

    check = rq.check_line_item(7, {"product_id": 1, "quantity": "1.0", "price_retail": "90.00"})
    good = Plan(kind="bill", title="t", steps=(check, rq.update_line_item(7, Ref(0, "line_item_id"), price_retail=1)))
    assert good.steps[1].refs == (Ref(0, "line_item_id"),)
    with pytest.raises(ValueError, match=r"names nothing call 1 \(check_line_item\) returns"):
        Plan(kind="bill", title="t", steps=(check, rq.update_line_item(7, Ref(0, "line_id"), price_retail=1)))
    with pytest.raises(ValueError, match=r"names nothing call 1 \(create_ticket\) returns \(id\)"):
        Plan(kind="new", title="t", steps=(rq.create_ticket({"subject": "x"}), rq.add_comment(
            Ref(0, "ticket_id"), subject="s", body="b", hidden=True, do_not_email=True)))
