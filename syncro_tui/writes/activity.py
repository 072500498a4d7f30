"""What this tech wrote, from the journal: the audit trail Syncro's API does not offer.

One row per group (a comment, a status change, a billing run), with its
outcome in words, and exports as CSV (a row per group) and JSON (every call,
its body and its result). Nothing here reads Syncro.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path

from ..domain.text import cell, counted, json_text
from ..domain.when import day_bounds
from ..files import write_private
from .groups import Group, GroupState, StepState, running_elsewhere
from .journal import Journal


@dataclass(frozen=True)
class ActivityRow:
    at: datetime
    kind: str
    title: str
    ticket_id: int | None
    ticket_number: int | None
    calls_done: int
    calls: int
    state: str
    outcome: str
    group_id: str


def outcome_text(group: Group) -> str:
    """The group's outcome in words."""
    settled = sum(s.state.settled for s in group.steps)
    elsewhere = running_elsewhere(group) if group.state is GroupState.OPEN else None
    if elsewhere:
        return f"Running elsewhere: {elsewhere}; it cannot be resumed from here until that window is done or closed."
    if group.damaged:
        return (f"Unreadable in the journal ({group.damaged}): it cannot be resumed. Check the ticket in Syncro, "
                "then abandon it with a note.")
    if group.state is GroupState.DONE:
        found = any(s.state is StepState.PRESENT for s in group.steps)
        return "Saved" + (" (an answer was lost; found in Syncro by reading back)" if found else "")
    if group.state is GroupState.ABANDONED:
        return f"Abandoned after {settled} of {counted(len(group.steps), 'call')}: {group.note or 'no note'}"
    step = group.next_step
    if step is None:
        return "Unfinished"
    what = {StepState.PLANNED: "not sent yet", StepState.SENDING: "in flight when the app stopped",
            StepState.UNKNOWN: "outcome unknown", StepState.ABSENT: "did not land",
            StepState.FAILED: f"{'check failed' if step.expect is not None else 'refused'}: {step.error or ''}"
            }.get(step.state, str(step.state))
    return f"Unfinished: call {step.seq + 1} ({step.call}): {what}"


STATE_WORDS = {StepState.PLANNED: "not sent", StepState.SENDING: "in flight when the app stopped",
               StepState.UNKNOWN: "outcome unknown", StepState.ABSENT: "did not land", StepState.FAILED: "refused"}


def detail_lines(group: Group, zone: tzinfo) -> list[str]:
    """Every call of a group as it was journaled: what was sent, where, and how it ended."""
    out = [group.title, f"{group.kind}, {group.created_at.astimezone(zone):%Y-%m-%d %H:%M} ({zone}): {outcome_text(group)}"]
    if group.note:
        out.append(f"Note: {group.note}")
    for step in group.steps:
        state = STATE_WORDS.get(step.state, str(step.state))
        if step.expect is not None and step.state is StepState.FAILED:
            state = "check failed"
        sent = f", sent {step.sent_at.astimezone(zone):%H:%M:%S}" if step.sent_at else ""
        out.append(f"{step.seq + 1}. {step.method} {step.path} ({step.call}): {state}{sent}")
        if step.body:
            out += [f"     {key}: {value}" for key, value in step.body.items()]
        if step.error:
            out.append(f"     → {step.error}")
    return out


def rows(groups: list[Group]) -> list[ActivityRow]:
    return [ActivityRow(at=g.created_at, kind=g.kind, title=g.title, ticket_id=g.ticket_id, ticket_number=g.ticket_number,
                        calls_done=sum(s.state.settled for s in g.steps), calls=len(g.steps), state=str(g.state),
                        outcome=outcome_text(g), group_id=g.id) for g in groups]


def groups_on(journal: Journal, day: date, zone: tzinfo, profile: str) -> list[Group]:
    """The profile's groups begun on ``day`` in the account's time zone, oldest first."""
    return journal.groups_between(*day_bounds(day, zone), profile=profile)


def to_csv(groups: list[Group], zone: tzinfo) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    # Keyed by the ticket's number, the one the tech and the customer know; Syncro's internal id is last, for tools.
    writer.writerow(["time", "kind", "what", "ticket", "calls_in_syncro", "calls", "state", "outcome", "group_id",
                     "ticket_id"])
    for row in rows(groups):
        # Titles and outcomes carry Syncro's text: cleaned, and never a formula in a spreadsheet.
        writer.writerow([row.at.astimezone(zone).isoformat(), cell(row.kind), cell(row.title), row.ticket_number or "",
                         row.calls_done, row.calls, row.state, cell(row.outcome), row.group_id, row.ticket_id or ""])
    return out.getvalue()


def to_json(groups: list[Group]) -> str:
    def group_data(group: Group) -> dict[str, object]:
        data = asdict(group)
        data["outcome"] = outcome_text(group)
        return data

    return json_text([group_data(g) for g in groups], indent=2, default=str)


def export(groups: list[Group], directory: Path, day: date, zone: tzinfo) -> tuple[Path, Path]:
    """Write ``activity-DAY.csv`` and ``activity-DAY.json`` (whole or not at all, owner-only); returns their paths."""
    csv_body, json_body = to_csv(groups, zone), to_json(groups)  # both made before either file is touched
    return (write_private(directory / f"activity-{day.isoformat()}.csv", csv_body),
            write_private(directory / f"activity-{day.isoformat()}.json", json_body))


def status_changes(groups: list[Group]) -> frozenset[int]:
    """The tickets whose status these groups changed in Syncro (a status call that landed): what the end-of-day
    sweep counts as touching a ticket, since Syncro's API keeps no history of who changed a status."""
    return frozenset(g.ticket_id for g in groups if g.ticket_id is not None and any(
        s.method == "PUT" and s.call == "update_ticket" and "status" in (s.body or {}) and s.state.landed
        for s in g.steps))
