"""The billing wizard's form as a pure function: what the tech typed → problems by field, the plan, the run."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from syncro_tui.api.models import Customer, Ticket
from syncro_tui.domain.situation import Situation
from syncro_tui.domain.billing_form import BillingForm, default_end, parse_ended, review
from syncro_tui.domain.parts import Parts
from syncro_tui.domain.rates import DEFAULT_RATES, RateTable
from syncro_tui.domain.when import WhenProblem
from syncro_tui.writes.plans import billing_run

TZ = ZoneInfo("America/Chicago")
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=TZ)
RATES = RateTable(DEFAULT_RATES)


def situation(prepay: str | None = None, **ticket: object) -> Situation:
    fields = {"id": 1, "number": 31901, "subject": "Printer offline", "status": "In Progress", "customer_id": 7,
              "created_at": "2026-11-19T09:00:00-06:00", "updated_at": "2026-11-19T09:00:00-06:00", **ticket}
    return Situation(ticket=Ticket.model_validate(fields),
                     customer=Customer.model_validate({"id": 7, "business_name": "Brightline Dental",
                                                       "prepay_hours": prepay}))


def filled(**changes: object) -> BillingForm:
    form = BillingForm(minutes="45", labor="remote", ended="today 14:30", description="Printer fixed",
                       comment="Replaced the fuser.", subject="Resolution")
    for name, value in changes.items():
        setattr(form, name, value)
    return form


def test_a_filled_form_is_a_run_with_its_plan_and_passing_checklist() -> None:
    checked = review(filled(), situation(), rates=RATES, now=NOW, tz=TZ)
    assert checked.problems == {} and checked.first_problem is None
    assert checked.time is not None and (checked.time.quantity, checked.time.total) == (Decimal("0.75"), Decimal("112.50"))
    assert checked.time.end_at == datetime(2026, 11, 20, 14, 30, tzinfo=TZ)
    assert checked.run is not None and [r.call for r in billing_run(checked.run).steps][:2] == ["add_comment", "add_timer"]


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"minutes": ""}, "minutes", "Minutes are required"),
    ({"minutes": "-5"}, "minutes", "cannot be negative"),
    ({"labor": None}, "labor", "never assumed"),
    ({"ended": "soon"}, "ended", "When did the work end?"),
    ({"ended": "today 16:00"}, "ended", "in the future"),
    ({"description": "  "}, "description", "customer reads it on the invoice"),
    ({"comment": ""}, "comment", "needs a body"),
])
def test_each_problem_is_said_on_its_field_and_there_is_no_run(change, field, words) -> None:
    checked = review(filled(**change), situation(), rates=RATES, now=NOW, tz=TZ)
    assert words in checked.problems[field]
    assert checked.run is None and words in (checked.first_problem or "")


def test_internal_time_needs_no_comment_and_long_work_must_be_confirmed() -> None:
    assert review(filled(labor="internal", comment=""), situation(), rates=RATES, now=NOW, tz=TZ).run is not None
    long = review(filled(minutes="1500"), situation(), rates=RATES, now=NOW, tz=TZ)
    assert long.long_work and long.run is None
    assert review(filled(minutes="1500", long_confirmed=True, ended="today 14:59"), situation(), rates=RATES,
                  now=NOW, tz=TZ).run is not None


def test_warnings_must_be_acknowledged_and_a_failing_checklist_stops_the_run() -> None:
    invoiced = situation(status="Invoiced")
    assert invoiced.warnings
    assert "ack" in review(filled(), invoiced, rates=RATES, now=NOW, tz=TZ).problems
    assert review(filled(acknowledged=True), invoiced, rates=RATES, now=NOW, tz=TZ).run is not None
    secret = review(filled(comment="The new password: Hunter2!"), situation(), rates=RATES, now=NOW, tz=TZ)
    assert secret.run is None and "checklist fails" in (secret.first_problem or "")


def test_without_the_ticket_read_there_is_no_plan_yet() -> None:
    checked = review(filled(), None, rates=RATES, now=NOW, tz=TZ)
    assert checked.time is None and checked.run is None and checked.problems == {}


def test_the_end_box_starts_at_now_and_reads_the_words_the_new_ticket_form_reads() -> None:
    assert default_end(NOW, TZ) == "2026-11-20 15:00"
    assert parse_ended("yesterday 10pm", now=NOW, tz=TZ) == datetime(2026, 11, 19, 22, 0, tzinfo=TZ)
    assert parse_ended("now", now=NOW, tz=TZ) == NOW
    with pytest.raises(WhenProblem, match="YYYY-MM-DD HH:MM"):
        parse_ended("yesterday", now=NOW, tz=TZ)


def test_a_refusal_names_every_problem_in_the_forms_order() -> None:
    """Found in the day walk: one problem a refusal meant three ctrl+s to learn what stood in the way."""
    checked = review(filled(minutes="", comment="", description=" "), situation(), rates=RATES, now=NOW, tz=TZ)
    said = checked.all_problems
    assert len(said) == 3 and said[0] == checked.first_problem and "Minutes are required" in said[0]
    assert "customer reads it on the invoice" in said[1] and "needs a body" in said[2]


def test_a_review_with_its_parts_works_out_again_only_the_parts_that_read_what_changed() -> None:
    """Issue 35: a word in the comment re-checks the comment and the checklist, never the time plan; a change of
    minutes plans the time again, and the result is the same as a fresh review's."""
    parts, form, read = Parts(), filled(), situation()
    first = review(form, read, rates=RATES, now=NOW, tz=TZ, parts=parts)
    assert {"minutes", "ended", "comment", "timers", "items", "time", "checks", "hints"} <= parts.worked
    form.comment = "Replaced the fuser. password: hunter2"
    again = review(form, read, rates=RATES, now=NOW, tz=TZ, parts=parts)
    assert parts.worked == {"comment", "checks"}
    assert again.time is first.time and again.failing == ["Nothing internal or secret in a customer-visible comment"] != first.failing
    form.description = "Printer fixed, fuser replaced"
    review(form, read, rates=RATES, now=NOW, tz=TZ, parts=parts)
    assert parts.worked == set()
    form.minutes = "90"
    changed = review(form, read, rates=RATES, now=NOW, tz=TZ, parts=parts)
    assert parts.worked == {"minutes", "time", "checks", "hints"}
    fresh = review(form, read, rates=RATES, now=NOW, tz=TZ)
    assert (changed.time, changed.checks, changed.problems) == (fresh.time, fresh.checks, fresh.problems)
    assert changed.time is not None and changed.time.quantity == Decimal("1.5")
    later = review(form, read, rates=RATES, now=NOW.replace(minute=1), tz=TZ, parts=parts)  # the clock moved on
    assert parts.worked == {"ended"} and later.time is changed.time  # "today 14:30" is the same time
