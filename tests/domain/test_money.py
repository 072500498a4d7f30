"""Money always shows its cents, and counts agree with their nouns (issue 19's small things)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from syncro_tui.domain.billing import plan_time
from syncro_tui.domain.money import dollars, money
from syncro_tui.domain.rates import RateTable
from syncro_tui.domain.text import counted


def test_amounts_in_any_shape_syncro_sends_show_cents() -> None:
    assert dollars(Decimal("262.5")) == "$262.50" and dollars("112.5") == "$112.50" and dollars(40) == "$40.00"
    assert dollars(Decimal("1234.005")) == "$1,234.01" and dollars(Decimal("-5")) == "-$5.00"
    assert money(Decimal("0.125")) == Decimal("0.13")


def test_the_plans_reasons_show_cents_even_for_a_rate_typed_without_them() -> None:
    from syncro_tui.domain.rates import DEFAULT_RATES, LaborType

    rates = RateTable(tuple(replace(r, price_retail=Decimal("165")) if r.labor_type is LaborType.REMOTE else r
                            for r in DEFAULT_RATES))
    plan = plan_time(45, "remote", ended_at=datetime(2026, 12, 1, 15, tzinfo=UTC), prepay_hours=None, rates=rates)
    text = " ".join(plan.reasons)
    assert "$165.00/h" in text and "$123.75" in text and "$165/" not in text


def test_counts_agree_with_their_nouns() -> None:
    assert counted(1, "call") == "1 call" and counted(2, "call") == "2 calls" and counted(1_200, "ticket") == "1,200 tickets"
    assert counted(2, "copy", "copies") == "2 copies"
