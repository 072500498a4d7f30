"""Keys for the commonest triage tasks (issue 36), today's way against the new one, pressed through Pilot.

    .venv/bin/python scripts/bench_keys.py            # prints a Markdown report
    .venv/bin/python scripts/bench_keys.py --write    # and writes benchmarks/keys.md

Each task runs twice on the in-process simulator (the tests' app, 150x40): once the way it was done before
issue 36 (one ticket at a time: the cursor, the key, the picker, the confirm), once with marks, ``g``, ``ctrl+k``
and the inbox. Every key is pressed through Textual's Pilot and counted as it is pressed (a typed character is
one key); a picker is moved with the arrow keys from where it opens to the value. Each run then checks in the
simulator that the task was done, so a count is never of keys that did nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from syncro_tui.simulator import DEMO_KEY, Simulator  # noqa: E402
from syncro_tui.ui.canned import CannedScreen  # noqa: E402
from syncro_tui.ui.comment import CommentScreen  # noqa: E402
from syncro_tui.ui.confirm import ConfirmScreen  # noqa: E402
from syncro_tui.ui.dialogs import ChoiceScreen, NoteScreen  # noqa: E402
from syncro_tui.ui.inbox import InboxScreen  # noqa: E402
from syncro_tui.ui.ticket import TicketScreen  # noqa: E402
from tests.conftest import make_simulator  # noqa: E402
from tests.ui.helpers import SIZE, make_app, settle, type_text, wait_for_screen  # noqa: E402

MARCUS = 1851


class Keys:
    """The pilot, counting every key pressed or typed."""

    def __init__(self, pilot) -> None:
        self.pilot = pilot
        self.count = 0

    async def press(self, *keys: str) -> None:
        self.count += len(keys)
        for key in keys:
            await self.pilot.press(key)

    async def type(self, text: str) -> None:
        self.count += len(text)
        await type_text(self.pilot, text)

    async def pick(self, value: str) -> None:
        """In a picker: the arrow keys from where it opens to ``value``, then Enter."""
        screen = await wait_for_screen(self.pilot, ChoiceScreen)
        options = screen.query_one("#choices")
        at, want = options.highlighted or 0, [v for v, _ in screen.choices].index(value)
        await self.press(*(["down"] * (want - at) if want >= at else ["up"] * (at - want)), "enter")

    async def screen(self, kind: type) -> None:
        await wait_for_screen(self.pilot, kind)


def new_tickets(sim: Simulator, subject: str, n: int) -> list[int]:
    """``n`` new unassigned tickets whose subject starts with ``subject`` (a word the filter finds)."""
    customer = min(sim.store.t("customers"))
    return [int(sim.store.create_ticket({"customer_id": customer, "subject": f"{subject} {i + 1}", "status": "New",
                                         "problem_type": "Hardware"}, key=DEMO_KEY)["ticket"]["id"])
            for i in range(n)]


async def on_queue(pilot) -> Keys:
    """The queue with the newest tickets on top (sorted by number, descending: not counted), so the task's new
    tickets are the first rows and keep their places as they change."""
    await settle(pilot)
    pilot.app.queue_screen.sort_by(("number", True))
    pilot.app.queue_screen.query_one("#queue-table").cursor_row = 0
    await settle(pilot)
    return Keys(pilot)


async def per_ticket(keys: Keys, n: int, action: str, value: str) -> None:
    """Today: on each ticket in turn, the key, the picker, the confirm, then down to the next."""
    for _ in range(n):
        await keys.press(action)
        await keys.pick(value)
        await keys.screen(ConfirmScreen)
        await keys.press("s")
        await settle(keys.pilot)
        await keys.press("j")


async def marked(keys: Keys, n: int, action: str, value: str) -> None:
    """After: each ticket marked (space moves on), then the key, the picker and the confirm once."""
    await keys.press(*["space"] * n, action)
    await keys.pick(value)
    await keys.screen(ConfirmScreen)
    await keys.press("s")
    await settle(keys.pilot)


async def marked_all(keys: Keys, action: str, value: str) -> None:
    """After: every ticket shown marked at once (``*``), then the key, the picker and the confirm once."""
    await keys.press("asterisk", action)
    await keys.pick(value)
    await keys.screen(ConfirmScreen)
    await keys.press("s")
    await settle(keys.pilot)


# ----------------------------------------------------------------- the tasks: (today, after), each a run
Task = Callable[[Simulator, Path, bool], Awaitable[int]]


async def changed(sim: Simulator, tmp: Path, after: bool, *, subject: str, n: int, key: str, value: str,
                  field: str, expect: object) -> int:
    """One triage change on ``n`` new tickets: ``key`` and the picker's ``value``, checked as ``field`` in Syncro."""
    made = new_tickets(sim, subject, n)
    async with make_app(sim, journal_path=tmp / "j.sqlite").run_test(size=SIZE) as pilot:
        keys = await on_queue(pilot)
        await (marked if after else per_ticket)(keys, n, key, value)
    assert all(sim.store.t("tickets")[t][field] == expect for t in made)
    return keys.count


