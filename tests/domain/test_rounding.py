"""The shop's rounding (issue 20): one rule for minutes to billed hours, stated in the reasons."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from syncro_tui.config import BillingSettings, Config
from syncro_tui.domain.checklist import checklist
from syncro_tui.domain.billing import plan_time
from syncro_tui.domain.rates import LaborType, RateTable, Rounding

END = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
INCREMENTS = {"0.01 h": 0.6, "3 min": 3, "6 min": 6, "12 min": 12, "15 min": 15, "30 min": 30, "1 h": 60}


def independent(minutes: int, step_minutes: float, up: bool) -> Decimal:
    """The shop's rule read another way: whole steps of the increment, in float minutes, half up or up."""
    steps = minutes / step_minutes
    whole = math.ceil(steps - 1e-9) if up else math.floor(steps + 0.5 + 1e-9)
    return Decimal(str(round(max(whole, 1) * step_minutes / 60, 2))).quantize(Decimal("0.01"))


@pytest.mark.parametrize("direction", ["nearest", "up"])
@pytest.mark.parametrize("increment", list(INCREMENTS))
def test_every_increment_both_ways_from_1_to_480_minutes(increment, direction) -> None:
    rounding = Rounding.parse(increment, direction)
    for minutes in range(1, 481):
        billed = rounding.hours(minutes)
        assert billed == independent(minutes, INCREMENTS[increment], direction == "up"), (increment, direction, minutes)
        assert billed > 0 and billed.as_tuple().exponent == -2
        if direction == "up":
            assert billed * 60 >= minutes  # never less than the work


def test_the_default_is_the_nearest_hundredth_and_the_reason_says_so() -> None:
    assert Config().rate_table().rounding == Rounding()
    plan = plan_time(20, LaborType.REMOTE, ended_at=END, prepay_hours=None, rates=RateTable())
    assert plan.quantity == Decimal("0.33")
    assert plan.reasons[0] == "20 min → 0.33 h: the shop bills to the nearest 0.01 h."


def test_a_shop_that_bills_up_to_the_next_quarter_hour() -> None:
    rates = Config(billing=BillingSettings(increment="15 min", direction="up")).rate_table()
    plan = plan_time(20, LaborType.ONSITE, ended_at=END, prepay_hours=None, rates=rates)
    assert plan.quantity == Decimal("0.50") and plan.total == Decimal("87.50")
    assert plan.reasons[0] == "20 min → 0.50 h: the shop bills up to the next 15 min."
    # The timer still covers exactly the quantity billed, and the checklist agrees with the shop's rule.
    assert plan.timer_hours == plan.quantity and (END - plan.start_at).total_seconds() == 30 * 60
    assert all(c.passed for c in checklist(plan, rates, comment_body="Done.", customer_visible=False))
    # Prepaid emergency: 1.5 × the rounded hours.
    emergency = plan_time(20, LaborType.EMERGENCY, ended_at=END, prepay_hours=Decimal("5"), rates=rates)
    assert emergency.quantity == Decimal("0.75")


def test_short_work_is_never_rounded_to_nothing() -> None:
    rounding = Rounding.parse("15 min")
    assert rounding.hours(5) == Decimal("0.25")
    assert rounding.reason(5) == "5 min → 0.25 h: the shop bills to the nearest 15 min, and never less than one increment."
    assert "never less" not in rounding.reason(8)  # 8 min rounds to one increment anyway


@pytest.mark.parametrize("bad", ["7 min", "0.005 h", "0 min", "15", "a quarter", "-6 min"])
def test_an_increment_syncro_cannot_hold_is_refused_with_the_reason(bad) -> None:
    with pytest.raises(ValueError) as caught:
        BillingSettings(increment=bad)
    assert "increment" in str(caught.value)


def test_a_direction_other_than_nearest_or_up_is_refused() -> None:
    with pytest.raises(ValueError):
        BillingSettings(direction="down")
