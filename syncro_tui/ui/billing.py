"""The billing wizard: time billed the way the shop's rules say, explained as the tech types.

It reads the ticket and the customer, asks for minutes and the labor type (no
defaults: both required), when the work ended, the billing description and the
resolution comment. The product, quantity, rate, total and prepaid balance
update live, each with its reason, and the review checklist runs on every
change. Review (ctrl+s) is refused until everything is filled in and the
checklist passes; then the write path's confirm shows every call of the run,
and each step's progress shows here as it goes. The rules themselves live in
``domain.billing_form``, its calls in ``writes.plans``: this screen only renders and asks. Its panes are
``ui/billing_panes.py``; what its keys send, ``ui/billing_actions.py``.
"""

from __future__ import annotations

from datetime import datetime
from collections.abc import Callable

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, SelectionList, Static, TextArea

from ..api import SyncroError
from ..api.models import Timer
from ..api.ollama import BillingSuggestion
from ..domain import billing_form, coach
from ..domain.situation import Situation
from ..domain.billing import ItemPlan
from ..domain.billing_form import BillingForm, BillingReview
from ..domain.checklist import Check
from ..domain.coach import Coaching
from ..domain.comment import Visibility, audience
from ..domain.drafting import billing_prompt
from ..domain.parts import Parts
from ..domain.rates import LaborType
from ..domain.ticket import email_recipient, timer_minutes
from ..reads import UnknownTicket
from .coach import CoachPanel, coach_again, place
from .drafting import HELP, ask, can_draft, footer_quiet, history, put
from .text import clean, literal
from .billing_actions import BillingActions
from .billing_panes import ChecksPane, ItemsPane, Plan, PlanPane, ProgressPane
from .widgets import AttributionBanner, FittingFooter

LABOR_LABELS = {
    LaborType.REMOTE: "Remote", LaborType.ONSITE: "Onsite", LaborType.IN_SHOP: "In shop",
    LaborType.EMERGENCY: "Emergency / after hours", LaborType.WARRANTY: "Warranty (no charge)",
    LaborType.PROJECT: "Prepaid project", LaborType.INTERNAL: "Internal (not billed)",
    LaborType.TRAVEL: "Travel (per trip)", LaborType.WEBSITE: "Website",
}