async def assign_twenty(sim: Simulator, tmp: Path, after: bool) -> int:
    return await changed(sim, tmp, after, subject="Batch-A laptop onboarding", n=20, key="a", value=str(MARCUS),
                         field="user_id", expect=MARCUS)


async def five_waiting(sim: Simulator, tmp: Path, after: bool) -> int:
    return await changed(sim, tmp, after, subject="Osprey vpn drops", n=5, key="s", value="Waiting on Customer",
                         field="status", expect="Waiting on Customer")


async def five_priority(sim: Simulator, tmp: Path, after: bool) -> int:
    return await changed(sim, tmp, after, subject="Batch-C printer jams", n=5, key="p", value="1 High",
                         field="priority", expect="1 High")


async def close_three(sim: Simulator, tmp: Path, after: bool) -> int:
    made = new_tickets(sim, "Plover password reset", 3)
    async with make_app(sim, journal_path=tmp / "j.sqlite").run_test(size=SIZE) as pilot:
        keys = await on_queue(pilot)
        if after:
            await keys.press(*["space"] * len(made), "c")
            await keys.screen(ConfirmScreen)  # nothing billed on any, said on the confirm: s closes them anyway
            await keys.press("s")
            await settle(pilot)
        else:
            for _ in made:  # a closed ticket leaves the queue: the next comes under the cursor
                await keys.press("c")
                await keys.pick("close")
                await keys.screen(NoteScreen)
                await keys.press("enter")  # no resolution comment
                await keys.screen(ConfirmScreen)
                await keys.press("s")
                await settle(pilot)
    assert all(sim.store.t("tickets")[t]["status"] == "Resolved" for t in made)
    return keys.count


async def filtered_waiting(sim: Simulator, tmp: Path, after: bool) -> int:
    """One customer's 6 tickets, found by the filter, set Waiting on Customer: today each in turn, after ``*``."""
    made = new_tickets(sim, "Kestrel mailbox full", 6)
    async with make_app(sim, journal_path=tmp / "j.sqlite").run_test(size=SIZE) as pilot:
        keys = await on_queue(pilot)
        await keys.press("slash")
        await keys.type("kestrel")
        await keys.press("enter")
        await settle(pilot)
        await (marked_all(keys, "s", "Waiting on Customer") if after
               else per_ticket(keys, len(made), "s", "Waiting on Customer"))
    assert all(sim.store.t("tickets")[t]["status"] == "Waiting on Customer" for t in made)
    return keys.count


async def hand_out_new(sim: Simulator, tmp: Path, after: bool) -> int:
    """The New / unassigned section (its second key), every ticket in it assigned to one tech."""
    async with make_app(sim, journal_path=tmp / "j.sqlite").run_test(size=SIZE) as pilot:
        keys = await on_queue(pilot)
        model = pilot.app.queue_model
        await keys.press("2")
        await settle(pilot)
        assert model.section is not None and model.section.id == "new"
        handed = [t.id for t in model.rows() if t.user_id != MARCUS]
        assert len(handed) >= 5, handed
        if after:
            await marked_all(keys, "a", str(MARCUS))
        else:  # each in turn; a ticket that is no longer New once assigned leaves, and the next comes up
            for row in list(model.rows()):
                if row.user_id == MARCUS:  # his already: passed over
                    await keys.press("j")
                    continue
                await keys.press("a")
                await keys.pick(str(MARCUS))
                await keys.screen(ConfirmScreen)
                await keys.press("s")
                await settle(pilot)
                if row.status == "New":
                    await keys.press("j")
    assert all(sim.store.t("tickets")[t]["user_id"] == MARCUS for t in handed)
    return keys.count


RESPONSE = "Waiting on you"


async def canned_reply(sim: Simulator, tmp: Path, after: bool) -> int:
    (ticket,) = new_tickets(sim, "Wren scanner offline", 1)
    text = next(c for c in sim.store.account["canned_responses"] if c["title"] == RESPONSE)
    async with make_app(sim, journal_path=tmp / "j.sqlite").run_test(size=SIZE) as pilot:
        keys = await on_queue(pilot)
        await keys.press("enter")
        await keys.screen(TicketScreen)
        await settle(pilot)
        await keys.press("n")
        await keys.screen(CommentScreen)
        if after:
            await keys.press("tab", "tab", "ctrl+k")  # to the body; the subject comes with the response
            await keys.screen(CannedScreen)
            await keys.type("waiting")
            await keys.press("enter")
        else:
            await keys.type("Update")
            await keys.press("tab", "tab")
            await keys.type("Hi,\nWe are waiting on your reply before we go on. When is a good time to call?")
        await keys.press("ctrl+s")
        await keys.screen(ConfirmScreen)
        await keys.press("s")
        await settle(pilot)
    body = text["body"].replace("<p>", "").replace("</p>", "<br>").removesuffix("<br>")
    assert any(c["ticket_id"] == ticket and c["body"] == body for c in sim.store.t("comments").values()), body
    return keys.count


