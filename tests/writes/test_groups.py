"""Multi-call groups: ids filled from earlier calls, a stop at the first doubt, resume after reading back, abandon."""

from __future__ import annotations

import pytest

from syncro_tui.api import requests as rq
from syncro_tui.api.call import Ref
from syncro_tui.writes.plans import Plan
from syncro_tui.simulator import Simulator
from syncro_tui.writes.groups import GroupState, StepState

from ..conftest import make_client, make_simulator
from ..simulator.helpers import open_ticket
from .plans import END, START, created, cut_short_at_the_comment, projector_ticket
from .test_write_path import write_path

def new_ticket_plan(sim: Simulator) -> Plan:
    return projector_ticket(open_ticket(sim)["customer_id"])


def server_state(sim: Simulator) -> tuple[int, int, int]:
    return created({name: sim.store.t(name) for name in ("tickets", "comments", "appointments")})


def test_the_confirm_preview_shows_placeholders_for_ids_to_come() -> None:
    plan = new_ticket_plan(make_simulator())
    comment, appointment = plan.steps[1], plan.steps[2]
    assert comment.display_path == "/tickets/<id from call 1>/comment"
    assert '"ticket_id": "<id from call 1>"' in appointment.body_json()
    assert comment.refs == (Ref(0),) and appointment.refs == (Ref(0),)


def test_a_plan_refuses_reads_and_ids_from_later_calls() -> None:
    with pytest.raises(ValueError, match="not a write"):
        Plan(kind="x", title="x", steps=(rq.get_ticket(1),))
    with pytest.raises(ValueError, match="not an earlier call"):
        Plan(kind="x", title="x", steps=(rq.add_comment(Ref(0), subject="s", body="b", hidden=True, do_not_email=True),))


async def test_an_unresolved_request_is_never_sent(tmp_path) -> None:
    sim = make_simulator()
    wp = write_path(sim, tmp_path)
    with pytest.raises(ValueError, match="id from call 1"):
        await wp.client.execute(rq.add_comment(Ref(0), subject="s", body="b", hidden=True, do_not_email=True))
    assert not sim.calls


async def test_a_group_fills_later_calls_from_earlier_answers(tmp_path) -> None:
    sim = make_simulator()
    wp = write_path(sim, tmp_path)
    seen: list[tuple[int, StepState]] = []
    paths: dict[int, str] = {}

    def progress(seq: int, state: StepState, _message: str, path: str | None = None, /) -> None:
        seen.append((seq, state))
        if path is not None:
            paths[seq] = path

    outcome = await wp.execute(new_ticket_plan(sim), progress=progress)
    assert outcome.done, outcome.message
    assert server_state(sim) == (1, 1, 1)
    ticket_id = outcome.steps[0].result.id
    group = wp.journal.group(outcome.group_id)
    assert group.state is GroupState.DONE
    assert group.steps[1].path == f"/tickets/{ticket_id}/comment"  # the journal keeps what was really sent
    assert paths[1] == f"/tickets/{ticket_id}/comment"  # and the screen is told it as the call goes
    assert group.steps[2].body["ticket_id"] == ticket_id
    assert seen == [(0, StepState.SENDING), (0, StepState.DONE), (1, StepState.SENDING), (1, StepState.DONE),
                    (2, StepState.SENDING), (2, StepState.DONE)]


@pytest.mark.parametrize("route", ["create_ticket", "add_comment", "create_appointment"])
async def test_a_lost_answer_mid_group_is_read_back_and_the_group_goes_on(tmp_path, route) -> None:
    sim = make_simulator()
    wp = write_path(sim, tmp_path)
    sim.add_fault(kind="timeout", route=route, when="after", delay=2)
    outcome = await wp.execute(new_ticket_plan(sim))
    assert outcome.done, outcome.message
    assert server_state(sim) == (1, 1, 1)
    assert any(s.state is StepState.PRESENT for s in outcome.steps)


async def test_a_write_that_did_not_land_stops_the_group_until_confirmed_again(tmp_path) -> None:
    sim = make_simulator()
    wp = write_path(sim, tmp_path)
    sim.add_fault(kind="timeout", route="add_comment", when="before", delay=2)
    outcome = await wp.execute(new_ticket_plan(sim))
    assert not outcome.done and outcome.stopped.state is StepState.ABSENT
    assert "Confirm again" in outcome.message
    assert server_state(sim) == (1, 0, 0), "the appointment waits for the comment"
    group, _ = await wp.prepare(outcome.group_id)
    remaining = wp.remaining(group)
    assert list(remaining) == [1, 2]
    ticket_id = outcome.steps[0].result.id
    assert remaining[1].path == f"/tickets/{ticket_id}/comment" and remaining[2].body["ticket_id"] == ticket_id
    again = await wp.run(outcome.group_id, remaining)
    assert again.done and server_state(sim) == (1, 1, 1)


