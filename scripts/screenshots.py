"""Make the README's screenshots (SVG) from the real app on the seeded simulator.

    .venv/bin/python scripts/screenshots.py

Fixed clock, seed and size, so the pictures only change when the screens do.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout: tests.ui.pilot drives the app

from rich.console import Console  # noqa: E402

from syncro_tui.cli.common import remove_demo_files  # noqa: E402
from syncro_tui.demo import in_process_session  # noqa: E402
from tests.ui.pilot import settle  # noqa: E402
from syncro_tui.simulator import Simulator
from syncro_tui.simulator.scenarios import Moment, leaky_day
from syncro_tui.simulator.store import Store
from syncro_tui.ui.app import SyncroApp
from syncro_tui.ui.confirm import ConfirmScreen
from syncro_tui.ui.dialogs import ChoiceScreen, NoteScreen

OUT = Path(__file__).resolve().parent.parent / "screenshots"
KEY_NAMES = {" ": "space", ".": "full_stop", ",": "comma", "-": "minus", "\n": "enter", ":": "colon"}
NOW = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
SIZE = (150, 40)


#: In a key list: wait here until the app has settled (an autocomplete answered, a list was read).
SETTLE = None


async def press(pilot, keys: list[str | type | None]) -> None:
    """Once the app has settled, each key: SETTLE waits for quiet, a screen class waits for that screen."""
    await settle(pilot)
    for key in keys:
        if key is SETTLE:
            await settle(pilot)
        elif isinstance(key, type):  # a dialog a worker waits on: pause until it is up
            while not isinstance(pilot.app.screen, key):
                await pilot.pause(0.01)
        else:
            await pilot.press(key)


async def shoot(name: str, keys: list[str | type | None], *, until: type | None = None, size: tuple[int, int] = SIZE,
                day: Callable[[Store, Moment], object] | None = None, **session_kwargs) -> None:
    """Press ``keys`` on the demo (after ``day`` was played on it), then wait until everything settled (or until a
    ``until`` screen is up)."""
    moment = Moment(NOW)
    sim = Simulator(seed=1, today=date(2026, 11, 20), clock=moment, rate_limit=None)
    if day is not None:
        day(sim.store, moment)
    app = SyncroApp(in_process_session(sim, clock=moment, **session_kwargs))
    async with app.run_test(size=size) as pilot:
        await press(pilot, keys)
        for editor in app.screen.query("Input, TextArea"):
            editor.cursor_blink = False  # the same picture every time
        if until is None:
            await settle(pilot)
        else:
            while not isinstance(app.screen, until):
                await pilot.pause(0.01)
            await pilot.pause()
        path = OUT / f"{name}.svg"
        app.save_screenshot(filename=path.name, path=str(path.parent))
        print(f"wrote {path}")
    remove_demo_files(app.session.data_dir())  # the demo's throwaway journal, as run_app removes it


def typed(text: str) -> list[str]:
    return [KEY_NAMES.get(ch, ch) for ch in text]


#: The billing wizard on the first ticket: 90 minutes of emergency work last night, a two-line resolution comment.
BILL = ["b", *typed("90"), "tab", "enter", *["down"] * 4, "enter", "tab", "ctrl+a", "ctrl+k", *typed("yesterday 10pm"),
        *["tab"] * 4,
        *typed("Restored the server after the power cut.\n- checked that everyone can log in")]


#: A new ticket for Brightline Dental with an onsite appointment on Monday afternoon.
NEW_TICKET = ["n", *typed("brightline"), SETTLE, "down", "enter", SETTLE, *typed("Front desk printer jams"),
              "tab", "enter", "home", *["down"] * 5, "enter", *["tab"] * 9,
              *typed("Jams on tray 2\n- every page since Friday"), "tab", "tab", "enter", "home", "down", "down",
              "enter", "tab", *typed("Front desk"), "tab", *typed("mon 14:00"), SETTLE]


async def take_lesson(lesson_id: str, keys: list[str | type | None], *, size: tuple[int, int] = SIZE,
                      shot: str | None = None):
    """A training lesson by keys as a trainee takes it (``shot``: its picture once the keys are pressed), judged from
    the simulator's side afterwards as ``syncro-tui train`` judges it."""
    from syncro_tui.domain.lesson import judge
    from syncro_tui.domain.rates import RateTable
    from syncro_tui.training import Classroom, lessons

    classroom = Classroom.open(lessons()[0][lesson_id], clock=lambda: NOW)
    with tempfile.TemporaryDirectory() as directory:
        app = SyncroApp(classroom.session(journal_path=Path(directory) / "journal.sqlite"))
        async with app.run_test(size=size) as pilot:
            await press(pilot, keys)
            if shot is not None:
                await settle(pilot)
                for editor in app.screen.query("Input, TextArea"):
                    editor.cursor_blink = False
                path = OUT / f"{shot}.svg"
                app.save_screenshot(filename=path.name, path=str(path.parent))
                print(f"wrote {path}")
    return judge(classroom.lesson, await classroom.afterwards(), RateTable())


