"""Training lessons (issue 21): the lesson file's format, checked, and the judging of what the trainee did (no I/O).

A lesson is a TOML file (``syncro_tui/lessons/*.toml`` ship with the app; a
shop adds its own in the data directory's ``lessons/``)::

    title = "Remote time"
    goal = "Bill {ticket} ({customer}): 45 minutes of remote work. Resolve and invoice it."
    why = "Why the rule exists, said at the end."
    path = "timer"              # the billing path it teaches: timer, line_item, or either (the default)
    key = "demo-key"            # optional: whose key the trainee works with (another tech's, for that lesson)
    zero_price = false          # optional: the charged line arrives at $0.00, as Syncro sometimes does

    [ticket]                    # the lesson's ticket, made fresh on the simulator
    customer = "Marigold Bakery"    # a customer of the simulator's data, by name
    subject = "Outlook asks for the password again"
    prepay_hours = "10.0"       # optional: the customer's prepaid block
    timers = [{ minutes = 60, labor = "remote" }]   # optional: timers already on it, not charged

    [[faults]]                  # optional: how Syncro goes wrong, at which call
    kind = "drop"               # timeout, drop, 500, garbage, 429, latency
    route = "create_invoice"
    when = "after"              # the write lands, the answer is lost

    [[checks]]                  # what decides it, read from Syncro afterwards
    what = "line"               # line, no_line, invoices, status, timers_charged, no_timer, nothing_written,
                                # comments_safe, public_comment
    labor = "remote"            # line / no_line: the rate table's product for a labor type,
                                # or product = 880103 (a part or fee; name = "…" to show it by name)
    quantity = "0.75"
    price = "150.00"
    taxable = false             # line: optional, the line's taxable flag
    wrong = "Said when the check fails: what went wrong, in plain words."

An amount in a text is computed from the shop's rate table, never typed (a typed
one was wrong, and a shop's own rates make any typed one wrong): ``{$onsite}`` is
the onsite rate, ``{$3.00 × emergency}`` is 3.00 h of it ("$787.50").

``parse`` turns the text into a ``Lesson`` or raises ``LessonProblem`` saying
which file, which field and what to write instead; ``judge`` decides each check
from the ticket and its invoices as Syncro holds them afterwards.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ..api.models import Invoice, Ticket
from .comment import not_for_customers
from .money import dollars
from .rates import BillingPath, LaborType, RateTable

CHECKS = ("line", "no_line", "invoices", "status", "timers_charged", "no_timer", "nothing_written", "comments_safe",
          "public_comment")
#: The billing path a lesson teaches (docs/rules.md §7.2); "either": the lesson holds on both.
PATHS = (*(p.value for p in BillingPath), "either")
FAULT_KINDS = ("timeout", "drop", "500", "garbage", "429", "latency")
LABOR = tuple(t.value for t in LaborType)


class LessonProblem(ValueError):
    """A lesson file that cannot be used; the message names the file and the field."""


#: ``{$onsite}`` or ``{$3.00 × emergency}`` in a lesson's text: an amount from the rate table.
AMOUNT = re.compile(r"\{\$(?:(?P<quantity>\d+(?:\.\d+)?) ?× ?)?(?P<labor>[a-z]+)\}")


def amounts(text: str, rates: RateTable) -> str:
    """The text with each ``{$…}`` replaced by its amount at the shop's rates."""
    def amount(found: re.Match[str]) -> str:
        rate = rates.for_type(LaborType(found["labor"])).price_retail
        return dollars(rate * Decimal(found["quantity"] or 1))
    return AMOUNT.sub(amount, text)


def _amounts_known(text: str, where: str) -> str:
    """A ``{$…}`` naming no labor type, or a ``{$`` not in the form, is said when the file is read, not in a report."""
    for found in AMOUNT.finditer(text):
        if found["labor"] not in LABOR:
            raise LessonProblem(f"{where}: {found[0]} names no labor type; one of {', '.join(LABOR)}")
    if AMOUNT.sub("", text).count("{$"):
        raise LessonProblem(f"{where}: an amount is written {{$onsite}} or {{$3.00 × onsite}}")
    return text


