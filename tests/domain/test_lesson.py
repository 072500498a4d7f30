"""Lesson files (issue 21): a wrong file says which file, which field and what to write; nothing starts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from syncro_tui.domain.lesson import LessonProblem, parse
from syncro_tui.domain.rates import LaborType

GOOD = '''
title = "Remote time"
goal = "Bill {ticket} for {customer}."
why = "Because."
[ticket]
customer = "Marigold Bakery"
subject = "Outlook"
prepay_hours = "4.0"
timers = [{ minutes = 60, labor = "onsite" }]
[[faults]]
kind = "drop"
route = "create_invoice"
when = "after"
[[checks]]
what = "line"
labor = "remote"
quantity = "0.75"
wrong = "Not 0.75 h of remote."
'''


def test_a_good_lesson_reads_whole() -> None:
    lesson = parse(GOOD, name="lessons/remote.toml")
    assert lesson.id == "remote" and lesson.goal_for(31999) == "Bill #31999 for Marigold Bakery."
    assert lesson.prepay_hours == Decimal("4.0") and lesson.timers[0].labor is LaborType.ONSITE
    assert (lesson.faults[0].kind, lesson.faults[0].when) == ("drop", "after")
    assert (lesson.checks[0].labor, lesson.checks[0].quantity) == (LaborType.REMOTE, Decimal("0.75"))


@pytest.mark.parametrize(("change", "said"), [
    (lambda t: t.replace('title = "Remote time"', ""), "mine.toml: title is required, as text"),
    (lambda t: "bogus = 1\n" + t, "mine.toml: unknown field 'bogus'"),
    (lambda t: t.replace('quantity = "0.75"', 'quantitiy = "0.75"'), "mine.toml: checks[1]: unknown field 'quantitiy'"),
    (lambda t: t.replace('subject = "Outlook"', 'subjcet = "Outlook"'), "mine.toml: [ticket]: unknown field 'subjcet'"),
    (lambda t: t.replace('labor = "remote"', 'labor = "remote-ish"'),
     "mine.toml: checks[1]: 'remote-ish' is not a labor type; one of remote, onsite"),
    (lambda t: t.replace('what = "line"', 'what = "vibes"'), "mine.toml: checks[1]: what must be one of line, no_line"),
    (lambda t: t.replace('quantity = "0.75"', 'quantity = "three"'), "'three' is not a number"),
    (lambda t: t.replace('kind = "drop"', 'kind = "gremlin"'), "mine.toml: faults[1]: kind must be one of"),
    (lambda t: t.replace("minutes = 60", "minutes = 0"), "ticket.timers[1]: minutes must be a whole number above 0"),
    (lambda t: t.replace('wrong = "Not 0.75 h of remote."', ""), "checks[1]: wrong is required"),
    (lambda t: t.split("[[checks]]")[0], "at least one [[checks]] is required"),
    (lambda t: t.replace("[ticket]", "[tickets]"), "unknown field 'tickets'"),
    (lambda t: t.replace('title = "Remote time"', 'title = "Remote time"\npath = "lines"'),
     "mine.toml: path 'lines' is not a billing path; one of timer, line_item, either"),
    (lambda t: t.replace('title = "Remote time"', 'title = "Remote'), "mine.toml: not valid TOML"),
    (lambda t: t.replace('labor = "remote"', ""), 'checks[1]: a line check needs labor = "remote" (a labor type) or '
                                                  "product = 880103"),
    (lambda t: t.replace('labor = "remote"', 'labor = "remote"\nproduct = 880103'),
     "checks[1]: a line is of a labor type or of a product, not both"),
    (lambda t: t.replace('labor = "remote"', 'product = "SSD"'), "checks[1]: product must be a product id"),
    (lambda t: t.replace('quantity = "0.75"', 'quantity = "0.75"\ntaxable = "yes"'),
     "checks[1]: taxable must be true or false"),
    (lambda t: t.replace('wrong = "Not 0.75 h of remote."', 'wrong = "Not {$0.75 × remotely}."'),
     "checks[1]: wrong: {$0.75 × remotely} names no labor type"),
    (lambda t: t.replace('wrong = "Not 0.75 h of remote."', 'wrong = "Not {$0.75 remote}."'),
     "checks[1]: wrong: an amount is written {$onsite} or {$3.00 × onsite}"),
])
def test_a_wrong_lesson_says_where_and_what(change, said) -> None:
    with pytest.raises(LessonProblem) as caught:
        parse(change(GOOD), name="mine.toml")
    assert said in str(caught.value)


def test_a_part_is_checked_by_its_product_quantity_price_and_tax() -> None:
    from syncro_tui.api.models import Ticket
    from syncro_tui.domain.lesson import Afterwards, judge
    from syncro_tui.domain.rates import RateTable

    lesson = parse(GOOD.replace('labor = "remote"', 'product = 880103\nname = "SSD"\ntaxable = true')
                   .replace('quantity = "0.75"', 'quantity = "2"\nprice = "129.00"'), name="part.toml")

    def after(taxable: bool, product: int = 880103) -> Afterwards:
        return Afterwards(Ticket.model_validate({
            "id": 1, "number": 31999, "subject": "Drives", "status": "Invoiced", "customer_id": 7,
            "created_at": "2026-11-19T09:00:00-06:00", "updated_at": "2026-11-19T09:00:00-06:00",
            "line_items": [{"id": 5, "product_id": product, "name": "SSD", "quantity": "2.0", "price_retail": "129.0",
                            "taxable": taxable}]}), ())

    assert judge(lesson, after(True), RateTable()).passed
    assert judge(lesson, after(True), RateTable()).report()[1] == "  ✓ A line of 2 × SSD at $129.00 taxable"
    assert not judge(lesson, after(False), RateTable()).passed
    assert not judge(lesson, after(True, product=880104), RateTable()).passed


def test_a_lessons_amounts_are_computed_at_the_shops_rates() -> None:
    from dataclasses import replace

    from syncro_tui.domain.lesson import amounts
    from syncro_tui.domain.rates import RateTable

    rates = RateTable()
    said = amounts("{$3.00 × emergency} for what should be {$3.00 × onsite}; {$remote} an hour", rates)
    assert said == "$787.50 for what should be $525.00; $150.00 an hour"
    dearer = RateTable(rates=tuple(replace(r, price_retail=Decimal("200.00"))
                                   if r.labor_type is LaborType.ONSITE else r for r in rates.rates))
    assert amounts("{$3.00 × onsite}", dearer) == "$600.00"  # a shop's own rate, not a typed figure


def test_every_amount_a_shipped_lesson_says_is_computed_or_checked() -> None:
    """Issue 33: a lesson's why said $437.50 against $262.50 for a case whose answer is $525.00. Each amount in a
    shipped lesson's words is now a {$…} computed from the rate table, or one its own checks decide (a check's
    price or total, which judging holds the trainee to); a labor line's price is the rate table's."""
    import re

    from syncro_tui.domain.lesson import AMOUNT
    from syncro_tui.domain.rates import RateTable
    from syncro_tui.training import lessons

    rates = RateTable()
    found, problems = lessons()
    assert not problems and found
    for lesson in found.values():
        decided = {Decimal("0.00")} | {a for c in lesson.checks for a in (c.price, c.total) if a is not None}
        for check in lesson.checks:
            if check.labor is not None and check.price is not None:
                assert check.price == rates.for_type(check.labor).price_retail, (lesson.id, check)
        for text in (lesson.goal, lesson.why, *(c.wrong for c in lesson.checks)):
            typed = {Decimal(a.replace(",", "")) for a in re.findall(r"\$([\d,]+\.\d\d)", AMOUNT.sub("", text))}
            assert typed <= decided, (lesson.id, text, typed - decided)
