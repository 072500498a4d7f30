"""The billing wizard's panes beside the form: the plan, the review checklist, the parts and fees, and the run's
progress. Each is bound (``data_bind``) to the part of the wizard's review it shows, and draws itself only when that
part changes: a word typed in the comment redraws the checklist (which reads the comment), never the plan."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.console import Group as RichGroup
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from ..domain.billing import ItemPlan, TimePlan, TimerCharge
from ..domain.checklist import Check
from ..domain.money import dollars
from ..domain.rates import Unit
from ..writes.groups import StepState
from .text import clean, literal

STATE_MARKS = {StepState.SENDING: ("…", "yellow"), StepState.DONE: ("✓", "green"), StepState.PRESENT: ("✓", "green"),
               StepState.SKIPPED: ("–", "dim"), StepState.FAILED: ("✗", "bold red"),
               StepState.UNKNOWN: ("?", "bold red"), StepState.ABSENT: ("✗", "bold red")}


#: What the plan pane shows: the time plan (None until minutes, labor and end are in), the timers, the parts and fees.
Plan = tuple[TimePlan | None, tuple[TimerCharge, ...], tuple[ItemPlan, ...]]


class PlanPane(Static):
    """The time plan: product, quantity, rate and total, each with its reason, and what Syncro's product says
    that the rate table does not."""

    #: The time plan, the timers charged and the parts and fees (``BillingScreen.plan``).
    plan: reactive[Plan] = reactive((None, (), ()))
    #: The ticket and the customer are read.
    read: reactive[bool] = reactive(False)
    #: Where Syncro's product differs from the rate table's (``SyncroApp.check_products``).
    differences: reactive[tuple[str, ...]] = reactive(())

    def watch_plan(self) -> None:
        self.update(self.view())

    def watch_read(self) -> None:
        self.update(self.view())

    def watch_differences(self) -> None:
        self.update(self.view())

    def view(self) -> RichGroup | Text:
        time, timers, items = self.plan
        if time is None:
            if not self.read:
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
        for charge in timers:
            grid.add_row("Timer", literal(f"{charge.quantity} × {charge.rate.name} = {dollars(charge.total)}"))
        for item in items:
            grid.add_row("Part / fee", literal(f"{item.quantity} × {item.name} = {dollars(item.total)}"
                                               f"{' + tax' if item.taxable else ''}"))
        if (items or timers) and time.prepaid_before is None:  # with a block, the invoice check says
            run = time.charged + sum((i.total for i in items), Decimal(0)) + sum((t.total for t in timers), Decimal(0))
            grid.add_row("Run adds", Text(f"{dollars(run)}" + (" before tax" if any(i.taxable for i in items)
                                                              else ""), style="bold"))
        reasons = Text("\n".join("• " + r for r in time.reasons))
        parts: list[RenderableType] = [Text("The plan", style="bold underline"), grid, Text(""), reasons]
        if self.differences:
            parts.append(Text("\n".join("⚠ " + d for d in self.differences), style="bold yellow"))
        return RichGroup(*parts)


class ChecksPane(Static):
    """The review checklist, each check with its reason."""

    checks: reactive[tuple[Check, ...]] = reactive(())

    def watch_checks(self, checks: tuple[Check, ...]) -> None:
        out = Text()
        if checks:
            out.append("\nReview checklist\n", style="bold underline")
        for check in checks:
            out.append("✓ " if check.passed else "✗ ", style="green" if check.passed else "bold red")
            out.append(check.name, style="" if check.passed else "bold red")
            out.append(f": {clean(check.reason)}\n", style="dim")
        self.update(out)


class ItemsPane(Static):
    """The parts and fees of the run, or how to add one."""

    items: reactive[tuple[ItemPlan, ...]] = reactive(())

    def watch_items(self, items: tuple[ItemPlan, ...]) -> None:
        out = Text()
        if items:
            out.append("Parts and fees (ctrl+o adds or removes)\n", style="bold")
            for item in items:
                out.append(f"• {item.quantity} × ")
                out.append_text(literal(item.name))
                out.append(f" at {dollars(item.price_retail)} = {dollars(item.total)}, "
                           f"{'taxable' if item.taxable else 'not taxable'}\n")
        else:
            out.append("ctrl+o adds a part or a flat fee to this run", style="dim italic")
        self.update(out)


class ProgressPane(Static):
    """Each call of the run being sent, with its state as the write path reports it."""

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        #: The run being sent, as previews, and each step's latest state and message.
        self.steps: list[dict[str, Any]] = []
        self.states: dict[int, tuple[StepState, str]] = {}

    def start(self, steps: list[dict[str, Any]]) -> None:
        self.steps, self.states = steps, {}

    def progress(self, seq: int, state: StepState, message: str, path: str | None = None, /) -> None:
        """A step's state (``writes.path.Progress``); its path as sent, once the ids it needed are known."""
        self.states[seq] = (state, message)
        if path is not None:
            self.steps[seq] = {**self.steps[seq], "path": path}
        self.show()

    def show(self, tail: Text | None = None) -> None:
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
        self.update(out)
