"""Hours-aware hints (issue 20): after-hours work, emergency inside hours, project labor without a block.

Each hint is something the tech ticks or acts on, never a silent change of the plan.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from syncro_tui.api.models import BusinessHours
from syncro_tui.domain.hints import DAYTIME_LABOR, hints
from syncro_tui.domain.billing import plan_time
from syncro_tui.domain.billing_form import BillingForm, review
from syncro_tui.domain.rates import LaborType, RateTable

CHICAGO = ZoneInfo("America/Chicago")
HOURS = [BusinessHours(day=d, start="08:00", end="17:00", closed=d in ("Saturday", "Sunday"))
         for d in ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")]
# Work that ended at these local times (2026-12-01 is a Tuesday), and whether it was all inside business hours.
ENDS = {
    "tuesday 14:10": (datetime(2026, 12, 1, 14, 10, tzinfo=CHICAGO), True),
    "tuesday 08:30 after an hour from 07:30": (datetime(2026, 12, 1, 8, 30, tzinfo=CHICAGO), False),
    "tuesday 17:30": (datetime(2026, 12, 1, 17, 30, tzinfo=CHICAGO), False),
    "saturday 22:00": (datetime(2026, 12, 5, 22, 0, tzinfo=CHICAGO), False),
    "sunday noon": (datetime(2026, 12, 6, 12, 0, tzinfo=CHICAGO), False),
    "monday 17:00 sharp": (datetime(2026, 12, 7, 17, 0, tzinfo=CHICAGO), True),
}


@pytest.mark.parametrize("prepaid", [None, Decimal("10")])
@pytest.mark.parametrize("end", list(ENDS))
@pytest.mark.parametrize("labor", list(LaborType))
def test_every_labor_type_at_every_kind_of_hour(labor, end, prepaid) -> None:
    ended, inside = ENDS[end]
    plan = plan_time(60, labor, ended_at=ended, prepay_hours=prepaid, rates=RateTable())
    kinds = [h.kind for h in hints(plan, hours=HOURS, tz=CHICAGO)]
    expected = []
    if labor in DAYTIME_LABOR and not inside:
        expected.append("after_hours")
    if labor is LaborType.EMERGENCY and inside:
        expected.append("emergency_in_hours")
    if labor is LaborType.PROJECT:
        expected.append("project_paid")  # the shipped project product debits no block: it bills nothing
    assert kinds == expected
    # A hint changes nothing in the plan: the tech decides.
    assert plan == plan_time(60, labor, ended_at=ended, prepay_hours=prepaid, rates=RateTable())


def test_the_hint_says_why_in_the_accounts_words() -> None:
    saturday = plan_time(60, LaborType.ONSITE, ended_at=datetime(2026, 12, 5, 22, tzinfo=CHICAGO), prepay_hours=None,
                         rates=RateTable())
    (hint,) = hints(saturday, hours=HOURS, tz=CHICAGO)
    assert hint.text.startswith("The shop is closed on Saturdays. The work was Sat 05 Dec 21:00–22:00. After-hours work "
                                "is usually billed as Emergency / after hours")
    tuesday = plan_time(60, LaborType.EMERGENCY, ended_at=datetime(2026, 12, 1, 14, 10, tzinfo=CHICAGO),
                        prepay_hours=None, rates=RateTable())
    (hint,) = hints(tuesday, hours=HOURS, tz=CHICAGO)
    assert hint.text.startswith("Emergency at Tue 01 Dec 13:10–14:10, inside business hours")


def test_unknown_business_hours_give_no_hours_hint() -> None:
    plan = plan_time(60, LaborType.EMERGENCY, ended_at=datetime(2026, 12, 1, 14, tzinfo=CHICAGO), prepay_hours=None,
                     rates=RateTable())
    assert hints(plan, hours=[], tz=CHICAGO) == []


def test_the_run_waits_until_each_hint_is_ticked_and_asks_again_when_it_says_something_new() -> None:
    from .test_billing_form import situation  # the ticket and customer the form tests bill

    now = datetime(2026, 12, 6, 12, 0, tzinfo=CHICAGO)
    form = BillingForm(minutes="60", labor="onsite", ended="2026-12-05 22:00", description="Server down",
                       comment="Brought the server back.")
    first = review(form, situation(), rates=RateTable(), now=now, tz=CHICAGO, hours=HOURS)
    assert first.run is None and first.problems["hints"] == "Outside business hours: tick the hint, or change the plan."
    form.ticked = {first.hints[0].text}
    assert review(form, situation(), rates=RateTable(), now=now, tz=CHICAGO, hours=HOURS).run is not None
    form.ended = "2026-12-05 23:00"  # another time: the hint says something else, so it asks again
    assert "hints" in review(form, situation(), rates=RateTable(), now=now, tz=CHICAGO, hours=HOURS).problems
    form.labor = "emergency"  # or the tech takes the hint
    assert review(form, situation(), rates=RateTable(), now=now, tz=CHICAGO, hours=HOURS).run is not None


def test_which_products_debit_a_block_is_the_shops_to_declare() -> None:
    """The shipped project product debits no block (verified by the shop); a shop whose does declares it."""
    from dataclasses import replace

    shipped = RateTable()
    ended = datetime(2026, 12, 1, 14, 10, tzinfo=CHICAGO)
    on_block = plan_time(120, LaborType.PROJECT, ended_at=ended, prepay_hours=Decimal("10"), rates=shipped)
    assert (on_block.prepaid_applied, on_block.prepaid_after) == (0, Decimal("10"))
    assert "do not come off a prepaid block" in on_block.reasons[1]
    declared = RateTable(tuple(replace(r, debits_prepaid=True) if r.labor_type is LaborType.PROJECT else r
                               for r in shipped.rates))
    debited = plan_time(120, LaborType.PROJECT, ended_at=ended, prepay_hours=Decimal("10"), rates=declared)
    assert (debited.prepaid_applied, debited.prepaid_after) == (Decimal("2.00"), Decimal("8.00"))
    assert "come off the customer's prepaid block" in debited.reasons[1]
    no_block = plan_time(120, LaborType.PROJECT, ended_at=ended, prepay_hours=None, rates=declared)
    assert [h.kind for h in hints(no_block, hours=HOURS, tz=CHICAGO)] == ["project_no_block"]