class BillingScreen(BillingActions):
    #: Straight to the minutes: focus first on the form's scroll and then on the field restyled the whole form twice.
    AUTO_FOCUS = "#minutes"
    BINDINGS = [
        Binding("escape", "leave", "Back (draft kept)", id="bill.back"),
        Binding("ctrl+s", "review", "Review and send", id="bill.review", priority=True),
        Binding("ctrl+r", "reload", "Read again", id="bill.reload"),
        Binding("ctrl+d", "draft", "Draft with the model", id="bill.draft", priority=True),
        Binding("ctrl+o", "items", "Parts and fees", id="bill.items", priority=True),
        Binding("ctrl+t", "remove_timer", "Remove a timer", id="bill.remove_timer", priority=True),
    ]

    #: The form worked out (``billing_form.review``), and what the panes beside it need besides: they are bound
    #: to these in ``compose`` and draw themselves when they change.
    review: reactive[BillingReview] = reactive(BillingReview)
    #: The parts of the review each pane shows: a pane is drawn again only when its part changes.
    plan: reactive[Plan] = reactive((None, (), ()))
    checks: reactive[tuple[Check, ...]] = reactive(())
    items: reactive[tuple[ItemPlan, ...]] = reactive(())
    read: reactive[bool] = reactive(False)
    differences: reactive[tuple[str, ...]] = reactive(())

    def __init__(self, ticket_id: int) -> None:
        super().__init__()
        self.ticket_id = ticket_id
        self.situation: Situation | None = None
        self.sending = False
        self.finished = False
        #: Required-field messages show once the tech has tried to review (not while the form is still empty).
        self.attempted = False
        #: Letters reached a box to tick (typing that ran on after a refusal put the tech on it): a space then is
        #: part of a sentence, and never ticks "right as planned" or "bill anyway".
        self.run_on = False
        self.run_on_said = False  # said once for a run of typing, not once a space
        #: The review's parts as last worked out: a field's change works out again only the parts that read it.
        self.parts = Parts()

    # ------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        draft = self.draft
        minutes = Input(draft.minutes, placeholder="e.g. 45", id="minutes")
        labor = Select([(LABOR_LABELS[t], t.value) for t in LaborType], prompt="Choose…",
                       value=draft.labor or Select.NULL, id="labor")
        long = Checkbox("More than 24 hours is right", draft.long_confirmed, id="long")
        ended = Input(draft.ended or billing_form.default_end(self.now(), self.app.account.time_zone),
                      placeholder="YYYY-MM-DD HH:MM, or yesterday 10pm", id="ended")
        hints = SelectionList[str](id="hints")
        timers = SelectionList[int](id="timers")
        description = Input(draft.description, id="description")
        subject = Input(draft.subject, placeholder="Subject", id="subject")
        visibility = Select([(v.label, v.value) for v in Visibility], value=draft.visibility, allow_blank=False,
                            id="visibility")
        comment = TextArea(draft.comment, id="comment", soft_wrap=True, show_line_numbers=False)
        ack = Checkbox("I have read the warnings above: bill anyway", draft.acknowledged, id="ack")
        #: How each field puts its value in the draft: a change writes only its own field.
        self.writers: dict[Widget, Callable[[BillingForm], None]] = {
            minutes: lambda d: setattr(d, "minutes", minutes.value),
            labor: lambda d: setattr(d, "labor", labor.value if isinstance(labor.value, str) else None),
            long: lambda d: setattr(d, "long_confirmed", long.value),
            ended: lambda d: setattr(d, "ended", ended.value),
            hints: lambda d: setattr(d, "ticked", (d.ticked - {hints.get_option_at_index(n).value
                                                               for n in range(hints.option_count)})
                                     | set(hints.selected)),
            timers: lambda d: setattr(d, "charge_timers", set(timers.selected)) if timers.option_count else None,
            description: lambda d: setattr(d, "description", description.value),
            subject: lambda d: setattr(d, "subject", subject.value),
            visibility: lambda d: setattr(d, "visibility", str(visibility.value)),
            comment: lambda d: setattr(d, "comment", comment.text),
            ack: lambda d: setattr(d, "acknowledged", ack.value),
        }
        #: The field each of the review's problems belongs to (``domain.billing_form.FIELDS``); a part's problem
        #: (``items``) has no field of its own: the notice says it.
        self.problem_fields: dict[str, Widget] = {"minutes": minutes, "labor": labor, "ended": ended, "hints": hints,
                                                  "timers": timers, "description": description, "comment": comment,
                                                  "ack": ack}
        yield AttributionBanner(id="attribution")
        yield Static(Text("Reading the ticket and the customer…", style="italic"), id="bill-head")
        yield Static(id="bill-warnings")
        with Horizontal(id="bill-main"):
            with VerticalScroll(id="bill-form"):
                with Horizontal(classes="bill-row"):
                    with Vertical(classes="bill-field"):
                        yield Label("Minutes worked")
                        yield minutes
                    with Vertical(classes="bill-field"):
                        yield Label("Labor type")
                        yield labor
                yield Static(id="minutes-problem", classes="bill-problem")
                yield long
                yield Label("Work ended", id="ended-label")
                yield ended
                yield Static(id="ended-note", classes="bill-note")
                yield Static(id="hints-label", classes="bill-note")
                yield hints
                yield Static(id="timers-label", classes="bill-note")
                yield timers
                yield ItemsPane(id="bill-items", classes="bill-note").data_bind(BillingScreen.items)
                yield Label("Billing description (the line on the invoice)")
                yield description
                yield Label("Resolution comment")
                with Horizontal(classes="bill-row"):
                    yield subject
                    yield visibility
                yield Static(id="visibility-note", classes="bill-note")
                yield comment
                yield ack
            with VerticalScroll(id="bill-preview"):
                yield PlanPane(id="bill-plan").data_bind(BillingScreen.plan, BillingScreen.read,
                                                         BillingScreen.differences)
                yield ChecksPane(id="bill-checks").data_bind(BillingScreen.checks)
                yield Static(id="bill-problems", classes="bill-problem")
                yield ProgressPane(id="bill-progress")
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
        self.read = True
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
    def changed(self, event: Input.Changed | Select.Changed | TextArea.Changed | Checkbox.Changed
                | SelectionList.SelectedChanged) -> None:
        """A field changed: its value into the draft, and the review again."""
        writer = self.writers.get(event.control) if event.control is not None else None
        if self.finished or writer is None:  # a billed run's values must never come back as a new draft
            return
        writer(self.draft)
        self.update_review()
        self.app.keep_drafts()

    def keep_draft(self) -> None:
        """Every field into the draft (leaving, or asking for the review)."""
        for writer in self.writers.values():
            writer(self.draft)

    def work_out(self) -> BillingReview:
        """Everything the tech entered, checked by the domain rules (no I/O)."""
        return billing_form.review(self.draft, self.situation, rates=self.app.session.config.rate_table(),
                                   now=self.now(), tz=self.app.account.time_zone, hours=self.app.account.business_hours,
                                   parts=self.parts)

    def update_review(self) -> None:
        if self.sending or self.finished:
            return
        self.review = review = self.work_out()
        self.plan = (review.time, tuple(review.timers), tuple(review.items))
        self.checks, self.items = tuple(review.checks), tuple(review.items)
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
        product = review.time.rate.product_id if review.time is not None else None
        if product is not None and product not in self.app.product_differences:
            self.check_product(product)
        self.differences = tuple(self.app.product_differences.get(product) or []) if product is not None else ()
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

