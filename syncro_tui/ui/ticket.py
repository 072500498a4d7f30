"""The ticket screen: everything about one ticket, read-only except through its actions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from rich.console import Group as RichGroup
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from ..api import NotFound, SyncroError
from ..api.models import CommentKind, Invoice, Ticket
from ..domain.coach import Coaching, ticket_status
from ..domain.queue import QueueRow
from ..domain.ticket import billing_status, timer_minutes, timer_state
from ..domain.when import due
from .base import ShowsTicket
from .coach import CoachPanel, coach_again
from .messages import OpenBilling, OpenComment, StopClock, TicketChanged, ToggleClock
from .text import clean, html_to_text, literal, palette_text
from .triage import ACTIONS, triage
from .widgets import AttributionBanner, FittingFooter, ReportsFailures

#: Comments shown before "more" (docs/rules.md §11).
RECENT_COMMENTS = 5
KIND_STYLE = {CommentKind.EMAIL: ("EMAIL", "bold black on yellow"), CommentKind.PUBLIC: ("PUBLIC", "bold black on cyan"),
              CommentKind.PRIVATE: ("PRIVATE", "bold white on grey35")}


class TicketScreen(ShowsTicket, ReportsFailures, Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="ticket.back"),
        Binding("r", "reload", "Reload", id="ticket.reload"),
        Binding("m", "more", "All comments", id="ticket.more"),
        Binding("j", "scroll(1)", "Down", show=False, id="ticket.down"),
        Binding("k", "scroll(-1)", "Up", show=False, id="ticket.up"),
        Binding("s", "triage('status')", "Status", id="ticket.status"),
        Binding("a", "triage('assign')", "Assign", id="ticket.assign"),
        Binding("p", "triage('priority')", "Priority", id="ticket.priority"),
        Binding("c", "triage('close')", "Close", id="ticket.close"),
        Binding("b", "bill", "Bill time", id="ticket.bill"),
        Binding("w", "clock", "Work clock", id="ticket.clock"),
        Binding("W", "stop_clock", "Stop clock and bill", key_display="W", show=False, id="ticket.stop_clock"),
        Binding("n", "comment", "Comment", id="ticket.comment"),
    ]

    def __init__(self, ticket_id: int) -> None:
        super().__init__()
        self.ticket_id = ticket_id
        self.ticket: Ticket | None = None
        #: None while they are read (the ticket is drawn first), and why they could not be, when not.
        self.invoices: list[Invoice] | None = []
        self.invoices_problem: str | None = None
        self.all_comments = False

    def compose(self) -> ComposeResult:
        yield AttributionBanner(id="attribution")
        with VerticalScroll(id="ticket-body"):
            yield Static(Text("Loading the ticket…", style="italic"), id="ticket-head")
            yield Static(id="ticket-comments", classes="ticket-part")
            yield Static(id="ticket-billing", classes="ticket-part")
            yield Static(id="ticket-appointments", classes="ticket-part")
        yield CoachPanel()
        yield FittingFooter()

    def on_mount(self) -> None:
        self.load()

    def ticket_changed(self) -> None:
        self.load()

    @work(exclusive=True, group="ticket-load", exit_on_error=False)
    async def load(self) -> None:
        head = self.query_one("#ticket-head", Static)
        try:
            ticket = await self.app.reads.opened(self.ticket_id)
        except NotFound:
            head.update(Text(f"Ticket {self.ticket_id} is not in Syncro (deleted, or not visible to this key). "
                             "Escape goes back.", style="bold red"))
            return
        except SyncroError as exc:
            cached = self.app.reads.cached_ticket(self.ticket_id) if self.ticket is None else None
            if cached is None:
                head.update(Text(f"The ticket could not be read: {exc}\nPress r to try again, Escape to go back.",
                                 style="bold red"))
                return
            self.ticket, self.invoices = cached.ticket, []
            self.show()
            at = cached.saved_at.astimezone(self.app.account.time_zone)
            head.update(RichGroup(Text(f"As last opened here, {at:%a %b %d %H:%M}: Syncro cannot be read now ({exc}). "
                                       "r tries again.", style="bold yellow"), self.head(cached.ticket)))
            return
        self.ticket, self.invoices = ticket, None
        self.show()
        coach_again(self)
        try:
            self.invoices = await self.app.reads.invoices_of(ticket)
        except SyncroError as exc:
            self.invoices_problem = str(exc)
            self.invoices = []
        else:
            self.invoices_problem = None
        self.show()

    def coaching(self, _widget: Widget | None) -> Coaching | None:
        """The ticket's status: what it means and what comes next."""
        return (ticket_status(self.ticket.status, self.app.session.config.billing.path)
                if self.ticket is not None else None)

    # ------------------------------------------------------------ rendering
    def when(self, moment: datetime | None) -> str:
        if moment is None:
            return "—"
        return moment.astimezone(self.app.account.time_zone).strftime("%a %b %d %Y, %H:%M")

    def due(self, ticket: Ticket) -> Text:
        """The due day in the account's zone (a day without a time is that day: ``domain.when.due``), and the SLA."""
        if ticket.due_date is None:
            text = Text("—")
        else:
            now = self.app.session.now()
            when = due(ticket.due_date, tz=self.app.account.time_zone, now=now)
            text = Text(f"{when.day:%a %b %d %Y}" + (f", {when.at:%H:%M}" if when.at else ""),
                        style="bold red" if when.overdue else "bold yellow" if when.today else "")
            if when.overdue:
                text.append(" (overdue)")
        if ticket.sla_breached or ticket.sla_breaching_soon:
            name = f" {clean(ticket.sla_name)}" if ticket.sla_name else ""
            state = "breached" if ticket.sla_breached else "due soon"
            text.append(f"  SLA{name} {state}", style="bold red" if ticket.sla_breached else "bold yellow")
        return text

    def show(self) -> None:
        ticket = self.ticket
        assert ticket is not None
        self.query_one("#ticket-head", Static).update(self.head(ticket))
        self.query_one("#ticket-comments", Static).update(self.comments(ticket))
        self.query_one("#ticket-billing", Static).update(self.billing(ticket))
        self.query_one("#ticket-appointments", Static).update(self.appointments(ticket))

    def head(self, ticket: Ticket) -> RichGroup:
        title = Text(f"#{ticket.number}  ", style="bold")
        title.append_text(literal(ticket.subject, "bold"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()
        customer = ticket.customer.display_name if ticket.customer else (ticket.customer_business_then_name or "")
        contact = Text()
        if ticket.contact:
            contact = literal(ticket.contact.name or "")
            details = " · ".join(x for x in (ticket.contact.email, ticket.contact.phone or ticket.contact.mobile) if x)
            if details:
                contact.append("  ")
                contact.append_text(literal(details, "dim"))
        tech = ticket.user.full_name if ticket.user and ticket.user.full_name else (
            "unassigned" if ticket.user_id is None else f"user {ticket.user_id}")
        grid.add_row("Status", literal(ticket.status, "bold"), "Created", self.when(ticket.created_at))
        grid.add_row("Priority", literal(ticket.priority or "—"), "Due", self.due(ticket))
        grid.add_row("Problem type", literal(ticket.problem_type or "—"), "Updated", self.when(ticket.updated_at))
        grid.add_row("Customer", literal(customer), "Tech", literal(tech))
        grid.add_row("Contact", contact or Text("—"), "", "")
        return RichGroup(title, Text(), grid)

    def comments(self, ticket: Ticket) -> RichGroup:
        newest = sorted(ticket.comments, key=lambda c: (c.created_at, c.id), reverse=True)
        shown = newest if self.all_comments else newest[:RECENT_COMMENTS]
        title = Text(f"Comments ({len(newest)}), newest first", style="bold underline")
        if len(shown) < len(newest):
            title.append(f"   showing {len(shown)}; m shows all", style="dim")
        parts: list[Text] = [title]
        for comment in shown:
            label, style = KIND_STYLE[comment.kind]
            line = Text()
            line.append(f" {label} ", style=style)
            line.append(f"  {self.when(comment.created_at)}  ", style="dim")
            line.append_text(literal(comment.tech or "", "bold"))
            if comment.subject:
                line.append("  ")
                line.append_text(literal(comment.subject, "italic"))
            if comment.kind is CommentKind.EMAIL and comment.destination_emails:
                line.append("  to ", style="dim")
                line.append_text(literal(comment.destination_emails, "dim"))
            body = literal(html_to_text(comment.body), single_line=False)
            body.pad_left(4)
            body.end = "\n"
            parts += [Text(), line, body]
        if not newest:
            parts.append(Text("No comments.", style="dim"))
        return RichGroup(*parts)

    def billing(self, ticket: Ticket) -> RichGroup:
        status = billing_status(ticket, self.invoices or [])
        words = (Text("Reading its invoices…", style="italic") if self.invoices is None else
                 Text(f"Its invoices could not be read ({self.invoices_problem}): r tries again.", style="bold yellow")
                 if self.invoices_problem else Text(status.words, style="bold"))
        parts: list[object] = [Text("Billing", style="bold underline"), words]
        if ticket.line_items:
            lines = Table(box=None, padding=(0, 1), show_edge=False, header_style="dim")
            lines.add_column("Line item")
            lines.add_column("Qty", justify="right")
            lines.add_column("Price", justify="right")
            lines.add_column("Total", justify="right")
            lines.add_column("")
            for li in ticket.line_items:
                lines.add_row(literal(li.name or li.description or ""), f"{li.quantity.normalize():f}",
                              f"${li.price_retail:,.2f}", f"${li.total:,.2f}", "invoiced" if li.converted else "")
            lines.add_row(Text("Total before tax" if status.taxed else "Total", style="bold"), "", "",
                          Text(f"${status.line_total:,.2f}", style="bold"), "")
            parts.append(lines)
        if ticket.ticket_timers:
            timers = Table(box=None, padding=(0, 1), show_edge=False, header_style="dim")
            timers.add_column("Timer")
            timers.add_column("Minutes", justify="right")
            timers.add_column("Product")
            timers.add_column("State")
            timers.add_column("Notes")
            rates = self.app.session.config.rate_table()
            for timer in sorted(ticket.ticket_timers, key=lambda t: t.start_time):
                state = timer_state(timer)
                rate = rates.for_product(timer.product_id) if timer.product_id else None
                product = rate.name if rate else str(timer.product_id or "—")
                timers.add_row(self.when(timer.start_time), str(timer_minutes(timer)), literal(product),
                               Text(state, style="yellow" if state == "uncharged" else "green"),
                               literal(timer.notes or ""))
            parts.append(timers)
        return RichGroup(*parts)  # type: ignore[arg-type]

    def appointments(self, ticket: Ticket) -> RichGroup:
        parts: list[Text] = [Text("Appointments", style="bold underline")]
        for appt in sorted(ticket.appointments, key=lambda a: a.start_at):
            line = Text(self.when(appt.start_at) + "  ", style="")
            line.append_text(literal(appt.summary or ""))
            if appt.location:
                line.append("  at ", style="dim")
                line.append_text(literal(appt.location))
            parts.append(line)
        if not ticket.appointments:
            parts.append(Text("None.", style="dim"))
        return RichGroup(*parts)

    # -------------------------------------------------------------- actions
    def action_reload(self) -> None:
        self.load()

    def action_more(self) -> None:
        if self.ticket is not None:
            self.all_comments = not self.all_comments
            self.query_one("#ticket-comments", Static).update(self.comments(self.ticket))

    def action_scroll(self, lines: int) -> None:
        self.query_one("#ticket-body", VerticalScroll).scroll_relative(y=lines, animate=False)

    def palette_commands(self) -> Iterable[SystemCommand]:
        if self.ticket is None:
            return
        label = palette_text(f"#{self.ticket.number} {self.ticket.subject}")
        for action, words in ACTIONS.items():
            yield SystemCommand(f"{words}: {label}", "Through the confirm; nothing is sent before it",
                                lambda action=action: self.action_triage(action))
        yield SystemCommand(f"Comment: {label}", "Email reply, public or private note, through the confirm",
                            self.action_comment)
        yield SystemCommand(f"Bill time: {label}", "The billing wizard: nothing is sent before its confirm",
                            self.action_bill)
        yield SystemCommand(f"All comments: {label}", "Show every comment, not only the last five", self.action_more)

    def action_comment(self) -> None:
        if self.ticket is None:
            self.notify("Comment: the ticket is not loaded yet.", timeout=4)
            return
        self.app.post_message(OpenComment(self.ticket))

    def action_bill(self) -> None:
        self.app.post_message(OpenBilling(self.ticket_id))

    def action_clock(self) -> None:
        if self.ticket is None:
            self.notify("Work clock: the ticket is not loaded yet.", timeout=4)
            return
        self.app.post_message(ToggleClock(self.ticket_id, self.ticket.number, self.ticket.subject))

    def action_stop_clock(self) -> None:
        self.app.post_message(StopClock(self.ticket_id))

    @work(exclusive=True, group="ticket-triage", exit_on_error=False)
    async def action_triage(self, action: str) -> None:
        if self.ticket is None:
            self.notify(f"{ACTIONS[action]}: the ticket is not loaded yet.", timeout=4)
            return
        if await triage(self.app, QueueRow.of(self.ticket), action) is not None:
            self.app.post_message(TicketChanged(self.ticket_id))  # this screen and the queue read it again
