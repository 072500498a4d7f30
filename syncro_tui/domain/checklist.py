"""The review checklist of a billing run (docs/rules.md §7): each rule a line the tech sees pass or fail."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .comment import not_for_customers
from .money import HUNDREDTH, dollars, money
from .rates import LaborType, RateTable, Unit
from .billing import EMERGENCY_PREPAID_FACTOR, hours, hours_text, TimePlan


LIST_TAG = re.compile(r"(?i)<\s*/?\s*(?:ul|ol|li)\b")


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    reason: str


def checklist(plan: TimePlan, rates: RateTable, *, comment_body: str, customer_visible: bool) -> list[Check]:
    """docs/rules.md §7's review checklist, each with pass or fail and why."""
    expected_price = rates.for_product(plan.rate.product_id)
    worked = hours(plan.minutes, rates.rounding)
    prepaid_emergency = plan.labor_type is LaborType.EMERGENCY and plan.prepaid_before is not None
    factor = EMERGENCY_PREPAID_FACTOR if prepaid_emergency else 1
    checks = [
        Check("Price matches the rate table",
              expected_price is not None and expected_price.price_retail == plan.price,
              f"{plan.rate.name}: {dollars(plan.price)} (rate table: "
              f"{'$' + str(expected_price.price_retail) if expected_price else 'not in the table'})."),
        Check("Quantity arithmetic is exact",
              plan.quantity == (Decimal("1") if plan.rate.unit is Unit.TRIP
                                else (worked * factor).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)),
              f"{plan.minutes} min → {plan.quantity} {'trip' if plan.rate.unit is Unit.TRIP else 'h'}."),
        Check("Total = price × quantity", plan.total == money(plan.price * plan.quantity),
              f"{plan.quantity} × {dollars(plan.price)} = {dollars(plan.total)}."),
    ]
    if plan.by_line:
        checks.insert(2, Check("One line item, no timer", rates.by_line,
                               f"The shop bills labor as {rates.path.words}."))
    elif plan.trip:
        checks.insert(2, Check("Timer is the real travel time", plan.timer_hours * 60 == plan.minutes,
                               f"Timer {plan.start_at:%H:%M}–{plan.end_at:%H:%M} is {hours_text(plan.minutes)}; "
                               "the line is 1 trip."))
    else:
        checks.insert(2, Check("Timer length equals the quantity", plan.timer_hours == plan.quantity,
                               f"Timer {plan.start_at:%H:%M}–{plan.end_at:%H:%M} is {plan.timer_hours.normalize()} h."))
    if plan.labor_type is LaborType.EMERGENCY:
        onsite, emergency = rates.for_type(LaborType.ONSITE), rates.for_type(LaborType.EMERGENCY)
        right = onsite if plan.prepaid_before is not None else emergency
        checks.append(Check("Emergency uses the right product", plan.rate == right,
                            "Prepaid customer: onsite at 1.5 × the hours." if plan.prepaid_before is not None
                            else "No prepaid block: the emergency product at the hours."))
    checks.append(Check("Comment uses <br>, not lists", not LIST_TAG.search(comment_body or ""),
                        "Syncro shows list tags badly in emails: line breaks only." if LIST_TAG.search(comment_body or "")
                        else "No list tags."))
    if customer_visible:
        found = not_for_customers(comment_body)
        checks.append(Check("Nothing internal or secret in a customer-visible comment", not found,
                            "Looks like it hands over: " + "; ".join(comment_body[a:b] for a, b in found)
                            if found else "Nothing that looks like a password, key, token or internal note."))
    return checks
