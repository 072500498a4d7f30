"""A new ticket as the form gathers it, checked and turned into its three calls (docs/rules.md §5; no I/O).

The form holds what the tech typed and picked; ``review`` says, per field,
what is missing or wrong, and builds the plan only when nothing is. Blank
fields are omitted from the calls, never sent as null.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from .comment import CommentDraft, Visibility
from .parts import Parts
from ..api.models import BusinessHours, TicketSettings
from .when import DATE_HELP, Booking, WhenProblem, booking, describe_span, due_at, outside_hours, parse_day, parse_when

INITIAL_ISSUE = "Initial Issue"
EMERGENCY = "Emergency Service"
#: Told to the tech on the form and in the confirm: Syncro's API has no field for it.
NO_INVITE_NOTE = ("“Do not invite” (no calendar invitation to the customer) cannot be set through the API: "
                  "untick it in Syncro after the appointment is made if the customer must not be invited.")


@dataclass
class NewTicketForm:
    """What the tech typed and picked; ids are None until picked."""

    customer_id: int | None = None
    customer_name: str = ""
    #: What is in the customer box (differs from customer_name while the tech is still searching).
    customer_text: str = ""
    subject: str = ""
    problem_type: str | None = None
    #: One of the account's ticket types (``/tickets/settings``), or None for none.
    ticket_type_id: int | None = None
    priority: str | None = None
    description: str = ""
    do_not_email: bool = True
    due: str = ""
    user_id: int | None = None
    contact_id: int | None = None
    address_id: int | None = None
    asset_id: int | None = None
    appointment_type_id: int | None = None
    location: str = ""
    start: str = ""
    end: str = ""
    #: The account's defaults (its ticket type) were put in once; the tech's changes after that stand.
    account_defaults_applied: bool = False


@dataclass
class Review:
    """The form checked: problems by field, what the appointment will be, and the plan when nothing is wrong."""

    problems: dict[str, str] = field(default_factory=dict)
    slot: Booking | None = None
    #: Why "4 Urgent" fits this ticket (emergency work, an appointment after hours), when it does.
    urgent_hint: str | None = None
    #: The ticket to create, when nothing is wrong (``writes.plans.new_ticket`` makes its calls).
    order: NewTicketOrder | None = None

    @property
    def ready(self) -> bool:
        return self.order is not None


@dataclass(frozen=True)
class NewTicketOrder:
    """A new ticket as Syncro takes it: its fields, its first comment and its appointment (docs/rules.md §5)."""

    ticket: Mapping[str, Any]
    customer_name: str
    comment: Mapping[str, Any] | None = None
    appointment: Mapping[str, Any] | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccountRules:
    """What the account itself requires of a new ticket (``GET /tickets/settings``)."""

    #: The account's usable ticket types, by id.
    ticket_types: dict[int, str] = field(default_factory=dict)
    require_ticket_type: bool = False
    #: Intake forms cannot be sent through the API: told, never silently skipped.
    require_intake_form: bool = False

    @classmethod
    def of(cls, settings: TicketSettings | None) -> AccountRules:
        if settings is None:
            return cls()
        return cls(ticket_types={t.id: t.name for t in settings.usable_ticket_types},
                   require_ticket_type=settings.require_ticket_type,
                   require_intake_form=settings.require_intake_form_with_ticket)

    def default_type(self, settings: TicketSettings | None, wanted: str | None) -> int | None:
        """The type a new form starts with: the configured one by name, else the account's default, else the only one."""
        by_name = {name.casefold(): type_id for type_id, name in self.ticket_types.items()}
        if wanted and wanted.casefold() in by_name:
            return by_name[wanted.casefold()]
        if settings is not None and settings.default_ticket_type_id in self.ticket_types:
            return settings.default_ticket_type_id
        if self.require_ticket_type and len(self.ticket_types) == 1:
            return next(iter(self.ticket_types))
        return None


INTAKE_NOTE = ("This account requires an intake form with each ticket, which cannot be sent through the API: "
               "Syncro may refuse the ticket; if it does, create it in Syncro.")


def _hazards(description: str, visibility: Visibility) -> bool:
    return bool(CommentDraft(INITIAL_ISSUE, description, visibility).hazards())


def _due(text: str, today: date) -> tuple[date | None, str | None]:
    if not text.strip():
        return None, None
    try:
        return parse_day(text, today=today), None
    except WhenProblem as exc:
        return None, f"{exc} (due date: {DATE_HELP})"


def _slot(start: str, end: str, now: datetime, tz: ZoneInfo) -> tuple[Booking | None, dict[str, str]]:
    """The appointment's time, or what is wrong with its start or its end."""
    try:
        parse_when(start, now=now, tz=tz)
    except WhenProblem as exc:
        return None, {"start": str(exc) if start.strip() else
                      "The appointment needs a start (or clear its other fields for no appointment)."}
    try:
        return booking(start, end, now=now, tz=tz), {}
    except WhenProblem as exc:
        return None, {"end": str(exc)}