def bill(minutes: str, labor_downs: int, comment: str, ended: str | None = None) -> list[str | type | None]:
    """The lesson's ticket billed in the wizard: minutes, the labor type, when it ended, the comment, sent through
    the confirm."""
    end = ["ctrl+a", "ctrl+k", *typed(ended)] if ended else []
    return ["b", SETTLE, *typed(minutes), "tab", "enter", *["down"] * labor_downs, "enter", "tab", *end,
            *["tab"] * 4, *typed(comment), "ctrl+s", ConfirmScreen, "s", SETTLE]


async def shoot_report(name: str) -> None:
    """The trainer's report (``syncro-tui train --report``) after two trainees' lessons, each taken by keys and judged."""
    from syncro_tui.cli.train import report
    from syncro_tui.training import lessons
    from syncro_tui.writes.progress import Progress

    attempts = [("Sam Ortiz", "remote-time", bill("60", 1, "Reset the printer queue.")),  # an hour for 45 minutes
                ("Sam Ortiz", "remote-time", bill("45", 1, "Reset the printer queue.")),
                ("Sam Ortiz", "emergency-prepaid", bill("120", 4, "Server back after the outage.", "yesterday 21:30")),
                ("Priya Nair", "emergency-prepaid", bill("120", 2, "Server back after the outage."))]  # plain onsite
    with tempfile.TemporaryDirectory() as directory:
        progress = Progress(Path(directory) / "training.json")
        for trainee, lesson_id, keys in attempts:
            verdict = await take_lesson(lesson_id, keys)
            progress.record(trainee, lesson_id, passed=verdict.passed, mistakes=verdict.mistakes)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            report(progress, lessons()[0], as_json=False)
    console = Console(record=True, width=110, file=io.StringIO())
    console.print("$ syncro-tui train --report", style="bold")
    console.print(out.getvalue(), markup=False, highlight=False)
    path = OUT / f"{name}.svg"
    console.save_svg(str(path), title="syncro-tui train --report")
    print(f"wrote {path}")


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    await shoot("queue", [])
    await shoot("my-open", ["1"])
    await shoot("appointments", ["5"])
    await shoot("ticket", ["1", "j", "j", "enter"], size=(150, 50))
    # close anyway past what its billing says, no resolution comment
    await shoot("confirm-status", ["j", "c", ChoiceScreen, "down", "enter", NoteScreen, "enter"], until=ConfirmScreen)
    await shoot("wrong-key-banner", [], key="demo-key-marcus")
    await shoot("billing", BILL, size=(150, 45))
    await shoot("billing-confirm", [*BILL, "ctrl+s"], until=ConfirmScreen, size=(150, 45))
    await shoot("new-ticket", NEW_TICKET, size=(150, 50))
    await shoot("appointments-week", ["t", SETTLE, "w", SETTLE, "e"])
    # Monday's sweep: a day with one of every leak (simulator.scenarios.leaky_day), the second leak selected
    await shoot("sweep", ["E", SETTLE, "j"], day=lambda store, moment: leaky_day(
        store, moment, date(2026, 11, 23), ZoneInfo("America/Chicago")))
    await take_lesson("emergency-prepaid", [], shot="lesson")
    # the coach beside the wizard: 2 hours of emergency work last night typed, back on the labor type: its note and
    # what the rules made of it
    await take_lesson("emergency-prepaid", ["b", SETTLE, *typed("120"), "tab", "enter", *["down"] * 4, "enter", "tab",
                                            "ctrl+a", "ctrl+k", *typed("yesterday 21:30"), "shift+tab"],
                      size=(170, 46), shot="coach")
    await shoot_report("training-report")


if __name__ == "__main__":
    asyncio.run(main())
