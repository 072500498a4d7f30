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
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path

from .config import Config
from .demo import DEMO_USER, in_process_client, in_process_session
from .domain.lesson import Afterwards, Lesson, LessonProblem, parse
from .domain.rates import RateTable
from .session import Session
from .simulator import Simulator


def lessons(extra: Path | None = None) -> tuple[dict[str, Lesson], list[str]]:
    """Every lesson by id (built-in first; a shop's file of the same id replaces it), and what was wrong with any
    file that could not be used (said, never a crash: the others still run)."""
    found: dict[str, Lesson] = {}
    problems: list[str] = []
    files = [(f.name, f.read_text(encoding="utf-8")) for f in sorted(resources.files("syncro_tui.lessons").iterdir(),
                                                                      key=lambda f: f.name)
             if f.name.endswith(".toml")]
    if extra is not None and extra.is_dir():
        for path in sorted(extra.glob("*.toml")):
            try:
                files.append((str(path), path.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(f"{path}: cannot be read ({exc})")
    for name, text in files:
        try:
            lesson = parse(text, name=name)
        except LessonProblem as exc:
            problems.append(str(exc))
            continue
        found[lesson.id] = lesson
    return found, problems


@dataclass
class Classroom:
    """A lesson's simulator, and what its setup put there."""

    lesson: Lesson
    sim: Simulator
    ticket_id: int
    number: int
    comments_before: int
    timers_before: int

    @classmethod
    def open(cls, lesson: Lesson, *, clock: Callable[[], datetime] | None = None, rates: RateTable = RateTable(),
             seed: int = 1) -> Classroom:
        """The lesson's simulator; LessonProblem when its customer is not in the simulator's data."""
        now = (clock or (lambda: datetime.now(UTC)))()
        sim = Simulator(seed=seed, clock=clock, rate_limit=None, zero_price_rate=1.0 if lesson.zero_price else 0.0)
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
            sim.add_fault(kind=fault.kind, route=fault.route, when=fault.when, times=fault.times)  # type: ignore[arg-type]
        ticket = store.t("tickets")[made["id"]]
        comments = sum(c["ticket_id"] == ticket["id"] for c in store.t("comments").values())
        return cls(lesson, sim, ticket["id"], ticket["number"], comments, len(lesson.timers))

    @property
    def goal(self) -> str:
        return self.lesson.goal_for(self.number)

    def session(self, *, config: Config | None = None, clock: Callable[[], datetime] | None = None,
                journal_path: Path | None = None, **kwargs) -> Session:
        """The trainee's session: the real app on this simulator, with the lesson's key, its goal in a bar."""
        return in_process_session(self.sim, key=self.lesson.key, config=config, clock=clock, journal_path=journal_path,
                                  lesson=f"{self.lesson.title}: {self.goal}", **kwargs)

    async def afterwards(self) -> Afterwards:
        """The ticket and its invoices as Syncro holds them now (read with the owner's key, no fault in the way)."""
        self.sim.faults.clear()
        async with in_process_client(self.sim) as client:
            ticket = await client.get_ticket(self.ticket_id)
            invoices = await client.invoices_for_ticket(ticket)
        return Afterwards(ticket, tuple(invoices), comments_before=self.comments_before,
                          timers_before=self.timers_before)