def closed_ticket(sim: Simulator) -> dict:
    return next(t for t in sorted(sim.store.t("tickets").values(), key=lambda t: t["id"])
                if t["status"] in ("Resolved", "Closed", "Invoiced"))


async def searched(keys: Keys, number: int) -> None:
    """Today's way to a ticket by number: Syncro's search for it (``f``), then Enter on the one row it finds."""
    await keys.press("f")
    await keys.screen(NoteScreen)
    await keys.type(f"{number}\n")
    await settle(keys.pilot)
    await keys.press("enter")


async def open_by_number(sim: Simulator, tmp: Path, after: bool) -> int:
    closed = closed_ticket(sim)
    async with make_app(sim, journal_path=tmp / "j.sqlite").run_test(size=SIZE) as pilot:
        await settle(pilot)
        keys = Keys(pilot)
        if after:
            await keys.press("g")
            await keys.screen(NoteScreen)
            await keys.type(f"{closed['number']}\n")
        else:
            await searched(keys, closed["number"])
        screen = await wait_for_screen(pilot, TicketScreen)
        assert screen.ticket_id == closed["id"]
    return keys.count


async def reopen_last(sim: Simulator, tmp: Path, after: bool) -> int:
    closed = closed_ticket(sim)
    async with make_app(sim, journal_path=tmp / "j.sqlite").run_test(size=SIZE) as pilot:  # worked on earlier
        await settle(pilot)
        await pilot.press("g", *str(closed["number"]), "enter")
        await wait_for_screen(pilot, TicketScreen)
        await settle(pilot)
    async with make_app(sim, journal_path=tmp / "j.sqlite").run_test(size=SIZE) as pilot:
        await settle(pilot)
        keys = Keys(pilot)
        if after:
            await keys.press("ctrl+e")
            await keys.pick(str(closed["id"]))
        else:  # today: its number, remembered
            await searched(keys, closed["number"])
        screen = await wait_for_screen(pilot, TicketScreen)
        assert screen.ticket_id == closed["id"]
    return keys.count


async def clear_alerts(sim: Simulator, tmp: Path, after: bool) -> int:
    """Five of another tech's tickets assigned to Dana in the morning: each alert cleared (seen or done)."""
    async with make_app(sim, journal_path=tmp / "j.sqlite").run_test(size=SIZE) as pilot:
        await settle(pilot)
        model = pilot.app.queue_model
        theirs = [t.id for t in model.queue.ordered() if t.user_id not in (None, 1843) and t.priority != "4 Urgent"
                  and not t.sla_breached and not t.sla_breaching_soon and t.status != "Customer Reply"][::7][:5]
        for ticket_id in theirs:
            sim.store.update_ticket(ticket_id, {"user_id": 1843})
        await pilot.press("r")
        await settle(pilot)
        assert model.inbox.open_ids() == set(theirs)
        keys = Keys(pilot)
        if after:
            await keys.press("i")
            await keys.screen(InboxScreen)
            await keys.press(*["d"] * len(theirs), "escape")
        else:  # today: the cursor over each alerted row (seen), in the queue's order
            table = pilot.app.screen.query_one("#queue-table")
            last = max(table.index_of(str(t)) for t in theirs)
            await keys.press(*["j"] * (last - table.cursor_row))
        await settle(pilot)
        assert not model.inbox.open_ids()
    return keys.count


