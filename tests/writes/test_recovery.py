"""What comes after a stop is decided in writes/, through an Asker: no screen needed to see it through."""

from __future__ import annotations

import pytest

from syncro_tui.api import requests as rq
from syncro_tui.api.models import Comment, Timer
from syncro_tui.writes.plans import Plan
from syncro_tui.writes.groups import GroupState, StepState
from syncro_tui.writes.outcome import GroupOutcome, Outcome
from syncro_tui.writes.recovery import (Confirmation, Finished, Recovery, Refused, RemoveDuplicates, RemoveInSyncro,
                                        SendAgain, Stopped, next_step)

from ..conftest import make_simulator
from ..simulator.helpers import open_ticket
from .test_write_path import cases, write_path


class Scripted:
    """An Asker that answers each confirm from a list, and keeps what it was shown."""

    def __init__(self, *answers: bool) -> None:
        self.answers = list(answers)
        self.confirms: list[Confirmation] = []
        self.stops: list[tuple[str, str]] = []
        self.told: list[str] = []

    async def confirm(self, confirmation: Confirmation) -> bool:
        self.confirms.append(confirmation)
        return self.answers.pop(0)

    async def show_stop(self, title: str, message: str) -> None:
        self.stops.append((title, message))

    def tell(self, message: str, *, title: str = "", severity: str = "information", timeout: float = 5) -> None:
        self.told.append(f"{title}: {message}")


def timer(ident: int) -> Timer:
    return Timer.model_validate({"id": ident, "ticket_id": 9, "start_time": "2026-11-20T10:00:00Z",
                                 "end_time": "2026-11-20T11:00:00Z"})


def test_each_kind_of_stop_has_its_next_step() -> None:
    from syncro_tui.writes.reconcile import Verdict

    done = GroupOutcome("g", GroupState.DONE, (Outcome(StepState.DONE, "Saved in Syncro."),))
    assert isinstance(next_step(done), Finished)
    refused = GroupOutcome("g", GroupState.ABANDONED, (Outcome(StepState.FAILED, "can't be blank"),))
    assert next_step(refused) == Refused("can't be blank")
    twice = Verdict(True, "found", (timer(1), timer(2)))
    step = next_step(GroupOutcome("g", GroupState.OPEN, (Outcome(StepState.PRESENT, "twice", verdict=twice),)))
    assert isinstance(step, RemoveDuplicates) and [r.call for r in step.removals] == ["delete_timer"]
    assert step.removals[0].body == {"timer_entry_id": 1}  # the older copy goes, the newer stays
    comment = Comment.model_validate({"id": 5, "subject": "x", "body": "y", "created_at": "2026-11-20T10:00:00Z"})
    twice_comment = Verdict(True, "found", (comment, comment))
    assert isinstance(next_step(GroupOutcome("g", GroupState.OPEN, (Outcome(StepState.PRESENT, "t",
                                                                            verdict=twice_comment),))), RemoveInSyncro)
    absent = GroupOutcome("g", GroupState.OPEN, (Outcome(StepState.ABSENT, "not there"),))
    assert next_step(absent) == SendAgain("not there")
    part_way = GroupOutcome("g", GroupState.OPEN, (Outcome(StepState.DONE, "ok"),
                                                   Outcome(StepState.FAILED, "refused", seq=1)))
    assert next_step(part_way) == Stopped(1, "refused", landed=1)


async def test_a_lost_answer_is_read_back_and_a_missing_write_is_confirmed_again_before_it_is_sent(tmp_path) -> None:
    sim = make_simulator()
    req, landed = cases(sim)["comment"]
    ask = Scripted(True, True)  # the plan, then "send again?"
    sim.add_fault(kind="timeout", route="add_comment", when="before", delay=2)  # lost: nothing written
    outcome = await Recovery(write_path(sim, tmp_path), ask, owner="Dana Whitfield (#1843)").send(
        Plan(kind="comment", title="A note", steps=(req,)))
    assert outcome is not None and outcome.done and landed() == 1
    assert [c.summary for c in ask.confirms] == ["A note", "Send again? A note"]
    assert any("Syncro records this as Dana Whitfield" in n for n in ask.confirms[1].notes)
    assert ask.told[-1].startswith("Saved: A note")


async def test_declining_to_send_again_abandons_what_never_landed(tmp_path) -> None:
    sim = make_simulator()
    req, landed = cases(sim)["comment"]
    wp = write_path(sim, tmp_path)
    ask = Scripted(True, False)
    sim.add_fault(kind="timeout", route="add_comment", when="before", delay=2)
    outcome = await Recovery(wp, ask, owner="Dana").send(Plan(kind="comment", title="A note", steps=(req,)))
    assert outcome is not None and landed() == 0
    assert wp.journal.group(outcome.group_id).state is GroupState.ABANDONED
    assert "Not sent: nothing of it is in Syncro." in ask.told[-1]


async def test_cancelling_the_confirm_sends_nothing(tmp_path) -> None:
    sim = make_simulator()
    req, landed = cases(sim)["comment"]
    ask = Scripted(False)
    assert await Recovery(write_path(sim, tmp_path), ask, owner="Dana").send(
        Plan(kind="comment", title="A note", steps=(req,))) is None
    assert landed() == 0 and ("POST", "add_comment") not in sim.calls and "Cancelled" in ask.told[0]


@pytest.mark.parametrize("remove", [True, False])
async def test_a_timer_that_landed_twice_is_removed_only_when_confirmed(tmp_path, remove) -> None:
    sim = make_simulator()
    ticket = open_ticket(sim)
    req = rq.add_timer(ticket["id"], start_at="2026-11-20T14:00:00-06:00", end_at="2026-11-20T15:00:00-06:00",
                       user_id=1843, product_id=1190473, notes="Twice")
    wp = write_path(sim, tmp_path)
    plan = Plan(kind="timer", title="Time", steps=(req,))
    group_id = await wp.start(plan)
    await wp.client.execute(req)  # an earlier attempt of this group landed late
    sim.add_fault(kind="drop", route="add_timer", when="after")
    outcome = await wp.run(group_id, dict(enumerate(plan.steps)))
    ask = Scripted(remove)
    await Recovery(wp, ask, owner="Dana").follow_up(outcome, "Time", None)
    mine = [t for t in sim.store.t("timers").values() if t["ticket_id"] == ticket["id"] and t["notes"] == "Twice"]
    assert [r.call for r in ask.confirms[0].requests] == ["delete_timer"]
    assert len(mine) == (1 if remove else 2)
