"""Training (issue 21): a lesson set up on a fresh simulator, the trainee in the real screens, then judged.

``lessons`` reads the built-in lessons (``syncro_tui/lessons/*.toml``) and a
shop's own (the data directory's ``lessons/``), each checked (``domain.lesson``).
``Classroom.open`` makes the lesson's simulator: its ticket for its customer,
the customer's prepaid block, the timers already on it, the faults at their
calls. The trainee then works in the app on that simulator (with the lesson's
key); ``Classroom.afterwards`` reads the ticket and its invoices back from
Syncro's side, and ``domain.lesson.judge`` decides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

from .config import Config
from .api import requests as rq
from .demo import DEMO_USER, in_process_client, in_process_session
from .domain.lesson import Afterwards, Lesson, LessonProblem, parse
from .domain.rates import BillingPath, RateTable
from .session import Session
from .simulator import Simulator
from .simulator.routes import ROUTES

#: The calls a lesson's fault may name: the simulator's routes.
ROUTE_NAMES = frozenset(route.name for route in ROUTES)


def lessons(extra: Path | None = None, *, path: BillingPath | None = None) -> tuple[dict[str, Lesson], list[str]]:
    """Every lesson by id (built-in first; a shop's file of the same id replaces it), and what was wrong with any
    file that could not be used (said, never a crash: the others still run). With ``path``, only the lessons a
    shop billing by it takes (docs/rules.md §7.2): a line-item shop is taught lines, not timers."""
    found: dict[str, Lesson] = {}
    problems: list[str] = []
    files = [(f.name, f.read_text(encoding="utf-8")) for f in sorted(resources.files("syncro_tui.lessons").iterdir(),
                                                                      key=lambda f: f.name)
             if f.name.endswith(".toml")]
    if extra is not None and extra.is_dir():
        for file in sorted(extra.glob("*.toml")):
            try:
                files.append((str(file), file.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(f"{file}: cannot be read ({exc})")
    for name, text in files:
        try:
            lesson = parse(text, name=name)
        except LessonProblem as exc:
            problems.append(str(exc))
            continue
        unknown = sorted({f.route for f in lesson.faults if f.route is not None} - ROUTE_NAMES)
        if unknown:  # a fault that could never happen would make the lesson teach nothing, silently
            problems.append(f"{name}: faults name a call the simulator does not have ({', '.join(unknown)}); "
                            f"calls it has: {', '.join(sorted(ROUTE_NAMES))}")
            continue
        if path is None or lesson.for_path(path):
            found[lesson.id] = lesson
    return found, problems


#: The simulator's account's zone (its seed's), where a lesson's morning is (looked up when used, not at import).
ZONE_NAME = "America/Chicago"


def lesson_zone() -> ZoneInfo:
    return ZoneInfo(ZONE_NAME)


def lesson_clock(real: Callable[[], datetime] = lambda: datetime.now(UTC)) -> Callable[[], datetime]:
    """The last Tuesday before today at 10:00 in the account's zone, going on from now as ``real`` time does."""
    started = real()
    local = started.astimezone(lesson_zone())
    tuesday = local.date() - timedelta(days=(local.weekday() - 1) % 7 or 7)
    base = datetime.combine(tuesday, time(10), tzinfo=lesson_zone())
    return lambda: base + (real() - started)


@dataclass
class Classroom:
    """A lesson's simulator, and what its setup put there."""

    lesson: Lesson
    sim: Simulator
    ticket_id: int
    number: int
    comments_before: int
    timers_before: int
    clock: Callable[[], datetime]

    @classmethod
    def open(cls, lesson: Lesson, *, clock: Callable[[], datetime] | None = None, rates: RateTable = RateTable(),
             seed: int = 1) -> Classroom:
        """The lesson's simulator; LessonProblem when its customer is not in the simulator's data.

        Without ``clock`` the lesson runs on a Tuesday morning of the account's zone that goes on as real time
        does, whenever it is taken: "ended just now" is within business hours, as the lesson's goal assumes.
        """
        clock = clock or lesson_clock()
        now = clock()
        sim = Simulator(seed=seed, today=now.astimezone(lesson_zone()).date(), clock=clock, rate_limit=None,
                        zero_price_rate=1.0 if lesson.zero_price else 0.0)
        store = sim.store
        customer = next((c for c in store.t("customers").values() if store.customer_name(c) == lesson.customer), None)
        if customer is None:
            raise LessonProblem(f"lesson {lesson.id}: no customer called {lesson.customer!r} in the simulator's data")
        if lesson.prepay_hours is not None:
            customer["prepay_hours"] = str(lesson.prepay_hours)
        made = store.create_ticket({"customer_id": customer["id"], "subject": lesson.subject, "status": "In Progress",
                                    "user_id": DEMO_USER},  # the trainee is the demo tech: in "My open"
                                   key="demo-key")["ticket"]
        for n, timer in enumerate(lesson.timers):
            end = now - timedelta(hours=2 * (n + 1))
            store.add_timer(made["id"], {"start_at": (end - timedelta(minutes=timer.minutes)).isoformat(),
                                         "end_at": end.isoformat(), "notes": "Work",
                                         "product_id": rates.for_type(timer.labor).product_id}, key="demo-key")
        for fault in lesson.faults:
            try:
                sim.add_fault(kind=fault.kind, route=fault.route, when=fault.when, times=fault.times)
            except ValueError as exc:  # a route the simulator does not have, a 429 after the write
                raise LessonProblem(f"lesson {lesson.id}: faults: {exc}") from None
        ticket = store.t("tickets")[made["id"]]
        comments = sum(c["ticket_id"] == ticket["id"] for c in store.t("comments").values())
        return cls(lesson, sim, ticket["id"], ticket["number"], comments, len(lesson.timers), clock)

    @property
    def goal(self) -> str:
        return self.lesson.goal_for(self.number)

    def session(self, *, config: Config | None = None, journal_path: Path | None = None, **kwargs) -> Session:
        """The trainee's session: the real app on this simulator at the lesson's time, with the lesson's key, its
        goal in a bar and its ticket selected, billing by the path the lesson teaches (else the config's)."""
        config = config or Config()
        if self.lesson.path is not None:
            config = config.model_copy(update={"billing": config.billing.model_copy(update={"path": self.lesson.path})})
        return in_process_session(self.sim, key=self.lesson.key, config=config, clock=self.clock,
                                  journal_path=journal_path, lesson=f"{self.lesson.title}: {self.goal}",
                                  lesson_ticket=self.ticket_id, **kwargs)

    async def afterwards(self) -> Afterwards:
        """The ticket and its invoices as Syncro holds them now (read with the owner's key, no fault in the way)."""
        self.sim.faults.clear()
        async with in_process_client(self.sim) as client:
            ticket = await client.execute(rq.get_ticket(self.ticket_id))
            invoices = await client.invoices_for_ticket(ticket)
        return Afterwards(ticket, tuple(invoices), comments_before=self.comments_before,
                          timers_before=self.timers_before)