@dataclass(frozen=True)
class Check:
    what: str
    wrong: str
    labor: LaborType | None = None
    quantity: Decimal | None = None
    price: Decimal | None = None
    count: int | None = None
    total: Decimal | None = None
    status: str | None = None
    #: line / no_line: a product that is not labor (a part, a fee), by id; ``name`` only to say it.
    product: int | None = None
    name: str | None = None
    taxable: bool | None = None

    def product_id(self, rates: RateTable) -> int | None:
        return rates.for_type(self.labor).product_id if self.labor else self.product

    def words(self, rates: RateTable) -> str:
        """What the check asks for, in words (what went right, when it passes)."""
        product = (rates.for_type(self.labor).name if self.labor
                   else self.name or f"product {self.product}" if self.product is not None else "")
        if self.what == "line":
            said = [f"{self.quantity} ×" if self.quantity is not None else "", product,
                    f"at {dollars(self.price)}" if self.price is not None else "",
                    {True: "taxable", False: "not taxable", None: ""}[self.taxable]]
            return "A line of " + " ".join(s for s in said if s)
        if self.what == "no_line":
            return f"No line of {product}"
        if self.what == "invoices":
            return (f"{self.count if self.count is not None else 1} invoice"
                    f"{'' if (self.count or 1) == 1 else 's'}"
                    + (f" of {dollars(self.total)}" if self.total is not None else ""))
        if self.what == "status":
            return f"Status {self.status}"
        return {"timers_charged": "Every timer charged", "no_timer": "No timer: the labor is a line item",
                "nothing_written": "Nothing written under another tech's name",
                "comments_safe": "Nothing secret in a comment the customer sees",
                "public_comment": "A comment the customer sees"}[self.what]


@dataclass(frozen=True)
class Timer:
    minutes: int
    labor: LaborType


@dataclass(frozen=True)
class Fault:
    kind: str
    route: str | None = None
    when: str = "before"
    times: int = 1


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    goal: str
    why: str
    customer: str
    subject: str
    checks: tuple[Check, ...]
    key: str = "demo-key"
    zero_price: bool = False
    prepay_hours: Decimal | None = None
    timers: tuple[Timer, ...] = ()
    faults: tuple[Fault, ...] = ()
    #: The billing path it teaches; None: either (it holds on both).
    path: BillingPath | None = None

    def for_path(self, path: BillingPath) -> bool:
        """Whether a shop billing by ``path`` takes this lesson."""
        return self.path is None or self.path is path

    def goal_for(self, number: int) -> str:
        return self.goal.replace("{ticket}", f"#{number}").replace("{customer}", self.customer)


def _decimal(value: Any, where: str) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise LessonProblem(f"{where}: {value!r} is not a number (write it as a string, e.g. \"0.75\")") from None


def _labor(value: Any, where: str) -> LaborType:
    if value not in LABOR:
        raise LessonProblem(f"{where}: {value!r} is not a labor type; one of {', '.join(LABOR)}")
    return LaborType(value)


def _text(data: Mapping[str, Any], name: str, where: str, *, required: bool = True) -> str:
    value = data.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise LessonProblem(f"{where}: {name} is required, as text")
    return _amounts_known(value.strip(), f"{where}: {name}")


