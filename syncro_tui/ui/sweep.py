"""The end-of-day sweep (``E`` on the queue): the money the tech's day left behind, each leak with its fix.

The day is read as background work (the tech's own calls go first), with a
count while it reads. Enter on a leak opens its fix: the billing wizard
prefilled (a visit's minutes and end, the timer ticked), the work clock
stopped and billed, a $0.00 line patched, the lines invoiced or a $0.00 invoice
corrected through a draft (each confirmed like every write), or the ticket when
the fix is the tech's to make in Syncro.
After a fix, only that ticket is read again.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Static

from ..api import SyncroError
from ..domain import coach
from ..domain.billing_form import BillingForm
from ..domain.coach import Coaching
from ..domain.billing import plan_timer_charge
from ..writes.plans import correct_invoice, invoice_waiting, patch_zero_line
from ..domain.sweep import FixKind, Leak, SweepDay, Tech, by_hand, still_leaking, summary, sweep
from ..domain.when import typed
from ..writes.activity import groups_on, status_changes
from ..writes.groups import StepState
from .coach import CoachPanel, coach_again
from .messages import OpenBilling, OpenTicket, StopClock
from .text import literal
from .ticket_table import Column
from .widgets import FittingFooter, ListTable, ReportsFailures

COLUMNS = (Column("stake", "At stake", 11), Column("kind", "Leak", 17, least=12), Column("number", "Ticket", 7),
           Column("customer", "Customer", 20, least=10, rank=4), Column("subject", "Subject", 40, least=14, rank=3, grow=True))
from .writing import confirm_and_send


class SweepScreen(ReportsFailures, Screen[None]):
    BINDINGS = [
        Binding("enter", "fix", "Fix", id="sweep.fix"),
        Binding("left_square_bracket", "day(-1)", "Day before", key_display="[", id="sweep.previous"),
        Binding("right_square_bracket", "day(1)", "Day after", key_display="]", id="sweep.next"),
        Binding("t", "today", "Today", id="sweep.today"),
        Binding("r", "read", "Read again", id="sweep.read"),
        Binding("escape", "app.pop_screen", "Back", id="sweep.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.day: date = self.today()
        self.read: SweepDay | None = None
        self.leaks: list[Leak] = []
        #: The ticket of the last fix opened: read again each time the tech comes back to the sweep.
        self.fixing: int | None = None

    def today(self) -> date:
        return self.app.session.now().astimezone(self.app.account.time_zone).date()

    def compose(self) -> ComposeResult:
        yield Static(id="sweep-title")
        yield Static(id="sweep-state")
        yield ListTable(COLUMNS, id="sweep-table", zebra_stripes=True)
        yield Static(id="sweep-detail")
        yield CoachPanel()
        yield FittingFooter()

    def on_mount(self) -> None:
        self.show_title()
        self.load()

    @property
    def tech(self) -> Tech | None:
        me = self.app.account.me
        return Tech(me.user_id, me.user_name) if me is not None else None

    def show_title(self) -> None:
        title = Text(" End-of-day sweep: ", style="bold")
        title.append(literal(self.app.account.owner_label))
        title.append(f"  {self.day:%A %d %B %Y}", style="bold")
        title.append(f"  ({self.app.account.time_zone.key})", style="dim")
        self.query_one("#sweep-title", Static).update(title)

    def say(self, text: str, style: str = "") -> None:
        self.query_one("#sweep-state", Static).update(literal(text, style, single_line=False))

    def status_changed(self) -> frozenset[int]:
        writes = self.app.writes
        if writes is None:
            return frozenset()
        return status_changes(groups_on(writes.journal, self.day, self.app.account.time_zone, writes.profile_name))

    @work(group="sweep", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        tech = self.tech
        if tech is None:
            self.say("Whose key this is has not been read yet, so the day cannot be swept: press r in a moment.",
                     "bold red")
            return
        self.read, self.leaks = None, []
        self.fill()
        self.say(f"Reading {self.day:%A %d %B} from Syncro (after your own calls)…", "italic")
        try:
            self.read = await self.app.reads.sweep_day(self.day, self.app.account.time_zone, tech.user_id,
                                                       status_changed=self.status_changed(),
                                                       also=self.app.clocks.keys(), progress=self.progress)
        except SyncroError as exc:
            self.say(f"The day could not be read from Syncro: {exc}. Press r to try again.", "bold red")
            return
        self.judge()

    def progress(self, done: int, total: int) -> None:
        self.say(f"Reading the day's tickets: {done:,} of {total:,} read, {total - done:,} left…", "italic")

    def judge(self) -> None:
        """The leaks of what was read (pure: no call), shown."""
        tech = self.tech
        if self.read is None or tech is None:
            return
        self.leaks = sweep(self.read, tech=tech, tz=self.app.account.time_zone,
                           rates=self.app.session.config.rate_table(), clocks=self.app.clocks,
                           now=self.app.session.now())
        state = f"{len(self.read.tickets):,} tickets read. {summary(self.leaks)}"
        if self.read.unread:
            state += (f" Not complete: ticket{'s' if len(self.read.unread) != 1 else ''} "
                      f"{', '.join(map(str, self.read.unread))} could not be read (press r).")
        self.say(state, "bold" if self.leaks else "green")
        self.fill()

    def fill(self) -> None:
        self.query_one(ListTable).show_rows(
            (str(n), (literal(leak.stake, "bold" if leak.amount else "dim"), literal(leak.kind.value),
                      literal(f"#{leak.where.number}" if leak.where.number else "–"), literal(leak.where.customer),
                      literal(leak.where.subject)))
            for n, leak in enumerate(self.leaks))
        self.show_detail()

    def selected(self) -> Leak | None:
        table = self.query_one(DataTable)
        if not self.leaks or table.cursor_row >= len(self.leaks):
            return None
        return self.leaks[table.cursor_row]

    def show_detail(self) -> None:
        leak = self.selected()
        detail = self.query_one("#sweep-detail", Static)
        if leak is None:
            detail.update("")
            return
        text = literal(leak.words, single_line=False)
        text.append(f"\nEnter: {leak.fix.words}.", style="bold")
        detail.update(text)
        coach_again(self)

    def coaching(self, _widget: Widget | None) -> Coaching | None:
        """The leak under the cursor: the rule it breaks and why it matters."""
        leak = self.selected()
        return coach.leak(leak.kind, leak.fix.words) if leak is not None else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_fix()

    def action_day(self, step: int) -> None:
        self.day += timedelta(days=step)
        self.show_title()
        self.load()

    def action_today(self) -> None:
        self.day = self.today()
        self.show_title()
        self.load()

    def action_read(self) -> None:
        self.load()

    def action_fix(self) -> None:
        leak = self.selected()
        if leak is None:
            self.notify("Nothing to fix: select a leak first.", timeout=4)
            return
        fix, ticket_id = leak.fix, leak.where.ticket_id
        self.fixing = ticket_id
        if fix.kind is FixKind.BILL:
            draft = self.app.drafts.billing.setdefault(ticket_id, BillingForm())
            if fix.minutes is not None and not draft.minutes.strip():  # never over what the tech typed
                draft.minutes = str(fix.minutes)
                if fix.ended is not None:
                    draft.ended = typed(fix.ended, self.app.account.time_zone)
            self.app.post_message(OpenBilling(ticket_id))
        elif fix.kind is FixKind.CLOCK:
            self.app.post_message(StopClock(ticket_id))
        elif fix.kind is FixKind.TICKET:
            self.app.post_message(OpenTicket(ticket_id))
        elif fix.kind is FixKind.DRAFT:
            self.send_correction(leak)
        else:
            self.send_fix(leak)

    @work(group="sweep-fix", exclusive=True, exit_on_error=False)
    async def send_correction(self, leak: Leak) -> None:
        """A $0.00 invoice corrected through a draft (accounts with draft invoices on), planned from the invoice and
        its ticket as they are now, then confirmed. Refused at the first call, nothing was written: the words say
        why (drafts off: 404; paid, posted or a refund: 422) and how it is done by hand."""
        rates = self.app.session.config.rate_table()
        try:
            invoice = await self.app.reads.invoice(leak.fix.invoice_id or 0)
            ticket = await self.app.reads.ticket(leak.where.ticket_id) if leak.where.ticket_id else None
        except SyncroError as exc:
            self.notify(f"Invoice of ticket #{leak.where.number} could not be read: {exc}", title="Nothing was sent",
                        severity="error", timeout=15)
            return
        try:
            plan = correct_invoice(invoice, rates, ticket=ticket)
        except ValueError as exc:
            self.notify(f"{exc} {by_hand(invoice)}", title="Nothing to send", timeout=15)
            return
        outcome = await confirm_and_send(self.app, plan)
        stop = outcome.stopped if outcome is not None else None
        if stop is not None and stop.seq == 0 and stop.state is StepState.FAILED:
            why = ("This account has draft invoices off." if stop.status == 404
                   else f"Syncro would not make it a draft: {stop.message}")
            self.notify(f"{why} {by_hand(invoice)}", title=f"Invoice #{invoice.number} was not changed",
                        severity="warning", timeout=20)
        await self.read_invoice_again(invoice.id)
        if ticket is not None:
            await self.read_again(ticket.id)

    async def read_invoice_again(self, invoice_id: int) -> None:
        """A corrected invoice replaces its old self (gone from the $0.00 ones once it is not $0.00)."""
        if self.read is None:
            return
        try:
            fresh = await self.app.reads.invoice(invoice_id)
        except SyncroError:
            return  # the day's read (r) says it again
        zero = tuple(i for i in self.read.zero_invoices if i.id != invoice_id)
        self.read = replace(self.read, zero_invoices=zero + ((fresh,) if fresh.total == 0 else ()))
        self.judge()

    @work(group="sweep-fix", exclusive=True, exit_on_error=False)
    async def send_fix(self, leak: Leak) -> None:
        """A $0.00 line patched, or a timer charged and what waits invoiced: planned from the ticket as it is now
        (its customer's block, the invoices made for it), then confirmed."""
        rates = self.app.session.config.rate_table()
        try:
            situation = await self.app.reads.situation(leak.where.ticket_id)
        except SyncroError as exc:
            self.notify(f"Ticket #{leak.where.number} could not be read: {exc}", title="Nothing was sent",
                        severity="error", timeout=15)
            return
        ticket = situation.ticket
        try:
            if leak.fix.kind is FixKind.PATCH_LINE:
                line = next((li for li in ticket.line_items if li.id == leak.fix.line_id), None)
                if line is None:
                    raise ValueError(f"Line {leak.fix.line_id} is no longer on ticket #{ticket.number}.")
                rate = rates.for_product(line.product_id) if line.product_id is not None else None
                if rate is None:
                    raise ValueError(f"Line {line.id}'s product is not in the rate table: its price is not set here.")
                plan = patch_zero_line(ticket, line, price=rate.price_retail, product=rate.name)
            else:
                timers = [plan_timer_charge(t, rates, prepaid=situation.prepaid) for t in situation.uncharged
                          if t.id in leak.fix.charge_timers]
                if len(timers) != len(leak.fix.charge_timers):
                    raise ValueError(f"The timer is no longer waiting on ticket #{ticket.number}: it was charged or "
                                     "removed meanwhile.")
                others = still_leaking(leak, self.leaks)
                plan = invoice_waiting(ticket, rates, prepaid=situation.prepaid, invoice_ids=situation.invoice_ids,
                                       timers=timers, still_leaking=" and ".join(
                                           f"“{other.kind.value}” ({other.words})" for other in others) or None)
        except ValueError as exc:
            self.notify(str(exc), title="Nothing to send", timeout=10)
            await self.read_again(ticket.id)
            return
        await confirm_and_send(self.app, plan)
        await self.read_again(ticket.id)

    def on_screen_resume(self) -> None:
        """Back from a fix (the wizard, the ticket): that ticket, and the clocks, as they are now."""
        if self.fixing is not None and self.read is not None:
            self.refresh_ticket(self.fixing)

    @work(group="sweep-refresh", exit_on_error=False)
    async def refresh_ticket(self, ticket_id: int) -> None:
        await self.read_again(ticket_id)

    async def read_again(self, ticket_id: int) -> None:
        """One read: the fixed ticket replaces its old self, and the day is judged again."""
        if self.read is None:
            return
        try:
            fresh = await self.app.reads.ticket(ticket_id)
        except SyncroError as exc:
            self.notify(f"Ticket {ticket_id} could not be read again: {exc}. Press r to read the day.",
                        severity="warning", timeout=10)
            return
        self.read = replace(self.read, tickets=(*(t for t in self.read.tickets if t.id != ticket_id), fresh),
                            unread=tuple(i for i in self.read.unread if i != ticket_id))
        self.judge()
