"""What the billing wizard's keys do beyond the form: the review and the run (ctrl+s), the parts and fees (ctrl+o),
removing a duplicate timer (ctrl+t), and the product check behind the plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Checkbox, SelectionList

from ..api import SyncroError
from ..api.models import Invoice
from ..domain.billing_form import FIELDS, BillingForm, BillingReview, ItemForm
from ..domain.inputs import InputProblem
from ..domain.inputs import quantity as parse_quantity
from ..domain.money import dollars
from ..writes.plans import Plan, billing_run, time_recorded
from ..domain.situation import Situation
from .billing_panes import ProgressPane
from .base import HoldsRefresh
from .messages import TicketChanged
from .text import clean
from .widgets import ReportsFailures
from .writing import confirm_and_send


class BillingActions(HoldsRefresh, ReportsFailures, Screen[None]):
    """The part of ``BillingScreen`` that acts: each write through the confirm, and what the form keeps after."""

    ticket_id: int
    situation: Situation | None
    review: BillingReview
    problem_fields: dict[str, Widget]
    sending: bool
    finished: bool
    attempted: bool
    run_on: bool

    if TYPE_CHECKING:  # the form's
        @property
        def draft(self) -> BillingForm: ...
        def keep_draft(self) -> None: ...
        def update_review(self) -> None: ...
        def load(self) -> object: ...

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
        if review.run is None:
            self.focus_problem(review)
            self.notify("\n".join(review.all_problems), title="Not ready to send", severity="error", timeout=8)
            return
        try:
            plan = billing_run(review.run)
        except ValueError as exc:  # what only the calls can tell (a ticket with no customer to invoice)
            self.notify(f"{exc} Nothing was sent.", title="Not ready to send", severity="error", timeout=8)
            return
        self.send(plan)

    def focus_problem(self, review: BillingReview) -> None:
        """The field of the review's first problem gets the focus (a part's problem has none: the notice says it)."""
        first = next((key for key in FIELDS if key in review.problems), None)
        field = self.problem_fields.get(first) if first is not None else None
        if field is not None:
            field.focus()
            self.run_on = isinstance(field, (Checkbox, SelectionList))

    @work(exclusive=True, group="bill-send", exit_on_error=False)
    async def send(self, plan: Plan) -> None:
        self.sending = True
        progress = self.query_one(ProgressPane)
        progress.start([req.preview() for req in plan.steps])
        try:
            outcome = await confirm_and_send(self.app, plan, progress=progress.progress)
        finally:
            self.sending = False
        if outcome is None:  # refused or cancelled: nothing sent, the form is as it was
            progress.update("")
            return
        held = self.app.writes.held(outcome.group_id) if self.app.writes is not None else set()
        if not held:  # refused, or not sent again: nothing of it is in Syncro, so nothing the tech did is dropped
            progress.show(Text(f"\nNothing was billed: {clean(outcome.message, single_line=False)}\n"
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
            progress.show(done)
        else:
            progress.show(Text(f"\nStopped: {clean(outcome.message, single_line=False)}\nThe rest of this run is "
                                    "in the unfinished writes (u on the queue): resume it there once the cause is "
                                    f"fixed.{kept} Escape goes back.", style="bold red"))

    def clock_kept(self) -> str:
        """", and the work clock" when this ticket has a stopped clock whose minutes this run bills."""
        clock = self.app.clocks.get(self.ticket_id)
        return " and the work clock" if clock is not None and clock.stopped else ""

    @work(exclusive=True, group="bill-timers", exit_on_error=False)
    async def action_remove_timer(self) -> None:
        """Remove one of the ticket's uncharged timers (a duplicate): picked, then confirmed like every write."""
        from ..writes.timer_plans import remove_timer
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