def review(form: NewTicketForm, *, now: datetime, tz: ZoneInfo, appointment_types: dict[int, str],
           owner: str, hours: Sequence[BusinessHours] = (), urgent: str = "4 Urgent",
           rules: AccountRules | None = None, parts: Parts | None = None) -> Review:
    """Check every field; build the plan of docs/rules.md §5 when all is well. With the screen's ``parts``, the
    description's scan, the due date, the appointment's time and its hours are worked out again only when what
    each reads has changed (``domain.parts``)."""
    part = (parts or Parts()).begin().part
    out = Review()
    rules = rules or AccountRules()
    if form.customer_id is None:
        typed = form.customer_text.strip()
        out.problems["customer"] = (f"“{typed}” is not a customer Syncro knows: pick one from the list." if typed
                                    else "Choose the customer: type part of the name and pick from the list.")
    if not form.subject.strip():
        out.problems["subject"] = "The subject is required: it is the ticket's title everywhere."
    if not form.problem_type:
        out.problems["problem_type"] = "Choose the issue type (“Not determined” when none fits)."
    if not form.priority:
        out.problems["priority"] = "Choose the priority."
    if form.ticket_type_id is None and rules.require_ticket_type:
        out.problems["ticket_type"] = "This account requires a ticket type: choose one."
    elif form.ticket_type_id is not None and rules.ticket_types and form.ticket_type_id not in rules.ticket_types:
        out.problems["ticket_type"] = "That ticket type is not one this account offers (any more): choose another."
    if not form.description.strip():
        out.problems["description"] = "Describe the issue: it becomes the ticket's first comment, “Initial Issue”."
    visibility = Visibility.PUBLIC if form.do_not_email else Visibility.EMAIL
    if form.description.strip() and part("description", _hazards, form.description, visibility):
        out.problems["description"] = ("The description is on the ticket for the customer to see, and it looks like "
                                       "it carries a password, key, token or internal note: take it out.")
    due, problem = part("due", _due, form.due, now.astimezone(tz).date())
    if problem:
        out.problems["due"] = problem
    wants_appointment = bool(form.start.strip() or form.end.strip() or form.appointment_type_id or form.location.strip())
    if wants_appointment:
        out.slot, problems = part("slot", _slot, form.start, form.end, now, tz)
        out.problems.update(problems)
        if form.appointment_type_id is None:
            out.problems.setdefault("appointment_type", "Choose the appointment type.")
    after_hours = part("hours", outside_hours, out.slot, tuple(hours), tz) if out.slot is not None else None
    if form.priority != urgent:
        if form.problem_type == EMERGENCY:
            out.urgent_hint = f"Emergency work: the priority is usually {urgent}."
        elif after_hours:
            out.urgent_hint = f"{after_hours} After-hours work is usually {urgent}."
    if out.problems:
        return out

    ticket: dict[str, Any] = {
        "customer_id": form.customer_id,
        "subject": form.subject.strip(),
        "problem_type": form.problem_type,
        "ticket_type_id": form.ticket_type_id,
        "status": "New",
        "priority": form.priority,
        "user_id": form.user_id,
        "due_date": due_at(due, tz) if due else None,
        "contact_id": form.contact_id,
        "address_id": form.address_id,
    }
    if form.asset_id is not None:
        ticket["asset_ids"] = [form.asset_id]
    appointment = None
    notes = [f"Initial Issue: {visibility.label.lower()}"
             + (" (on the ticket; nobody is emailed)." if form.do_not_email else " (the customer is emailed).")]
    if form.ticket_type_id is not None:
        notes.append(f"Ticket type: {rules.ticket_types.get(form.ticket_type_id, form.ticket_type_id)}.")
    if rules.require_intake_form:
        notes.append(INTAKE_NOTE)
    if out.slot is not None:
        ticket["start_at"], ticket["end_at"] = out.slot.start, out.slot.end
        kind = appointment_types.get(form.appointment_type_id or -1, f"type {form.appointment_type_id}")
        appointment = {"summary": f"{form.customer_name} - {form.subject.strip()}",
                       "appointment_type_id": form.appointment_type_id, "start_at": out.slot.start,
                       "end_at": out.slot.end, "location": form.location.strip() or None}
        notes.append(f"Appointment ({kind}): {describe_span(out.slot.start, out.slot.end, tz)}, owned by {owner}.")
        notes.append(NO_INVITE_NOTE)
    if due is not None:
        notes.append(f"Due {due:%a %Y-%m-%d}.")
    out.order = NewTicketOrder(ticket, form.customer_name,
                               comment={"subject": INITIAL_ISSUE, "body": CommentDraft(INITIAL_ISSUE, form.description,
                                                                                  visibility).body, "hidden": False,
                                        "do_not_email": form.do_not_email},
                               appointment=appointment, notes=tuple(notes))
    return out