async def test_a_refusal_after_a_landed_call_keeps_the_group_open_for_the_tech(tmp_path) -> None:
    sim = make_simulator()
    wp = write_path(sim, tmp_path)
    plan = new_ticket_plan(sim)
    bad = Plan(kind=plan.kind, title=plan.title, steps=(
        plan.steps[0], rq.add_comment(Ref(0), subject="", body="", hidden=True, do_not_email=True)))
    outcome = await wp.execute(bad)
    assert outcome.state is GroupState.OPEN and outcome.stopped.state is StepState.FAILED
    assert [g.id for g in wp.open_groups()] == [outcome.group_id]
    wp.abandon(outcome.group_id, "Comment added by hand in the web UI")
    group = wp.journal.group(outcome.group_id)
    assert group.state is GroupState.ABANDONED and group.note == "Comment added by hand in the web UI"
    assert wp.open_groups() == []


async def test_a_group_cut_short_in_flight_is_read_back_before_anything_is_sent(tmp_path) -> None:
    """What a crash leaves: step 2 marked sending; whether it landed is found by reading, never by resending."""
    for landed in (True, False):
        sim = make_simulator()
        wp = write_path(sim, tmp_path / str(landed))
        group_id = await cut_short_at_the_comment(wp, new_ticket_plan(sim), landed=landed)
        calls = len(sim.calls)
        group, verdict = await wp.prepare(group_id)
        assert verdict is not None and verdict.state is (StepState.PRESENT if landed else StepState.ABSENT)
        assert all(method == "GET" for method, _ in list(sim.calls)[calls:]), "prepare only reads"
        outcome = await wp.run(group_id, wp.remaining(group))
        assert outcome.done and server_state(sim) == (1, 1, 1)


async def test_a_duplicate_stops_the_group_before_the_charge(tmp_path) -> None:
    sim = make_simulator()
    wp = write_path(sim, tmp_path)
    ticket_id = open_ticket(sim)["id"]
    timer = rq.add_timer(ticket_id, start_at=START, end_at=END, notes="Projector swap", product_id=26118)
    plan = Plan(kind="bill", title="bill", steps=(timer, rq.charge_timer(ticket_id, Ref(0))))
    group_id = await wp.start(plan)  # the baseline is taken: no such timer yet
    await wp.client.execute(timer)  # an earlier attempt of this run that landed late
    sim.add_fault(kind="drop", route="add_timer", when="after")
    outcome = await wp.run(group_id, dict(enumerate(plan.steps)))
    assert not outcome.done and outcome.stopped.duplicates
    assert ("POST", "charge_timer") not in sim.calls
    older = outcome.stopped.duplicates[0]
    removed = await wp.send(rq.delete_timer(ticket_id, older.id), kind="remove duplicate", title="older copy")
    assert removed.landed
    finished = await wp.run(outcome.group_id)
    assert finished.done
    timers = [t for t in sim.store.t("timers").values() if t["notes"] == "Projector swap"]
    assert len(timers) == 1 and timers[0]["recorded"] and timers[0]["id"] == outcome.stopped.result.id


async def test_a_group_is_never_continued_under_another_techs_key(tmp_path) -> None:
    """A profile re-pointed to another tech's key must not put that tech's name on the first tech's group."""
    from syncro_tui.writes.outcome import AttributionRefused
    from syncro_tui.writes.path import WritePath

    sim = make_simulator()
    wp = write_path(sim, tmp_path)  # Dana's key, Dana's profile
    group_id = await cut_short_at_the_comment(wp, new_ticket_plan(sim), landed=False)
    # The same profile, now with Tom's key (and the profile's user id changed to match it).
    tom = WritePath(make_client(sim, key="demo-key-tom"), wp.journal, profile_name="dana", user_id=2231)
    calls = len(sim.calls)
    with pytest.raises(AttributionRefused, match="begun under user 1843"):
        await tom.prepare(group_id)
    with pytest.raises(AttributionRefused, match="begun under user 1843"):
        await tom.run(group_id)
    assert all(method == "GET" for method, _ in list(sim.calls)[calls:])  # only GET /me
    assert server_state(sim)[1] == 0  # the comment was not sent under Tom's name
    outcome = await wp.run(group_id, wp.remaining((await wp.prepare(group_id))[0]))
    assert outcome.done  # Dana can finish it


async def test_an_unexpected_error_mid_send_leaves_the_step_in_doubt_not_sending(tmp_path, monkeypatch) -> None:
    sim = make_simulator()
    wp = write_path(sim, tmp_path)
    plan = new_ticket_plan(sim)
    original = wp.client._send_once
    calls = {"n": 0}

    async def flaky(req):
        calls["n"] += 1
        if req.call == "add_comment" and calls["n"] < 10:
            raise RuntimeError("a bug of ours")
        return await original(req)

    monkeypatch.setattr(wp.client, "_send_once", flaky)
    outcome = await wp.execute(plan)
    assert outcome.stopped.state is StepState.UNKNOWN and "unexpected error" in outcome.stopped.message
    assert wp.journal.group(outcome.group_id).steps[1].state is StepState.UNKNOWN  # not "sending" forever
    calls["n"] = 10
    group, verdict = await wp.prepare(outcome.group_id)  # read back: it did not land
    assert verdict.state is StepState.ABSENT
    assert (await wp.run(group.id, wp.remaining(group))).done and server_state(sim) == (1, 1, 1)
