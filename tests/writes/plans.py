"""The group the write-path tests send: a ticket, its first comment and an appointment (calls 2 and 3 need call 1's id)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from syncro_tui.domain.new_ticket import NewTicketOrder
from syncro_tui.writes import plans
from syncro_tui.writes.plans import Plan
from syncro_tui.writes.groups import StepState
from syncro_tui.writes.path import WritePath

START = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
END = datetime(2026, 11, 23, 16, 30, tzinfo=UTC)
SUBJECT = "Boardroom projector will not power on"
BODY = "Projector shows no light."
SUMMARY = "Onsite: projector"


def projector_ticket(customer_id: int) -> Plan:
    return plans.new_ticket(NewTicketOrder(
        {"customer_id": customer_id, "subject": SUBJECT, "problem_type": "Hardware", "status": "New"},
        "Brightline Dental",
        comment={"subject": "Initial Issue", "body": BODY, "hidden": True, "do_not_email": True},
        appointment={"summary": SUMMARY, "start_at": START, "end_at": END}))


def created(tables: dict[str, Any]) -> tuple[int, int, int]:
    """How many projector tickets, comments and appointments exist (checking that they are linked)."""
    tickets = [t for t in tables["tickets"].values() if t["subject"] == SUBJECT]
    ids = {t["id"] for t in tickets}
    comments = [c for c in tables["comments"].values() if c["body"] == BODY]
    appts = [a for a in tables["appointments"].values() if a["summary"] == SUMMARY]
    assert all(c["ticket_id"] in ids for c in comments) and all(a["ticket_id"] in ids for a in appts)
    return len(tickets), len(comments), len(appts)


async def cut_short_at_the_comment(path: WritePath, plan: Plan, *, landed: bool) -> str:
    """What a killed app leaves: call 1 done, call 2 marked sending (and, if ``landed``, in Syncro)."""
    group_id = await path.start(plan)
    first = await path.run_step(group_id, 0, plan.steps[0])
    comment = plan.steps[1].resolve([first.result.model_dump(mode="json")])
    path.journal.replace_step(group_id, 1, comment)
    path.journal.mark(group_id, 1, StepState.SENDING)
    if landed:
        await path.client.execute(comment)
    return group_id