def parse(text: str, *, name: str) -> Lesson:
    """The lesson in ``text`` (from the file ``name``), checked; LessonProblem says what is wrong and where."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LessonProblem(f"{name}: not valid TOML ({exc})") from None
    lesson_id = str(data.get("id") or name.rsplit("/", 1)[-1].removesuffix(".toml"))
    known = {"id", "title", "goal", "why", "path", "key", "zero_price", "ticket", "faults", "checks"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise LessonProblem(f"{name}: unknown field {unknown[0]!r}; a lesson has {', '.join(sorted(known))}")
    ticket = data.get("ticket")
    if not isinstance(ticket, dict):
        raise LessonProblem(f"{name}: [ticket] is required: the customer (by name) and the subject")
    _known(ticket, TICKET_FIELDS, f"{name}: [ticket]")
    timers = []
    for n, timer in enumerate(ticket.get("timers") or [], 1):
        where = f"{name}: ticket.timers[{n}]"
        if not isinstance(timer, dict) or not isinstance(timer.get("minutes"), int) or timer["minutes"] <= 0:
            raise LessonProblem(f"{where}: minutes must be a whole number above 0")
        timers.append(Timer(timer["minutes"], _labor(timer.get("labor"), where)))
    faults = []
    for n, fault in enumerate(data.get("faults") or [], 1):
        where = f"{name}: faults[{n}]"
        if not isinstance(fault, dict) or fault.get("kind") not in FAULT_KINDS:
            raise LessonProblem(f"{where}: kind must be one of {', '.join(FAULT_KINDS)}")
        if fault.get("when", "before") not in ("before", "after"):
            raise LessonProblem(f"{where}: when must be before or after")
        faults.append(Fault(fault["kind"], fault.get("route"), fault.get("when", "before"), int(fault.get("times", 1))))
    raw_checks = data.get("checks")
    if not isinstance(raw_checks, list) or not raw_checks:
        raise LessonProblem(f"{name}: at least one [[checks]] is required: without them nothing decides the lesson")
    checks = [_check(c, f"{name}: checks[{n}]") for n, c in enumerate(raw_checks, 1)]
    prepay = ticket.get("prepay_hours")
    path = data.get("path", "either")
    if path not in PATHS:
        raise LessonProblem(f"{name}: path {path!r} is not a billing path; one of {', '.join(PATHS)}")
    return Lesson(path=None if path == "either" else BillingPath(path), id=lesson_id, title=_text(data, "title", name), goal=_text(data, "goal", name),
                  why=_text(data, "why", name), customer=_text(ticket, "customer", f"{name}: [ticket]"),
                  subject=_text(ticket, "subject", f"{name}: [ticket]"), checks=tuple(checks),
                  key=str(data.get("key") or "demo-key"), zero_price=bool(data.get("zero_price", False)),
                  prepay_hours=_decimal(prepay, f"{name}: ticket.prepay_hours") if prepay is not None else None,
                  timers=tuple(timers), faults=tuple(faults))


CHECK_FIELDS = {"what", "wrong", "labor", "product", "name", "quantity", "price", "taxable", "count", "total", "status"}
TICKET_FIELDS = {"customer", "subject", "prepay_hours", "timers"}


def _known(data: Mapping[str, Any], fields: set[str], where: str) -> None:
    """A misspelt field is never skipped in silence: a check without its quantity would pass any quantity."""
    unknown = sorted(set(data) - fields)
    if unknown:
        raise LessonProblem(f"{where}: unknown field {unknown[0]!r}; one of {', '.join(sorted(fields))}")


def _check(data: Any, where: str) -> Check:
    if not isinstance(data, dict) or data.get("what") not in CHECKS:
        raise LessonProblem(f"{where}: what must be one of {', '.join(CHECKS)}")
    _known(data, CHECK_FIELDS, where)
    what = data["what"]
    wrong = _text(data, "wrong", where)
    labor = product = None
    if what in ("line", "no_line"):
        if "product" in data:
            if "labor" in data:
                raise LessonProblem(f"{where}: a line is of a labor type or of a product, not both")
            if not isinstance(data["product"], int) or isinstance(data["product"], bool):
                raise LessonProblem(f"{where}: product must be a product id, a whole number (product = 880103)")
            product = data["product"]
        elif "labor" in data:
            labor = _labor(data["labor"], where)
        else:
            raise LessonProblem(f"{where}: a {what} check needs labor = \"remote\" (a labor type) or product = 880103")
    if "taxable" in data and not isinstance(data["taxable"], bool):
        raise LessonProblem(f"{where}: taxable must be true or false")
    if what == "status" and not isinstance(data.get("status"), str):
        raise LessonProblem(f"{where}: a status check needs status = \"…\"")
    return Check(what=what, wrong=wrong, labor=labor, product=product,
                 name=str(data["name"]) if "name" in data else None, taxable=data.get("taxable"),
                 quantity=_decimal(data["quantity"], where) if "quantity" in data else None,
                 price=_decimal(data["price"], where) if "price" in data else None,
                 count=int(data["count"]) if "count" in data else None,
                 total=_decimal(data["total"], where) if "total" in data else None,
                 status=data.get("status"))


# ------------------------------------------------------------------ judging
@dataclass(frozen=True)
class Afterwards:
    """The lesson's ticket as Syncro holds it after the trainee is done, and its invoices."""

    ticket: Ticket
    invoices: tuple[Invoice, ...]
    #: What the lesson's setup put on the ticket, so "nothing written" sees only the trainee's.
    comments_before: int = 0
    timers_before: int = 0


