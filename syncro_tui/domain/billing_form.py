"""The billing wizard's form: what the tech typed, checked and turned into the billing run (no I/O).

``review`` takes the form as typed, the ticket as read and the shop's rates, and
says per field what is missing or wrong, works out the time plan and its
checklist, and builds the run only when nothing stops it. The screen renders
the review and sends its plan; the command line's ``bill --plan`` reads the
same ``ended`` text through the same parser.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from . import billing
from .checklist import Check, checklist
from .hints import Hint, hints
from .parts import Parts
from .billing import ItemPlan, LongWork, MinutesProblem, TimePlan, TimerCharge
from .situation import Situation
from .comment import CommentDraft, Visibility
from .rates import BillingPath, LaborType, RateTable
from .when import WhenProblem, parse_when, typed

if TYPE_CHECKING:
    from ..api.models import BusinessHours, Timer

#: A work time this far past the clock is a typo, not a plan.
FUTURE_SLACK = timedelta(minutes=5)
PAST_HELP = "YYYY-MM-DD HH:MM, or now / today / yesterday / a weekday, then a time (yesterday 10pm)"
#: Where the screen shows each field's problem, in the order the tech meets them.
FIELDS = ("minutes", "labor", "ended", "hints", "timers", "items", "description", "comment", "ack")


@dataclass(frozen=True)
class ItemForm:
    """A part or flat fee as the tech picked it: the product as Syncro has it, the quantity, taxable said."""

    product_id: int
    name: str
    description: str
    price_retail: Decimal
    quantity: Decimal
    taxable: bool


@dataclass
class BillingForm:
    """What the tech has typed, kept per ticket for the app's run so that leaving the wizard loses nothing."""

    minutes: str = ""
    labor: str | None = None
    ended: str = ""
    description: str = ""
    subject: str = "Resolution"
    visibility: str = Visibility.PUBLIC.value
    comment: str = ""
    long_confirmed: bool = False
    acknowledged: bool = False
    #: The hints the tech ticked (by their text: a hint that says something new asks again).
    ticked: set[str] = field(default_factory=set)
    #: Parts and flat fees sold beside the time, as picked from Syncro's products.
    items: list[ItemForm] = field(default_factory=list)
    #: Timers already on the ticket the tech ticked to charge in this run.
    charge_timers: set[int] = field(default_factory=set)
    #: The Syncro timer the work was timed on (W stopped it): the run bills that timer, not new time beside it.
    live_timer: int | None = None

    @property
    def comment_draft(self) -> CommentDraft:
        return CommentDraft(self.subject, self.comment, Visibility(self.visibility))


@dataclass
class BillingReview:
    """The form worked out: the time plan when it can be made, what stops it by field, and the run when nothing does."""

    time: TimePlan | None = None
    problems: dict[str, str] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    #: The minutes are over 24 hours and not yet confirmed as right.
    long_work: bool = False
    #: What the shop's hours or the customer's block say about the labor type: each ticked, or the plan changed.
    hints: list[Hint] = field(default_factory=list)
    #: The parts and fees of the run, checked by the rules of a line item.
    items: list[ItemPlan] = field(default_factory=list)
    #: The ticket's own timers charged in this run, checked as a new timer is.
    timers: list[TimerCharge] = field(default_factory=list)
    #: The run, when nothing stops it (``writes.plans.billing_run`` makes its calls).
    run: BillingRun | None = None

    @property
    def failing(self) -> list[str]:
        return [c.name for c in self.checks if not c.passed]

    @property
    def first_problem(self) -> str | None:
        """What to tell the tech first when the run is not ready (None when it is)."""
        return self.all_problems[0] if self.all_problems else None

    @property
    def all_problems(self) -> list[str]:
        """Everything that stands between the form and a run, in the form's order, so one refusal says it all
        (empty when the run is ready)."""
        if self.run is not None:
            return []
        out = [self.problems[key] for key in FIELDS if key in self.problems]
        out += [msg for key, msg in self.problems.items() if key not in FIELDS]
        if self.failing:
            out.append(f"The checklist fails: {', '.join(self.failing)}.")
        return out or ["The ticket and customer are not read yet."]