#: (task, what it is, whether it repeats per ticket (the 3× target), Syncro's web UI, the seed's command style)
TASKS: list[tuple[Task, str, bool, str, str]] = [
    (assign_twenty, "Assign 20 new tickets to one tech", True,
     "≈ 24 clicks: 20 checkboxes (or 1 select-all on a filtered list), Bulk Edit, the field, the tech, Save",
     "20 commands (`assign 31996 marcus`)"),
    (five_waiting, "Set 5 tickets Waiting on Customer", True,
     "≈ 9 clicks: 5 checkboxes, Bulk Edit, Status, the value, Save", "5 commands"),
    (five_priority, "Raise 5 tickets to 1 High", True,
     "≈ 9 clicks: 5 checkboxes, Bulk Edit, Priority, the value, Save", "5 commands"),
    (close_three, "Close 3 tickets (nothing billed on them)", True,
     "≈ 7 clicks: 3 checkboxes, Bulk Edit, Status, Resolved, Save (no billing check)", "3 commands"),
    (canned_reply, "Reply to a customer with a canned response", False,
     "≈ 5 clicks: Comment, the canned-response menu, the response, Email, Submit", "one command and the text"),
    (open_by_number, "Open a closed ticket by number", False,
     "the number in the global search, Enter, the result: ≈ 2 clicks and the digits", "one command"),
    (reopen_last, "Open again the ticket worked on last", False,
     "≈ 2 clicks (the recent list of the browser's history)", "one command"),
    (filtered_waiting, "Set one customer's 6 tickets Waiting on Customer (found by the filter)", True,
     "≈ 12 clicks: the search, 6 checkboxes (or select-all), Bulk Edit, Status, the value, Save", "6 commands"),
    (hand_out_new, "Hand the New / unassigned section to one tech", True,
     "≈ 5 clicks: the New view, select-all, Bulk Edit, the tech, Save", "one command per ticket"),
    (clear_alerts, "Clear the morning's 5 alerts", True,
     "≈ 10 clicks: each notification opened, or the bell's mark-all-read", "no alerts"),
]


async def measure() -> list[tuple[str, bool, int, int, str, str]]:
    import tempfile

    out = []
    for task, words, repeats, web, command in TASKS:
        counts = []
        for after in (False, True):
            with tempfile.TemporaryDirectory() as tmp:
                counts.append(await task(make_simulator(), Path(tmp), after))
        out.append((words, repeats, counts[0], counts[1], web, command))
        print(f"{words}: {counts[0]} → {counts[1]}", file=sys.stderr)
    return out


def report(rows: list[tuple[str, bool, int, int, str, str]]) -> str:
    lines = [
        "# Keys for the commonest triage tasks (issue 36)",
        "",
        f"`scripts/bench_keys.py` on {datetime.now(UTC):%Y-%m-%d}: Python {platform.python_version()}. Every key "
        "pressed through Textual's Pilot on the in-process simulator (150x40), counted as pressed (a typed "
        "character is one key; a picker is moved with the arrows from where it opens); each run then checks in "
        "the simulator that the task was done. **Today** is the way before issue 36 (one ticket at a time); "
        "**after** uses marks (`space`, `*`), `g`, `ctrl+e`, `ctrl+k` and the inbox (`i`). The web UI and command "
        "columns are counts of the documented flows, not measured here.",
        "",
        "| task | today | after | today ÷ after | target (≥ 3× where it repeats per ticket) | Syncro's web UI | "
        "the seed's command style |",
        "|---|---|---|---|---|---|---|",
    ]
    for words, repeats, today, after, web, command in rows:
        ratio = today / after
        target = ("met" if ratio >= 3 else "missed") if repeats else "—"
        lines.append(f"| {words} | {today} | {after} | {ratio:.1f}× | {target} | {web} | {command} |")
    lines += ["", "The task's tickets are the first rows of All open, the queue sorted by number, newest first (set "
              "before counting, the same both ways), so rows keep their places as they change: today the cursor "
              "moves down one row per ticket (`j`), after each is marked with `space`, which moves on. Closing one "
              "ticket today asks its billing concerns and a resolution comment (empty: Enter). The reply is typed "
              "in full today, and comes from `ctrl+k` and a word of its title after. The customer's tickets are "
              "found by the filter (`/`, a word, Enter) both ways, then worked one by one today and marked with `*` "
              "after; the New / unassigned section is its key (`2`) both ways, and today a ticket that stops being "
              "New once assigned leaves it, so the next comes under the cursor without `j`. A close of tickets that all have "
              "nothing billed says so ticket by ticket on its confirm, where `s` closes them anyway (a password "
              "reset is not billed); when only some do, a picker first offers to leave those out."]
    return "\n".join([*lines, *answers()]) + "\n"


def answers() -> list[str]:
    """How fast those keys answer, beside their counts: the table ``scripts/bench_triage.py`` last wrote."""
    measured = (ROOT / "benchmarks" / "triage.md").read_text().splitlines()
    table = [line for line in measured if line.startswith("|")]
    said = next(line for line in measured if line.startswith("`scripts/bench_triage.py`"))
    return ["", "## How fast the keys answer", "",
            f"From [triage.md](triage.md) ({said.split(':')[0]}; what each figure includes is said there):", "",
            *table]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="write benchmarks/keys.md")
    args = parser.parse_args()
    text = report(asyncio.run(measure()))
    print(text)
    if args.write:
        (ROOT / "benchmarks" / "keys.md").write_text(text)


if __name__ == "__main__":
    main()
