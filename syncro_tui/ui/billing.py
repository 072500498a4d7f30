"""The billing wizard: time billed the way the shop's rules say, explained as the tech types.

It reads the ticket and the customer, asks for minutes and the labor type (no
defaults: both required), when the work ended, the billing description and the
resolution comment. The product, quantity, rate, total and prepaid balance
update live, each with its reason, and the review checklist runs on every
change. Review (ctrl+s) is refused until everything is filled in and the
checklist passes; then the write path's confirm shows every call of the run,
and each step's progress shows here as it goes. The rules themselves live in
``domain.billing`` and ``domain.plan``: this screen only renders and asks.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from rich.console import Group as RichGroup
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, SelectionList, Static, TextArea

from ..api import SyncroError
from ..api.models import Invoice, Timer
from ..api.ollama import BillingSuggestion
from ..domain import billing_form, coach
from ..domain.situation import Situation
from ..domain.billing_form import FIELDS, BillingForm, BillingReview, ItemForm
from ..domain.coach import Coaching
from ..domain.comment import Visibility, audience
from ..domain.drafting import billing_prompt
from ..domain.inputs import InputProblem
from ..domain.inputs import quantity as parse_quantity
from ..domain.plan import Plan, time_recorded
from ..domain.rates import LaborType, Unit
from ..domain.ticket import email_recipient, timer_minutes
from ..reads import UnknownTicket
from ..writes.journal import StepState
from ..domain.money import dollars
from .coach import CoachPanel, coach_again, place
from .drafting import HELP, ask, can_draft, footer_quiet, history, put
from .messages import TicketChanged
from .text import clean, literal
from .widgets import AttributionBanner, FittingFooter, ReportsFailures
from .writing import confirm_and_send

LABOR_LABELS = {
    LaborType.REMOTE: "Remote", LaborType.ONSITE: "Onsite", LaborType.IN_SHOP: "In shop",
    LaborType.EMERGENCY: "Emergency / after hours", LaborType.WARRANTY: "Warranty (no charge)",
    LaborType.PROJECT: "Prepaid project", LaborType.INTERNAL: "Internal (not billed)",
    LaborType.TRAVEL: "Travel (per trip)", LaborType.WEBSITE: "Website",
}
STATE_MARKS = {StepState.SENDING: ("…", "yellow"), StepState.DONE: ("✓", "green"), StepState.PRESENT: ("✓", "green"),
               StepState.SKIPPED: ("–", "dim"), StepState.FAILED: ("✗", "bold red"),
               StepState.UNKNOWN: ("?", "bold red"), StepState.ABSENT: ("✗", "bold red")}


#: The field each of the review's problems belongs to (``domain.billing_form.FIELDS``), by selector: renaming a
#: widget's id without this table fails ``tests/ui/test_billing.py``, never the focus on a problem silently.
#: A part's problem (``items``) has no field of its own: the notice says it.
PROBLEM_FIELDS = {"minutes": "#minutes", "labor": "#labor", "ended": "#ended", "hints": "#hints", "timers": "#timers",
                  "description": "#description", "comment": "#comment", "ack": "#ack"}


class BillingScreen(ReportsFailures, Screen[None]):
    BINDINGS = [
        Binding("escape", "leave", "Back (draft kept)", id="bill.back"),
        Binding("ctrl+s", "review", "Review and send", id="bill.review", priority=True),
        Binding("ctrl+r", "reload", "Read again", id="bill.reload"),
        Binding("ctrl+d", "draft", "Draft with the model", id="bill.draft", priority=True),
        Binding("ctrl+o", "items", "Parts and fees", id="bill.items", priority=True),
        Binding("ctrl+t", "remove_timer", "Remove a timer", id="bill.remove_timer", priority=True),
    ]

    def __init__(self, ticket_id: int) -> None:
        super().__init__()
        self.ticket_id = ticket_id
        self.situation: Situation | None = None
        self.review = BillingReview()
        self.sending = False
        self.finished = False
        #: Required-field messages show once the tech has tried to review (not while the form is still empty).
        self.attempted = False
        #: Letters reached a box to tick (typing that ran on after a refusal put the tech on it): a space then is
        #: part of a sentence, and never ticks "right as planned" or "bill anyway".
        self.run_on = False
        self.run_on_said = False  # said once for a run of typing, not once a space
        #: The run being sent, as previews, and each step's latest state and message (for the progress panel).
        self.steps: list[dict[str, Any]] = []
        self.states: dict[int, tuple[StepState, str]] = {}

    # ------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        draft = self.draft
        yield AttributionBanner(id="attribution")
        yield Static(Text("Reading the ticket and the customer…", style="italic"), id="bill-head")
        yield Static(id="bill-warnings")
        with Horizontal(id="bill-main"):
            with VerticalScroll(id="bill-form"):
                with Horizontal(classes="bill-row"):
                    with Vertical(classes="bill-field"):
                        yield Label("Minutes worked")
                        yield Input(draft.minutes, placeholder="e.g. 45", id="minutes")
                    with Vertical(classes="bill-field"):
                        yield Label("Labor type")
                        yield Select([(LABOR_LABELS[t], t.value) for t in LaborType], prompt="Choose…",
                                     value=draft.labor or Select.NULL, id="labor")
                yield Static(id="minutes-problem", classes="bill-problem")
                yield Checkbox("More than 24 hours is right", draft.long_confirmed, id="long")
                yield Label("Work ended", id="ended-label")
                yield Input(draft.ended or billing_form.default_end(self.now(), self.app.account.time_zone),
                            placeholder="YYYY-MM-DD HH:MM, or yesterday 10pm", id="ended")
                yield Static(id="ended-note", classes="bill-note")
                yield Static(id="hints-label", classes="bill-note")
                yield SelectionList[str](id="hints")
                yield Static(id="timers-label", classes="bill-note")
                yield SelectionList[int](id="timers")
                yield Static(id="bill-items", classes="bill-note")
                yield Label("Billing description (the line on the invoice)")
                yield Input(draft.description, id="description")
                yield Label("Resolution comment")
                with Horizontal(classes="bill-row"):
                    yield Input(draft.subject, placeholder="Subject", id="subject")
                    yield Select([(v.label, v.value) for v in Visibility], value=draft.visibility,
                                 allow_blank=False, id="visibility")
                yield Static(id="visibility-note", classes="bill-note")
                yield TextArea(draft.comment, id="comment", soft_wrap=True, show_line_numbers=False)
                yield Checkbox("I have read the warnings above: bill anyway", draft.acknowledged, id="ack")
            with VerticalScroll(id="bill-preview"):
                yield Static(id="bill-plan")
                yield Static(id="bill-checks")
                yield Static(id="bill-problems", classes="bill-problem")
                yield Static(id="bill-progress")
        yield CoachPanel()
        yield FittingFooter()

    @property
    def draft(self) -> BillingForm:
        return self.app.drafts.billing.setdefault(self.ticket_id, BillingForm())

    def now(self) -> datetime:
        return self.app.session.now().astimezone(self.app.account.time_zone)

    def on_mount(self) -> None:
        self.query_one("#long", Checkbox).display = False
        self.query_one("#ack", Checkbox).display = False
        self.query_one("#hints", SelectionList).display = self.query_one("#hints-label", Static).display = False
        self.query_one("#timers", SelectionList).display = self.query_one("#timers-label", Static).display = False
        self.query_one("#ended-label", Label).update(f"Work ended ({self.app.account.time_zone.key})")
        self.query_one("#minutes", Input).focus()
        self.load()

    # ------------------------------------------------------------ reading
    @work(exclusive=True, group="bill-load", exit_on_error=False)
    async def load(self) -> None:
        head = self.query_one("#bill-head", Static)
        try:
            situation = await self.app.reads.situation(self.ticket_id)
        except UnknownTicket as exc:
            head.update(Text(f"{exc} Escape goes back.", style="bold red"))
            return
        except SyncroError as exc:
            head.update(Text(f"The ticket and customer could not be read: {exc}\nNothing was sent. Press ctrl+r to "
                             "read again, Escape to go back (what you typed is kept).", style="bold red"))
            return
        self.situation = situation
        if not self.finished and not self.draft.description:
            self.query_one("#description", Input).value = clean(situation.ticket.subject)  # Syncro text: literal even in an editor
        seen, live = billing_form.as_billed(situation, self.draft)  # the run's own Syncro timer is not "already on it"
        self.show_head(seen, live)
        self.show_timers(seen)
        self.update_review()

    def action_reload(self) -> None:
        if not self.sending:
            self.load()

    def show_head(self, situation: Situation, live: Timer | None = None) -> None:
        ticket, customer = situation.ticket, situation.customer
        head = Text(f"Bill ticket #{ticket.number}  ", style="bold")
        head.append_text(literal(ticket.subject, "bold"))
        head.append("\n")
        head.append_text(literal(customer.display_name))
        head.append("   Prepaid block: ", style="dim")
        head.append(f"{situation.prepaid} h" if situation.prepaid is not None else "none")
        head.append("   Status: ", style="dim")
        head.append_text(literal(ticket.status))
        if live is not None:
            head.append(f"\nTimed on Syncro timer {live.id} ({timer_minutes(live)} min): this run bills that timer.",
                        style="italic")
        self.query_one("#bill-head", Static).update(head)
        warnings = self.query_one("#bill-warnings", Static)
        warnings.update(Text("\n".join("⚠ " + w for w in situation.warnings), style="bold yellow"))
        warnings.display = bool(situation.warnings)
        self.query_one("#ack", Checkbox).display = bool(situation.warnings)

    # ------------------------------------------------------------ live plan
    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    @on(Checkbox.Changed)
    @on(SelectionList.SelectedChanged)
    def changed(self) -> None:
        if self.finished:  # a billed run's values must never come back as a new draft
            return
        self.keep_draft()
        self.update_review()
        self.app.keep_drafts()

    def keep_draft(self) -> None:
        draft = self.draft
        draft.minutes = self.query_one("#minutes", Input).value
        labor = self.query_one("#labor", Select).value
        draft.labor = labor if isinstance(labor, str) else None
        draft.ended = self.query_one("#ended", Input).value
        draft.description = self.query_one("#description", Input).value
        draft.subject = self.query_one("#subject", Input).value
        draft.visibility = str(self.query_one("#visibility", Select).value)
        draft.comment = self.query_one("#comment", TextArea).text
        draft.long_confirmed = self.query_one("#long", Checkbox).value
        draft.acknowledged = self.query_one("#ack", Checkbox).value
        hints = self.query_one("#hints", SelectionList)
        shown = {hints.get_option_at_index(n).value for n in range(hints.option_count)}
        draft.ticked = (draft.ticked - shown) | set(hints.selected)
        timers = self.query_one("#timers", SelectionList)
        if timers.option_count:
            draft.charge_timers = set(timers.selected)

    def work_out(self) -> BillingReview:
        """Everything the tech entered, checked by the domain rules (no I/O)."""
        return billing_form.review(self.draft, self.situation, rates=self.app.session.config.rate_table(),
                                   now=self.now(), tz=self.app.account.time_zone, hours=self.app.account.business_hours)

    def update_review(self) -> None:
        if self.sending or self.finished:
            return
        self.review = review = self.work_out()
        draft = self.draft
        self.query_one("#long", Checkbox).display = review.long_work or draft.long_confirmed
        recipient = email_recipient(self.situation.ticket) if self.situation is not None else None
        self.query_one("#visibility-note", Static).update(literal(audience(Visibility(draft.visibility), recipient), "dim"))
        shown = review.problems if self.attempted else {
            k: v for k, v in review.problems.items() if k in ("ended", "ack") or (k == "minutes" and draft.minutes)}
        self.query_one("#minutes-problem", Static).update(
            Text("\n".join(shown[k] for k in ("minutes", "labor") if k in shown), style="red"))
        ended_note = self.query_one("#ended-note", Static)
        if "ended" in review.problems:
            ended_note.update(Text(review.problems["ended"], style="red"))
        elif review.time is not None:
            start, end = (t.astimezone(self.app.account.time_zone) for t in (review.time.start_at, review.time.end_at))
            what = "Work" if review.time.by_line else "Timer"  # a line-item shop's run makes no timer
            ended_note.update(Text(f"{what} {start:%a %d %b %H:%M:%S} → {end:%H:%M} {end:%Z}", style="dim"))
        else:
            ended_note.update("")
        self.show_hints(review)
        self.show_items(review)
        self.query_one("#bill-plan", Static).update(self.plan_view(review))
        if review.time is not None and review.time.rate.product_id not in self.app.product_differences:
            self.check_product(review.time.rate.product_id)
        self.query_one("#bill-checks", Static).update(self.checks_view(review))
        others = [msg for key, msg in shown.items() if key not in ("minutes", "labor", "ended")]
        self.query_one("#bill-problems", Static).update(Text("\n".join(others), style="red"))
        coach_again(self)

    def coaching(self, widget: Widget | None) -> Coaching | None:
        field = place(widget, coach.fields("bill"))
        return (coach.billing(field, self.draft, self.review, self.situation, self.app.session.config.rate_table())
                if field else None)

    def show_hints(self, review: BillingReview) -> None:
        """The hints as items the tech ticks; made again only when what they say changes (ticks are kept)."""
        box = self.query_one("#hints", SelectionList)
        texts = [h.text for h in review.hints]
        shown = [box.get_option_at_index(n).value for n in range(box.option_count)]
        if texts != shown:
            with box.prevent(SelectionList.SelectedChanged):
                box.clear_options()
                box.add_options([(f"{h.title}: right as planned", h.text, h.text in self.draft.ticked)
                                 for h in review.hints])
                box.highlighted = 0 if texts else None  # space ticks the first at once
            self.query_one("#hints-label", Static).update(
                Text("\n".join(f"⚠ {clean(h.text)}" for h in review.hints), style="yellow"))
        box.display = self.query_one("#hints-label", Static).display = bool(texts)

    def show_timers(self, situation: Situation) -> None:
        """The ticket's uncharged timers, each ticked to charge it in this run (made when the ticket is read)."""
        box = self.query_one("#timers", SelectionList)
        tz, rates = self.app.account.time_zone, self.app.session.config.rate_table()
        with box.prevent(SelectionList.SelectedChanged):
            box.clear_options()
            for timer in situation.uncharged:
                rate = rates.for_product(timer.product_id or -1)
                label = (f"Charge timer {timer.id}: {timer.start_time.astimezone(tz):%a %d %b %H:%M}, "
                         f"{timer_minutes(timer)} min, "
                         f"{rate.name if rate else f'product {timer.product_id}'}")
                box.add_option((literal(label), timer.id, timer.id in self.draft.charge_timers))
            box.highlighted = 0 if situation.uncharged else None
        self.query_one("#timers-label", Static).update(Text(
            "Timers already on the ticket (tick to charge them in this run):", style="bold"))
        box.display = self.query_one("#timers-label", Static).display = bool(situation.uncharged)

    @work(exclusive=True, group="bill-timers", exit_on_error=False)
    async def action_remove_timer(self) -> None:
        """Remove one of the ticket's uncharged timers (a duplicate): picked, then confirmed like every write."""
        from ..domain.plan import remove_timer
        from .dialogs import ChoiceScreen

        if self.sending or self.finished or self.situation is None:
            return
        uncharged = self.situation.uncharged
        if not uncharged:
            self.notify("The ticket has no uncharged timer to remove.", timeout=5)
            return
        box = self.query_one("#timers", SelectionList)
        labels = {box.get_option_at_index(n).value: str(box.get_option_at_index(n).prompt)
                  for n in range(box.option_count)}
        picked = await self.app.push_screen_wait(ChoiceScreen("Remove which timer from the ticket?", [
            (str(t.id), labels.get(t.id, f"Timer {t.id}").replace("Charge timer", "Timer", 1)) for t in uncharged]))
        timer = next((t for t in uncharged if str(t.id) == picked), None)
        if timer is None:
            return
        outcome = await confirm_and_send(self.app, remove_timer(self.situation.ticket, timer))
        if outcome is not None and outcome.done:
            self.draft.charge_timers.discard(timer.id)
            self.load()  # the ticket as it is now

    def show_items(self, review: BillingReview) -> None:
        """The parts and fees of the run, or how to add one."""
        out = Text()
        if review.items:
            out.append("Parts and fees (ctrl+o adds or removes)\n", style="bold")
            for item in review.items:
                out.append(f"• {item.quantity} × ")
                out.append_text(literal(item.name))
                out.append(f" at {dollars(item.price_retail)} = {dollars(item.total)}, "
                           f"{'taxable' if item.taxable else 'not taxable'}\n")
        else:
            out.append("ctrl+o adds a part or a flat fee to this run", style="dim italic")
        self.query_one("#bill-items", Static).update(out)

    @work(exclusive=True, group="bill-items", exit_on_error=False)
    async def action_items(self) -> None:
        """Add a part or flat fee (found in Syncro's products, at its price; quantity and taxable said), or remove one."""
        from .dialogs import ChoiceScreen, NoteScreen

        if self.sending or self.finished:
            return
        draft = self.draft
        if draft.items:
            choice = await self.app.push_screen_wait(ChoiceScreen("Parts and fees on this run:", [
                ("add", "Add a part or fee"),
                *[(str(n), f"Remove {item.quantity} × {item.name}") for n, item in enumerate(draft.items)]]))
            if choice is None:
                return
            if choice != "add":
                draft.items.pop(int(choice))
                self.update_review()
                return
        words = await self.app.push_screen_wait(NoteScreen(
            "Add a part or flat fee: part of the product's name", "e.g. SSD", enter="searches Syncro's products",
            needed="Type part of the product's name."))
        if not words:
            return
        try:
            found = await self.app.reads.find_products(words.strip())
        except SyncroError as exc:
            self.notify(f"Syncro's products could not be searched: {exc}", severity="error", timeout=10)
            return
        if not found:
            self.notify(f"No product in Syncro has “{clean(words)}” in its name.", timeout=6)
            return
        rates = self.app.session.config.rate_table()
        picked = await self.app.push_screen_wait(ChoiceScreen(f"Products with “{words.strip()}”:", [
            (str(p.id), f"{p.name}  {dollars(p.price_retail)}" + ("  (labor: bill it as time)"
                                                                  if rates.is_labor_product(p.id) else ""))
            for p in found]))
        product = next((p for p in found if str(p.id) == picked), None)
        if product is None:
            return
        if rates.is_labor_product(product.id):
            self.notify(f"{product.name} is labor: bill it as time above (timer, then charge), never as a bare line "
                        "item, which skips Syncro's time tracking and can bill twice.", title="Not added",
                        severity="error", timeout=12)
            return
        typed = await self.app.push_screen_wait(NoteScreen(
            f"How many {product.name} ({dollars(product.price_retail)} each)?", value="1", enter="sets the quantity",
            needed="Type the quantity."))
        if typed is None:
            return
        try:
            quantity = parse_quantity(typed)
        except InputProblem as exc:
            self.notify(f"{exc} Nothing was added.", severity="error")
            return
        taxable = await self.app.push_screen_wait(ChoiceScreen(
            f"Is {product.name} taxable on this invoice?", [("yes", "Taxable"), ("no", "Not taxable")],
            current="yes" if product.taxable else "no" if product.taxable is not None else None))
        if taxable is None:
            return
        draft.items.append(ItemForm(product.id, product.name, product.description or product.name,
                                    product.price_retail, quantity, taxable == "yes"))
        self.update_review()
        self.app.keep_drafts()

    def plan_view(self, review: BillingReview) -> RichGroup | Text:
        time = review.time
        if time is None:
            if self.situation is None:
                return Text("Waiting for the ticket and the customer…", style="italic")
            return Text("Enter the minutes and choose the labor type: the product, quantity, rate and total show "
                        "here, with the reason for each.", style="italic")
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()
        grid.add_row("Product", f"{time.rate.name} ({time.rate.product_id})")
        unit = "trip" if time.rate.unit is Unit.TRIP else "h"
        grid.add_row("Quantity", f"{time.quantity} {unit}")
        grid.add_row("Rate", f"{dollars(time.price)}/{unit}")
        grid.add_row("Total", Text(f"{dollars(time.total)}", style="bold"))
        if time.prepaid_before is not None:
            grid.add_row("Prepaid", f"{time.prepaid_before} h → {time.prepaid_after} h")
            grid.add_row("Invoice adds", f"{dollars(time.charged)}")
        grid.add_row("Billed", "yes, then invoiced" if time.invoice else "no: recorded only")
        for charge in review.timers:
            grid.add_row("Timer", literal(f"{charge.quantity} × {charge.rate.name} = {dollars(charge.total)}"))
        for item in review.items:
            grid.add_row("Part / fee", literal(f"{item.quantity} × {item.name} = {dollars(item.total)}"
                                               f"{' + tax' if item.taxable else ''}"))
        if (review.items or review.timers) and time.prepaid_before is None:  # with a block, the invoice check says
            run = time.charged + sum((i.total for i in review.items), Decimal(0)) \
                + sum((t.total for t in review.timers), Decimal(0))
            grid.add_row("Run adds", Text(f"{dollars(run)}" + (" before tax" if any(i.taxable for i in review.items)
                                                              else ""), style="bold"))
        reasons = Text("\n".join("• " + r for r in time.reasons))
        differ = self.app.product_differences.get(time.rate.product_id) or []
        parts: list[RenderableType] = [Text("The plan", style="bold underline"), grid, Text(""), reasons]
        if differ:
            parts.append(Text("\n".join("⚠ " + d for d in differ), style="bold yellow"))
        return RichGroup(*parts)

    @work(group="bill-product", exit_on_error=False)
    async def check_product(self, product_id: int) -> None:
        """Compare the chosen product with Syncro's, when the check at start (``SyncroApp.check_products``)
        could not: once per run of the app."""
        known: dict[int, list[str]] = self.app.product_differences
        known[product_id] = []  # asked: not again while this is in flight
        try:
            found = await self.app.reads.product_differences(self.app.session.config.rate_table(), [product_id])
        except SyncroError:
            del known[product_id]  # not checked; the next change asks again
            return
        known.update(found)
        if known[product_id]:
            self.update_review()

    @staticmethod
    def checks_view(review: BillingReview) -> Text:
        if not review.checks:
            return Text("")
        out = Text()
        out.append("\nReview checklist\n", style="bold underline")
        for check in review.checks:
            out.append("✓ " if check.passed else "✗ ", style="green" if check.passed else "bold red")
            out.append(check.name, style="" if check.passed else "bold red")
            out.append(f": {clean(check.reason)}\n", style="dim")
        return out

    # ------------------------------------------------------------ sending
    def action_review(self) -> None:
        if self.sending:
            return
        if self.finished:
            self.notify("This run is done. Escape goes back.", timeout=4)
            return
        self.attempted = True
        self.keep_draft()
        self.update_review()
        review = self.review
        if self.situation is None:
            self.notify("The ticket and customer are not read yet (ctrl+r reads again).", severity="error")
            return
        if review.plan is None:
            self.focus_problem(review)
            self.notify("\n".join(review.all_problems), title="Not ready to send", severity="error", timeout=8)
            return
        self.send(review.plan)

    def on_key(self, event: events.Key) -> None:
        """Keys a text field did not take: on a box to tick, typed words never tick it (docs/rules.md §9). A refusal
        that puts the tech on a box counts as typing too (the sentence may go on): Enter, or any key that is not
        typing, ticks deliberately."""
        if event.key == "space" and self.run_on and isinstance(self.focused, (Checkbox, SelectionList)):
            event.stop()
            event.prevent_default()  # the box's own binding never sees it
            if not self.run_on_said:
                self.run_on_said = True
                self.notify("You may have been typing, so the box was not ticked. Read it, then press Enter to "
                            "tick it.", title="Not ticked", severity="warning", timeout=6)
        elif event.is_printable and isinstance(self.focused, (Checkbox, SelectionList)):
            self.run_on = self.run_on or event.key != "space"
        else:
            self.run_on = self.run_on_said = False

    def focus_problem(self, review: BillingReview) -> None:
        """The field of the review's first problem gets the focus (a part's problem has none: the notice says it)."""
        first = next((key for key in FIELDS if key in review.problems), None)
        selector = PROBLEM_FIELDS.get(first) if first is not None else None
        if selector is not None:
            field = self.query_one(selector)
            field.focus()
            self.run_on = isinstance(field, (Checkbox, SelectionList))

    @work(exclusive=True, group="bill-send", exit_on_error=False)
    async def send(self, plan: Plan) -> None:
        self.sending = True
        self.steps = [req.preview() for req in plan.steps]
        self.states = {}
        try:
            outcome = await confirm_and_send(self.app, plan, progress=self.progress)
        finally:
            self.sending = False
        if outcome is None:  # refused or cancelled: nothing sent, the form is as it was
            self.query_one("#bill-progress", Static).update("")
            return
        held = self.app.writes.held(outcome.group_id) if self.app.writes is not None else set()
        if not held:  # refused, or not sent again: nothing of it is in Syncro, so nothing the tech did is dropped
            self.show_progress(Text(f"\nNothing was billed: {clean(outcome.message, single_line=False)}\n"
                                    f"What you typed is kept{self.clock_kept()}: send again when ready.",
                                    style="bold red"))
            return
        # Something is in Syncro now: this form must never send the same run a second time.
        self.finished = True
        self.query_one("#bill-form").disabled = True
        # The unfinished group holds the rest of the run (a draft sent again would repeat what landed).
        self.app.drafts.billing.pop(self.ticket_id, None)
        self.app.keep_drafts()
        if time_recorded(held):  # the minutes are in Syncro, read back: only now does the clock go
            self.app.billed(self.ticket_id)
        kept = "" if time_recorded(held) or not self.clock_kept() else (
            "\nThe minutes are not in Syncro yet: the work clock is kept until they are (resuming sends them).")
        self.app.post_message(TicketChanged(self.ticket_id))
        self.load()  # the header shows the ticket as it is now (Invoiced)
        if outcome.done:
            invoice = outcome.record(Invoice)
            done = Text("\nBilled. ", style="bold green")
            done.append(f"Invoice #{invoice.number}: {dollars(invoice.total)}. " if invoice else "")
            done.append("Escape goes back.")
            self.show_progress(done)
        else:
            self.show_progress(Text(f"\nStopped: {clean(outcome.message, single_line=False)}\nThe rest of this run is "
                                    "in the unfinished writes (u on the queue): resume it there once the cause is "
                                    f"fixed.{kept} Escape goes back.", style="bold red"))

    def clock_kept(self) -> str:
        """", and the work clock" when this ticket has a stopped clock whose minutes this run bills."""
        clock = self.app.clocks.get(self.ticket_id)
        return " and the work clock" if clock is not None and clock.stopped else ""

    def progress(self, seq: int, state: StepState, message: str) -> None:
        self.states[seq] = (state, message)
        self.show_progress()

    def show_progress(self, tail: Text | None = None) -> None:
        out = Text()
        out.append("\nProgress\n", style="bold underline")
        for seq, call in enumerate(self.steps):
            state, message = self.states.get(seq, (StepState.PLANNED, ""))
            mark, style = STATE_MARKS.get(state, ("·", "dim"))
            out.append(f"{mark} ", style=style)
            out.append(f"{seq + 1}. {call['method']} {call['path']}", style="" if seq in self.states else "dim")
            if message:
                out.append(f"  {clean(message)}", style=style if state in (StepState.FAILED, StepState.UNKNOWN,
                                                                            StepState.ABSENT) else "dim")
            out.append("\n")
        if tail is not None:
            out.append_text(tail)
        self.query_one("#bill-progress", Static).update(out)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return can_draft(self.app) if action == "draft" else True

    def footer_quiet(self) -> set[str]:
        return footer_quiet(self.app)

    @work(exclusive=True, group="bill-draft", exit_on_error=False)
    async def action_draft(self) -> None:
        """The model drafts the comment and the invoice line's words from the tech's notes; never an amount."""
        if self.situation is None:
            self.notify("Wait until the ticket is read.", timeout=4)
            return
        draft, ticket = self.draft, self.situation.ticket
        labor = LABOR_LABELS[LaborType(draft.labor)].lower() if draft.labor else "labor"
        work = f"{draft.minutes.strip() or 'some'} minutes of {labor} work"
        system, user = billing_prompt(subject=ticket.subject, customer=self.situation.customer.display_name,
                                      history=history(ticket), notes=draft.comment or draft.description, work=work)
        suggestion = await ask(self.app, system, user, BillingSuggestion)
        if suggestion is None:
            return
        self.query_one("#subject", Input).value = clean(suggestion.comment_subject)
        self.query_one("#description", Input).value = clean(suggestion.line_item_description)
        put(self.query_one("#comment", TextArea), suggestion.comment_body)
        self.query_one("#comment", TextArea).focus()
        self.notify(HELP, title=suggestion.preview or "Draft", timeout=10)

    def action_leave(self) -> None:
        if self.sending:
            self.notify("The run is being sent: wait for it to finish.", severity="warning")
            return
        if not self.finished:
            self.keep_draft()
        self.dismiss()