def default_end(now: datetime, tz: ZoneInfo) -> str:
    """The end box's first value: now, as the tech would type it."""
    return typed(now, tz)


def parse_ended(text: str, *, now: datetime, tz: ZoneInfo) -> datetime:
    """When the work ended, typed in the account's zone (a weekday is the last one); never in the future."""
    try:
        ended = parse_when(text, now=now, tz=tz, past=True)
    except WhenProblem as exc:
        said = str(exc)
        if said.startswith("Write a day and a time"):
            said = f"Write {PAST_HELP}."
        elif "write" not in said.lower():  # say how, once
            said = f"{said} Write {PAST_HELP}."
        raise WhenProblem(f"When did the work end? {said}") from None
    if ended > now + FUTURE_SLACK:
        raise WhenProblem("That is in the future: bill work that has ended.")
    return ended


def as_billed(situation: Situation, form: BillingForm) -> tuple[Situation, Timer | None]:
    """The ticket as this run sees it, and the Syncro timer the work was timed on (W stopped it): that timer is
    the run's own, so it is not "a timer already on the ticket", nor is the line Syncro made when it charged it."""
    live = situation.timer(form.live_timer)
    return (situation.without(live), live) if live is not None else (situation, None)


def _minutes(text: str, long_confirmed: bool) -> tuple[int | None, str | None, bool]:
    """The minutes typed, or what is wrong with them, and whether they are over a day and not yet confirmed."""
    try:
        return billing.parse_minutes(text, long_confirmed=long_confirmed), None, False
    except LongWork as exc:
        return None, f"{exc} Tick the box below if it is.", True
    except MinutesProblem as exc:
        return None, str(exc), False


def _ended(text: str, now: datetime, tz: ZoneInfo) -> tuple[datetime | None, str | None]:
    try:
        return parse_ended(text, now=now, tz=tz), None
    except WhenProblem as exc:
        return None, str(exc)


def _comment(draft: CommentDraft) -> str | None:
    return next(iter(draft.problems()), None)


def _timers(uncharged: tuple[Timer, ...], charged: frozenset[int], rates: RateTable,
            prepaid: Decimal | None) -> tuple[list[TimerCharge], str | None]:
    out: list[TimerCharge] = []
    problem = None
    for timer in uncharged:
        if timer.id in charged:
            try:
                out.append(billing.plan_timer_charge(timer, rates, prepaid=prepaid))
            except ValueError as exc:
                problem = problem or str(exc)
    return out, problem


def _items(items: tuple[ItemForm, ...], rates: RateTable) -> tuple[list[ItemPlan], str | None]:
    out: list[ItemPlan] = []
    problem = None
    for item in items:
        try:
            out.append(billing.plan_item(name=item.name, description=item.description, quantity=item.quantity,
                                         price_retail=item.price_retail, taxable=item.taxable,
                                         product_id=item.product_id, rates=rates))
        except ValueError as exc:
            problem = problem or f"{item.name}: {exc}"
    return out, problem


def _time(minutes: int, labor: str, ended: datetime, prepaid: Decimal | None, rates: RateTable) -> TimePlan:
    return billing.plan_time(minutes, labor, ended_at=ended, prepay_hours=prepaid, rates=rates)


def _checks(time: TimePlan, rates: RateTable, body: str, visibility: Visibility) -> list[Check]:
    return checklist(time, rates, comment_body=body, customer_visible=visibility.customer_visible)


def _hints(time: TimePlan, hours: tuple[BusinessHours, ...], tz: ZoneInfo) -> list[Hint]:
    return hints(time, hours=hours, tz=tz)


