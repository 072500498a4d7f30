"""Hints on a billing plan from the hours it was worked in (docs/rules.md §7): after hours, emergency in hours."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from ..api.models import BusinessHours
from .rates import LaborType
from .when import Booking, outside_hours
from .billing import TimePlan


#: Labor that has an after-hours product to go to.
DAYTIME_LABOR = frozenset({LaborType.REMOTE, LaborType.ONSITE, LaborType.IN_SHOP, LaborType.WEBSITE})


@dataclass(frozen=True)
class Hint:
    """Something the shop's hours or the customer's block say about the labor type chosen: the tech ticks it
    (the plan is right as it is) or changes the plan. Never a silent change."""

    kind: str
    text: str

    @property
    def title(self) -> str:
        return HINT_TITLES[self.kind]


HINT_TITLES = {"after_hours": "Outside business hours", "emergency_in_hours": "Emergency inside business hours",
               "project_no_block": "Project labor without a prepaid block",
               "project_paid": "Project labor bills nothing"}


def hints(plan: TimePlan, *, hours: Sequence[BusinessHours], tz: ZoneInfo) -> list[Hint]:
    """After-hours work at a daytime rate, emergency inside business hours, project labor that bills nothing
    (without a block where the shop's project product debits one; always where it does not)."""
    out = []
    work = Booking(plan.end_at - timedelta(minutes=plan.minutes), plan.end_at)
    start, end = (t.astimezone(tz) for t in (work.start, work.end))
    when = f"{start:%a %d %b %H:%M}–{end:%H:%M}"
    outside = outside_hours(work, hours, tz)
    if plan.labor_type in DAYTIME_LABOR and outside:
        out.append(Hint("after_hours", f"{outside} The work was {when}. After-hours work is usually billed as "
                                       "Emergency / after hours: choose it, or tick this if this rate is right."))
    if plan.labor_type is LaborType.EMERGENCY and hours and outside is None:
        out.append(Hint("emergency_in_hours", f"Emergency at {when}, inside business hours: tick this if it was an "
                                              "emergency all the same, or choose the normal labor type."))
    if plan.labor_type is LaborType.PROJECT and plan.rate.debits_prepaid and plan.prepaid_before is None:
        out.append(Hint("project_no_block", "Prepaid project labor is $0.00 and comes off a prepaid block, and this "
                                            "customer has none: the work would go unbilled. Tick this only if it is "
                                            "paid some other way."))
    elif plan.labor_type is LaborType.PROJECT and not plan.rate.debits_prepaid:
        out.append(Hint("project_paid", "Prepaid project labor is $0.00 and comes off no prepaid block: it bills "
                                        "nothing. Tick this if the project was paid for up front; otherwise choose "
                                        "the labor type the work was."))
    return out
