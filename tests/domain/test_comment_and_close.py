"""The comment and close forms as pure functions: what the tech typed → the draft, its problems, the plan."""

from __future__ import annotations

import pytest

from syncro_tui.api.models import TicketSummary
from syncro_tui.domain.comment import CommentForm, Visibility
from syncro_tui.domain.ticket import close_problem
from syncro_tui.writes.plans import close_ticket, comment_on

TICKET = TicketSummary.model_validate({"id": 5, "number": 31901, "subject": "Printer offline", "status": "In Progress",
                                       "customer_id": 7, "customer_business_then_name": "Brightline Dental",
                                       "created_at": "2026-11-19T09:00:00-06:00",
                                       "updated_at": "2026-11-19T09:00:00-06:00"})


def test_a_new_comment_is_a_private_note_until_the_tech_says_otherwise() -> None:
    form = CommentForm(subject="Update", text="Called back.\n- left voicemail")
    draft = form.draft
    assert draft.visibility is Visibility.PRIVATE and draft.problems() == []
    plan = comment_on(TICKET, draft, recipient=None)
    (step,) = plan.steps
    assert step.body == {"subject": "Update", "body": "Called back.<br>• left voicemail", "hidden": True,
                         "do_not_email": True}


def test_an_empty_comment_and_a_secret_for_the_customer_are_refused() -> None:
    assert CommentForm().draft.problems() == ["The comment needs a subject.",
                                              "The comment needs a body: say what was done."]
    secret = CommentForm(subject="Done", text="The new password: Hunter2!", visibility=Visibility.PUBLIC.value).draft
    assert secret.hazards()
    with pytest.raises(ValueError):
        comment_on(TICKET, secret, recipient=None)


def test_closing_needs_the_accounts_resolved_status_and_keeps_the_resolution_public() -> None:
    assert close_problem("Resolved", ["New", "Resolved"]) is None
    assert close_problem("Resolved", []) is None  # the list is not known: Syncro decides
    assert "no status “Done”" in (close_problem("Done", ["New", "Resolved"]) or "")
    plan = close_ticket(TICKET, status="Resolved", resolution="Replaced the fuser.")
    assert [r.call for r in plan.steps] == ["add_comment", "update_ticket"]
    assert plan.steps[0].body["hidden"] is False and plan.steps[0].body["do_not_email"] is True
    assert [r.call for r in close_ticket(TICKET, status="Resolved", resolution=" ").steps] == ["update_ticket"]


def test_a_close_cancels_the_visits_ahead_only_after_the_status_and_says_when_they_were() -> None:
    from zoneinfo import ZoneInfo

    from syncro_tui.api.models import Appointment

    visit = Appointment.model_validate({"id": 77, "summary": "Onsite: fuser", "start_at": "2026-11-23T15:00:00Z",
                                        "end_at": "2026-11-23T16:00:00Z"})
    plan = close_ticket(TICKET, status="Resolved", resolution="", cancel=[visit], tz=ZoneInfo("America/Chicago"))
    assert [(r.call, r.path) for r in plan.steps] == [("update_ticket", "/tickets/5"),
                                                      ("delete_appointment", "/appointments/77")]
    assert plan.title.endswith("close (status In Progress → Resolved) with 1 appointment ahead cancelled")
    assert plan.notes == ("Cancelled: “Onsite: fuser”, Mon 2026-11-23 09:00 CST to 10:00 (1 h 00 min) "
                          "(deleted from the calendar).",)
