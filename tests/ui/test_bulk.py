"""Marks and a change on every marked ticket (issue 36), by keys on the simulator."""

from __future__ import annotations

from datetime import UTC, datetime

from syncro_tui.ui.confirm import ConfirmScreen
from syncro_tui.ui.dialogs import ChoiceScreen
from syncro_tui.ui.widgets import StatusBar

from ..conftest import make_simulator
from .helpers import SIZE, make_app, notices, settle, wait_for_screen
from .test_writes_ui import pick, puts, server_ticket

MARCUS = 1851


def shown_keys(app) -> list[int]:
    return [int(k) for k in app.screen.query_one("#queue-table").keys]


def status_text(app) -> str:
    return str(app.screen.query_one(StatusBar).render())


async def test_twenty_marked_tickets_are_assigned_in_one_confirm_with_one_call_each_and_raise_no_alert(tmp_path):
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = shown_keys(app)[:20]
        await pilot.press(*["space"] * 20)  # each marks the row and moves on to the next
        assert app.queue_model.marked.ids == set(first)
        assert "✔ 20 marked" in status_text(app)
        table = app.screen.query_one("#queue-table")
        assert str(table.cell(str(first[0]), "seen")) == "✔"
        need = [t for t in first if server_ticket(sim, t)["user_id"] != MARCUS]
        before = len(puts(sim))

        await pilot.press("a")
        await pick(pilot, str(MARCUS))
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert confirm.summary == f"{len(need)} tickets: assign to Marcus Bell"
        assert [r.path for r in confirm.requests] == [f"/tickets/{t}" for t in need]
        assert all(r.body == {"user_id": MARCUS} for r in confirm.requests)
        number = app.queue_model.queue.tickets[need[0]].number
        assert confirm.lines[0].startswith(f"#{number} ") and confirm.lines[0].endswith("→ Marcus Bell")
        bodies = list(confirm.query(".confirm-body"))
        assert len(bodies) == len(need) and not any(b.display for b in bodies)  # one line per ticket
        await pilot.press("v")  # each exact payload, one key away
        assert all(b.display for b in bodies)
        await pilot.press("s")
        await settle(pilot)

        assert all(server_ticket(sim, t)["user_id"] == MARCUS for t in first)
        assert len(puts(sim)) - before == len(need)  # one PUT per ticket that needed it, none twice
        assert not app.queue_model.marked.ids and "marked" not in status_text(app)
        await pilot.press("r")
        await settle(pilot)
        assert not app.queue_model.inbox.open_ids() & set(first) and not app.queue_model.inbox.held  # the tech's own doing
        assert not app.queue_model.unseen & set(first)  # nor marked as changed: the tech knows what they did
        group = app.writes.journal.groups_between(datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC))[-1]
        assert (group.kind, len(group.steps)) == ("bulk assign", len(need))


async def test_a_bulk_close_says_which_tickets_have_nothing_billed_and_leaves_them_out(tmp_path):
    from syncro_tui.simulator import DEMO_KEY
    from syncro_tui.simulator.scenarios import clean_tickets

    sim = make_simulator()
    clean = clean_tickets(sim.store)[:5]
    billed, clean = clean[:2], clean[2:]
    for ticket_id in billed:  # an hour of remote labor on each: nothing to say before closing them
        sim.store.add_line_item(ticket_id, {"name": "Remote labor", "description": "Remote support", "quantity": 1,
                                            "price_retail": "125.00", "taxable": False}, key=DEMO_KEY)
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        chosen = [*billed, *clean]
        table = app.screen.query_one("#queue-table")
        for key in chosen:
            table.cursor_row = table.index_of(str(key))
            await pilot.press("space")
        assert app.queue_model.marked.ids == set(chosen)

        await pilot.press("c")
        choice = await wait_for_screen(pilot, ChoiceScreen)
        assert "of 5 have something to look at first" in choice.prompt
        assert "with nothing billed" in choice.prompt
        for key in clean:
            assert f"#{app.queue_model.queue.tickets[key].number} " in choice.prompt
        await pick(pilot, "leave-out")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        left = [int(r.path.rsplit("/", 1)[1]) for r in confirm.requests]
        assert sorted(left) == sorted(billed)
        assert all(r.body == {"status": "Resolved"} for r in confirm.requests)
        await pilot.press("s")
        await settle(pilot)
        assert [server_ticket(sim, k)["status"] for k in left] == ["Resolved"] * len(left)
        assert all(server_ticket(sim, k)["status"] != "Resolved" for k in clean)


async def test_marks_survive_a_refresh_and_one_that_leaves_the_queue_is_unmarked_and_said(tmp_path):
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "space")
        marked = sorted(app.queue_model.marked.ids)
        assert len(marked) == 3
        sim.store.update_ticket(marked[0], {"status": "Resolved"})
        await pilot.press("r")
        await settle(pilot)
        assert app.queue_model.marked.ids == set(marked[1:])
        app.screen.update_status()
        await pilot.pause()
        assert "✔ 2 marked (1 left the queue)" in status_text(app)
        await pilot.press("escape")
        assert not app.queue_model.marked.ids and "marked" not in status_text(app)
        await pilot.press("asterisk")  # every row shown
        assert app.queue_model.marked.ids == set(shown_keys(app))
        await pilot.press("escape")
        await pilot.press("s")  # nothing marked: the change is the cursor's ticket's, as before
        choice = await wait_for_screen(pilot, ChoiceScreen)
        assert choice.prompt.startswith("Status of ticket #")
        assert "Write refused" not in notices(app)


async def test_a_bulk_close_where_every_ticket_has_nothing_billed_says_each_on_the_confirm(tmp_path):
    """Leaving them out would close none: the concerns are on the confirm itself, where s closes them all anyway
    and Escape closes none."""
    from syncro_tui.simulator.scenarios import clean_tickets

    sim = make_simulator()
    chosen = clean_tickets(sim.store)[:3]
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#queue-table")
        for key in chosen:
            table.cursor_row = table.index_of(str(key))
            await pilot.press("space")
        await pilot.press("c")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert "⚠ 3 of 3 have something to look at first (3 with nothing billed):" in confirm.notes, confirm.notes
        for key in chosen:
            number = app.queue_model.queue.tickets[key].number
            assert any(line.startswith(f"#{number} ") and "Nothing is billed" in line for line in confirm.notes)
        (warning,) = [n for n in confirm.query(".confirm-note") if "⚠" in n.content.plain]
        assert "yellow" in str(warning.content.style)  # the warning stands out from the other notes
        await pilot.press("escape")
        await settle(pilot)
        assert all(server_ticket(sim, k)["status"] != "Resolved" for k in chosen)  # Escape: none closed
        await pilot.press("c")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("s")
        await settle(pilot)
        assert [server_ticket(sim, k)["status"] for k in chosen] == ["Resolved"] * 3
