"""Create a ticket: one form gathers everything, one preview, one confirm, three calls (docs/rules.md §5).

Customer (autocomplete), subject, issue type, priority, description, do-not-email,
due date, assigned tech, contact and site (from the customer), asset (search),
and an optional appointment whose times show weekday and zone and are checked
against business hours and the owner's other appointments. The rules live in
``domain.new_ticket``; this screen renders, reads what Syncro lists, and asks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from ..api.models import Appointment, Asset, Customer, Ticket
from ..domain.coach import Coaching, fields, with_now
from ..domain.new_ticket import (
    NO_INVITE_NOTE,
    AccountRules,
    NewTicketForm,
    Review,
    review,
)
from ..domain.parts import Parts
from ..domain.when import TIME_HELP, clashes, describe_span, outside_hours
from .coach import CoachPanel, coach_again, place
from .dialogs import CustomerPicker
from .messages import TicketChanged
from .text import literal
from .new_ticket_lists import SyncroLists
from .widgets import AttributionBanner, FittingFooter
from ..writes.plans import new_ticket
from .writing import confirm_and_send

#: What each of the review's problems is called in the list beside the form.
LABELS = {"customer": "Customer", "subject": "Subject", "problem_type": "Issue type", "priority": "Priority",
          "ticket_type": "Ticket type",
          "description": "Description", "due": "Due date", "start": "Appointment start", "end": "Appointment end",
          "appointment_type": "Appointment type"}


class ReviewPane(Static):
    """A pane beside the form, bound to what the screen's review says for it: drawn again only when that text
    changes (each update lays the whole form out again)."""

    text: reactive[Text] = reactive(Text, init=False)

    def watch_text(self, text: Text) -> None:
        self.update(text)


class NewTicketScreen(SyncroLists):
    """Dismisses with the new ticket's number once it is in Syncro."""

    #: What the review says, pane by pane (bound to the panes in ``compose``).
    urgent_text: reactive[Text] = reactive(Text, init=False)
    when_text: reactive[Text] = reactive(Text, init=False)
    problems_text: reactive[Text] = reactive(Text, init=False)
    preview_text: reactive[Text] = reactive(Text, init=False)

    BINDINGS = [
        Binding("escape", "leave", "Back (form kept)", id="new_ticket.back"),
        Binding("ctrl+s", "review", "Review and create", id="new_ticket.review", priority=True),
        Binding("ctrl+r", "reload", "Read lists again", id="new_ticket.reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.customer: Customer | None = None
        self.assets: list[Asset] = []
        #: The owner's appointments on the day of the slot being booked (for the clash warning).
        self.day_appointments: list[Appointment] = []
        self._day: date | None = None
        self.checked = Review()
        #: The review's parts as last worked out: a field's change works out again only the parts that read it.
        self.parts = Parts()
        self.attempted = False
        self.sending = False

    @property
    def form(self) -> NewTicketForm:
        drafts = self.app.drafts
        if drafts.new_ticket is None:
            settings = self.app.session.config.tickets
            drafts.new_ticket = NewTicketForm(priority=settings.priority, problem_type=settings.problem_type,
                                              user_id=self.app.account.user_id)
        return drafts.new_ticket

    def compose(self) -> ComposeResult:
        form = self.form
        customer = CustomerPicker(form.customer_text, id="customer")
        boxes = {"subject": Input(form.subject, id="subject"),
                 "due": Input(form.due, placeholder="e.g. 2026-11-30, fri", id="due"),
                 "location": Input(form.location, id="location"),
                 "start": Input(form.start, placeholder="e.g. tomorrow 9:30", id="start"),
                 "end": Input(form.end, placeholder="start + 90 min", id="end")}
        picks: dict[str, Select[Any]] = {
            "problem_type": Select([], prompt="Choose…", id="problem_type"),
            "priority": Select([], prompt="Choose…", id="priority"),
            "ticket_type_id": Select([], prompt="None", id="ticket_type"), "user_id": Select([], prompt="Nobody", id="tech"),
            "contact_id": Select([], prompt="None", id="contact"), "address_id": Select([], prompt="None", id="address"),
            "asset_id": Select([], prompt="None", id="asset"),
            "appointment_type_id": Select([], prompt="None", id="appointment_type")}
        issue = TextArea(form.description, id="issue", soft_wrap=True, show_line_numbers=False)
        no_email = Checkbox("Do not email the customer (the comment is on the ticket only)", form.do_not_email,
                            id="do_not_email")
        #: How each field puts its value in the form: a change writes only its own field.
        self.writers: dict[Widget, Callable[[NewTicketForm], None]] = {
            **{box: partial(_put_text, name, box) for name, box in boxes.items()},
            **{pick: partial(_put_pick, name, pick) for name, pick in picks.items()},
            issue: lambda f: setattr(f, "description", issue.text),
            no_email: lambda f: setattr(f, "do_not_email", no_email.value)}
        #: The field each of the review's problems belongs to: marked on review, and the first is focused.
        self.problem_fields: dict[str, Widget] = {
            "customer": customer.box, "subject": boxes["subject"], "problem_type": picks["problem_type"],
            "priority": picks["priority"], "ticket_type": picks["ticket_type_id"], "description": issue,
            "due": boxes["due"], "start": boxes["start"], "end": boxes["end"],
            "appointment_type": picks["appointment_type_id"]}
        yield AttributionBanner(id="attribution")
        yield Static(Text("New ticket", style="bold"), id="nt-head")
        with Horizontal(id="bill-main"):
            with VerticalScroll(id="bill-form"):
                yield Label("Customer")
                yield customer
                yield Label("Subject")
                yield boxes["subject"]
                with Horizontal(classes="bill-row"):
                    yield self.field("Issue type", picks["problem_type"])
                    yield self.field("Priority", picks["priority"])
                yield ReviewPane(id="urgent-hint", classes="bill-note").data_bind(text=NewTicketScreen.urgent_text)
                with Horizontal(classes="bill-row"):
                    yield self.field("Ticket type", picks["ticket_type_id"])
                    yield Vertical(Label(" "), Static(id="ticket-type-note", classes="bill-note"), classes="bill-field")
                with Horizontal(classes="bill-row"):
                    yield self.field("Assigned tech", picks["user_id"])
                    yield self.field("Due date", boxes["due"])
                with Horizontal(classes="bill-row"):
                    yield self.field("Contact", picks["contact_id"])
                    yield self.field("Site", picks["address_id"])
                with Horizontal(classes="bill-row"):
                    yield self.field("Find an asset", Input(placeholder="name or serial", id="asset-query"))
                    yield self.field("Asset", picks["asset_id"])
                yield Label("Description (the “Initial Issue” comment)")
                yield issue
                yield no_email
                yield Label("Appointment (optional: leave the start empty for none)", classes="nt-section")
                with Horizontal(classes="bill-row"):
                    yield self.field("Type", picks["appointment_type_id"])
                    yield self.field("Location", boxes["location"])
                with Horizontal(classes="bill-row"):
                    yield self.field("Start", boxes["start"])
                    yield self.field("End", boxes["end"])
                yield ReviewPane(id="when-note", classes="bill-note").data_bind(text=NewTicketScreen.when_text)
            with VerticalScroll(id="bill-preview"):
                yield ReviewPane(id="nt-preview").data_bind(text=NewTicketScreen.preview_text)
                yield ReviewPane(id="nt-problems", classes="bill-problem").data_bind(text=NewTicketScreen.problems_text)
        yield CoachPanel()
        yield FittingFooter()

    @staticmethod
    def field(label: str, widget: Any) -> Vertical:
        return Vertical(Label(label), widget, classes="bill-field")

    def on_mount(self) -> None:
        self.query_one("#customer-query", Input).focus()
        self.load_lists()
        if self.form.customer_id is not None:
            self.load_customer(self.form.customer_id)
        self.update_view()

    # ------------------------------------------------------------ the form
    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    @on(Checkbox.Changed)
    def changed(self, event: Input.Changed | Select.Changed | TextArea.Changed | Checkbox.Changed) -> None:
        """A field changed: its value into the form, and the review again."""
        writer = self.writers.get(event.control) if event.control is not None else None
        if writer is None:
            return
        writer(self.form)
        self.update_view()
        self.app.keep_drafts()

    def owner(self) -> str:
        app = self.app
        return f"{app.account.me.user_name} (#{app.account.me.user_id}), whose key this is" if app.account.me else "the key's owner"

    def check(self) -> Review:
        app = self.app
        account = app.account.settings
        return review(self.form, now=app.session.now(), tz=app.account.time_zone, appointment_types=self.appointment_types(),
                      owner=self.owner(), hours=account.business_hours if account else (),
                      urgent=app.session.config.tickets.emergency_priority, rules=AccountRules.of(app.account.tickets),
                      parts=self.parts)

    def update_view(self) -> None:
        self.checked = checked = self.check()
        app = self.app
        self.urgent_text = Text("⚑ " + checked.urgent_hint, style="yellow") if checked.urgent_hint else Text()
        self.when_text = self.when_note(checked)
        if checked.slot is not None:
            self.load_day(checked.slot.start)
        problems = Text()
        if self.attempted:
            for key, problem in checked.problems.items():
                problems.append(f"{LABELS[key]}: ", style="bold red")
                problems.append(problem + "\n", style="red")
        for key, field in self.problem_fields.items():
            field.set_class(self.attempted and key in checked.problems, "-problem")
        self.problems_text = problems
        self.preview_text = preview(self.form, checked, app.account.time_zone, AccountRules.of(app.account.tickets))
        coach_again(self)

    def coaching(self, widget: Widget | None) -> Coaching | None:
        field = place(widget, fields("new"))
        if field is None:
            return None
        checked = getattr(self, "checked", None)
        problem = checked.problems.get("description" if field == "issue" else field) if checked else None
        return with_now(f"new.{field}", problem, checked.urgent_hint if checked and field == "priority" else None)

    def when_note(self, checked: Review) -> Text:
        app = self.app
        if checked.slot is None:
            return Text(f"Times are {app.account.time_zone.key}: {TIME_HELP}.", style="dim italic")
        note = Text(describe_span(checked.slot.start, checked.slot.end, app.account.time_zone), style="bold")
        note.append(f"  ({app.account.time_zone.key})\n", style="dim")
        note.append("Owner: ", style="dim")
        note.append_text(literal(self.owner()))
        for warning in self.warnings(checked):
            note.append("\n⚠ ", style="yellow")
            note.append_text(literal(warning, "yellow"))
        note.append("\n" + NO_INVITE_NOTE, style="dim italic")
        return note

    def warnings(self, checked: Review) -> list[str]:
        """Outside business hours, and clashes with the owner's other appointments: said, never refused."""
        if checked.slot is None:
            return []
        app = self.app
        account = app.account.settings
        late = outside_hours(checked.slot, account.business_hours if account else (), app.account.time_zone)
        return ([late] if late else []) + [
            f"Clashes with {describe_span(other.start_at, other.end_at, app.account.time_zone)}: {other.summary or ''}"
            for other in clashes(checked.slot, self.day_appointments)]

    @work(exclusive=True, group="new-ticket-day", exit_on_error=False)
    async def load_day(self, start: datetime) -> None:
        """The owner's appointments that day, read once per day looked at (for the clash warning)."""
        app = self.app
        day = start.astimezone(app.account.time_zone).date()
        if self._day == day:
            return
        await asyncio.sleep(CustomerPicker.DEBOUNCE)
        day_appointments = await app.reads.owners_day(day, app.account.user_id)
        if day_appointments is None:
            return  # the clash warning is a help, not a gate: say nothing rather than guess
        self._day, self.day_appointments = day, day_appointments
        self.when_text = self.when_note(self.checked)

    def action_review(self) -> None:
        if self.sending:
            return
        self.attempted = True
        self.update_view()
        checked = self.checked
        if checked.order is None:
            first = next(iter(checked.problems))
            self.notify(f"{LABELS[first]}: {checked.problems[first]}", title="Not ready to create",
                        severity="error", timeout=8)
            self.problem_fields[first].focus()
            return
        self.send()

    @work(exclusive=True, group="new-ticket-send", exit_on_error=False)
    async def send(self) -> None:
        order = self.checked.order
        assert order is not None
        plan = new_ticket(order)
        self.sending = True
        try:
            outcome = await confirm_and_send(self.app, plan, notes=self.warnings(self.checked), says_done=True)
        finally:
            self.sending = False
        if outcome is None or not outcome.steps or not outcome.steps[0].landed:
            return
        self.app.drafts.new_ticket = None
        self.app.keep_drafts()
        created = outcome.record(Ticket)
        if outcome.done:  # the one notice of this outcome (a stop was told by the write path)
            self.notify(f"Ticket #{created.number} is in Syncro: {outcome.message}" if created else outcome.message,
                        title="Saved", timeout=6)
        elif created is not None:
            self.notify(f"Ticket #{created.number} is in Syncro; the rest is under Unfinished (u).", title="Created",
                        timeout=10)
        self.app.post_message(TicketChanged(created.id if created else None))
        self.dismiss(created.number if created else None)

    def action_reload(self) -> None:
        self.load_lists()
        if self.form.customer_id is not None:
            self.load_customer(self.form.customer_id)

    def action_leave(self) -> None:
        if not self.sending:
            self.dismiss(None)


def preview(form: NewTicketForm, checked: Review, tz: Any, rules: AccountRules) -> Text:
    """The ticket as it will be created, in words, from what the form holds now."""
    text = Text()
    text.append("The new ticket\n", style="bold underline")
    kind = rules.ticket_types.get(form.ticket_type_id, "—") if form.ticket_type_id is not None else "—"
    rows = [("Customer", form.customer_name or "—"), ("Subject", form.subject.strip() or "—"),
            ("Issue type", form.problem_type or "—"), ("Ticket type", kind), ("Priority", form.priority or "—"),
            ("Status", "New"), ("Due", form.due.strip() or "—")]
    for label, value in rows:
        text.append(f"{label:<12}", style="dim")
        text.append_text(literal(value))
        text.append("\n")
    if checked.slot is not None:
        text.append(f"{'Appointment':<12}", style="dim")
        text.append(describe_span(checked.slot.start, checked.slot.end, tz) + "\n")
    elif not (form.start.strip() or form.end.strip()):
        text.append(f"{'Appointment':<12}", style="dim")
        text.append("none\n")
    calls = 2 + (checked.slot is not None)
    text.append(f"\n{calls} calls, confirmed once: the ticket, its “Initial Issue” comment"
                + (", the appointment." if checked.slot is not None else "."), style="italic")
    text.append("\nctrl+s reviews every call before anything is sent.", style="dim italic")
    return text


def _put_text(name: str, box: Input, form: NewTicketForm) -> None:
    setattr(form, name, box.value)


def _put_pick(name: str, pick: Select[Any], form: NewTicketForm) -> None:
    setattr(form, name, None if pick.value is Select.NULL else pick.value)