@dataclass(frozen=True)
class Result:
    check: Check
    passed: bool
    said: str
    #: What the check asked for, in words.
    asked: str = ""


@dataclass(frozen=True)
class Verdict:
    lesson: Lesson
    results: tuple[Result, ...] = field(default_factory=tuple)
    #: The lesson's why, its amounts at the shop's rates.
    why: str = ""

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def mistakes(self) -> list[str]:
        """What each failed check asked for, in words (the trainer's report counts them): "A line of 3.00 ×
        Labor - Onsite Business at $175.00", not the check's kind ("line")."""
        return [r.asked for r in self.results if not r.passed]

    def report(self) -> list[str]:
        out = [f"{self.lesson.title}: {'PASSED' if self.passed else 'NOT PASSED'}"]
        out += [f"  ✓ {r.said}" for r in self.results if r.passed]
        out += [f"  ✗ {r.said}" for r in self.results if not r.passed]
        out.append(f"  Why: {self.why or self.lesson.why}")
        return out


def judge(lesson: Lesson, after: Afterwards, rates: RateTable) -> Verdict:
    return Verdict(lesson, tuple(_result(c, after, rates) for c in lesson.checks), why=amounts(lesson.why, rates))


def _result(check: Check, after: Afterwards, rates: RateTable) -> Result:
    passed, asked = _passes(check, after, rates), check.words(rates)
    return Result(check, passed, asked if passed else amounts(check.wrong, rates), asked)


def _passes(check: Check, after: Afterwards, rates: RateTable) -> bool:
    ticket = after.ticket
    product = check.product_id(rates)
    lines = [li for li in ticket.line_items if li.product_id == product]
    if check.what == "line":
        return any((check.quantity is None or li.quantity == check.quantity)
                   and (check.price is None or li.price_retail == check.price)
                   and (check.taxable is None or li.taxable is check.taxable) for li in lines) and len(lines) == 1
    if check.what == "no_line":
        return not lines
    if check.what == "invoices":
        count_ok = len(after.invoices) == (check.count if check.count is not None else 1)
        return count_ok and (check.total is None or all(i.total == check.total for i in after.invoices))
    if check.what == "status":
        return ticket.status == check.status
    if check.what == "timers_charged":
        return bool(ticket.ticket_timers) and all(t.recorded for t in ticket.ticket_timers)
    if check.what == "no_timer":
        return len(ticket.ticket_timers) == after.timers_before
    if check.what == "nothing_written":
        return (len(ticket.comments) == after.comments_before and len(ticket.ticket_timers) == after.timers_before
                and not ticket.line_items)
    if check.what == "comments_safe":
        return not any(not c.hidden and not_for_customers(c.body or "") for c in ticket.comments)
    if check.what == "public_comment":
        return any(not c.hidden for c in ticket.comments[after.comments_before:])
    raise AssertionError(check.what)