def review(form: BillingForm, situation: Situation | None, *, rates: RateTable, now: datetime,
           tz: ZoneInfo, hours: Sequence[BusinessHours] = (), parts: Parts | None = None) -> BillingReview:
    """Everything the tech entered, checked by the shop's rules; the run only when nothing stops it.

    With the screen's ``parts``, a part is worked out again only when what it reads has changed: a word typed in
    the comment re-checks the comment and the checklist, never the minutes, the time plan, the timers, the parts
    and fees or the hints. "ended" reads the clock, so the screen's reviews work it out each time; when the time
    it gives is the same, the plan after it is kept as it was.
    """
    part = (parts or Parts()).begin().part
    out = BillingReview()
    live = None
    if situation is not None:
        situation, live = as_billed(situation, form)
    if live is not None:
        if live.live:
            out.problems["timers"] = f"Syncro timer {live.id} is still {live.status}: W stops it first."
        # The tech asked for a timer: it is the time, on either billing path (docs/rules.md §13).
        rates = replace(rates, path=BillingPath.TIMER)
    minutes, problem, out.long_work = part("minutes", _minutes, form.minutes, form.long_confirmed)
    if problem:
        out.problems["minutes"] = problem
    if form.labor is None:
        out.problems["labor"] = "Choose the labor type: it is never assumed."
    ended, problem = part("ended", _ended, form.ended, now, tz)
    if problem:
        out.problems["ended"] = problem
    if not form.description.strip():
        out.problems["description"] = "The billing description is required: the customer reads it on the invoice."
    comment = form.comment_draft
    if form.labor != LaborType.INTERNAL.value:
        problem = part("comment", _comment, comment)
        if problem:
            out.problems["comment"] = problem
    if situation is not None:
        timers, problem = part("timers", _timers, tuple(situation.uncharged), frozenset(form.charge_timers), rates,
                               situation.prepaid)
        out.timers = list(timers)  # the review's own list: the part's answer is kept for the next review
        if problem:
            out.problems.setdefault("timers", problem)
    if out.timers and form.labor == LaborType.INTERNAL.value:
        out.problems["timers"] = "Internal time is not invoiced, so the ticket's timers cannot be charged with it."
    if form.items and form.labor == LaborType.INTERNAL.value:
        out.problems["items"] = ("Internal time is not invoiced, so parts and fees cannot go with it: bill them "
                                 "with billed time.")
    items, problem = part("items", _items, tuple(form.items), rates)
    out.items = list(items)
    if problem:
        out.problems.setdefault("items", problem)
    if situation is not None and situation.warnings and not form.acknowledged:
        out.problems["ack"] = "Read the warnings at the top, then tick the box to bill anyway."
    if minutes is None or form.labor is None or ended is None or situation is None:
        return out
    out.time = time = part("time", _time, minutes, form.labor, ended, situation.prepaid, rates)
    out.checks = list(part("checks", _checks, time, rates, comment.body, comment.visibility))
    out.hints = list(part("hints", _hints, time, tuple(hours), tz))
    unticked = [h for h in out.hints if h.text not in form.ticked]
    if unticked:
        out.problems["hints"] = f"{unticked[0].title}: tick the hint, or change the plan."
    if out.problems or out.failing:
        return out
    out.run = BillingRun(situation, time, comment, form.description, rates, tuple(out.items),
                         tuple(out.timers), live)
    return out


@dataclass(frozen=True)
class BillingRun:
    """A billing run the review found nothing against: the ticket as the run sees it (without the Syncro timer it
    bills), the time, the comment, the invoice line's words, the rates on the run's path, the parts and fees, the
    ticket's timers charged with it and the timer the work was timed on."""

    situation: Situation
    time: TimePlan
    comment: CommentDraft
    description: str
    rates: RateTable
    items: tuple[ItemPlan, ...] = ()
    timers: tuple[TimerCharge, ...] = ()
    live: Timer | None = None
