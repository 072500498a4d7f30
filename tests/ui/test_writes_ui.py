"""Writes from the UI, driven by keys on the simulator: triage through the confirm, refusal, resume, activity."""

from __future__ import annotations

import pytest

import asyncio
import csv
import json

from syncro_tui.simulator import Simulator
from syncro_tui.api import requests as rq
from syncro_tui.ui.activity import ActivityScreen
from syncro_tui.ui.confirm import ConfirmScreen
from syncro_tui.ui.dialogs import ChoiceScreen, NoteScreen
from syncro_tui.ui.unfinished import UnfinishedScreen
from syncro_tui.writes.groups import GroupState
from syncro_tui.writes.journal import Journal
from syncro_tui.writes.path import WritePath

from ..conftest import FIXED_NOW, make_client, make_simulator
from ..writes.plans import created, cut_short_at_the_comment, projector_ticket
from .helpers import SIZE, make_app, notices, settle, wait_for_screen


def selected_ticket(app) -> dict:
    table = app.screen.query_one("#queue-table")
    key = table.cursor_key
    return app.queue_model.queue.tickets[int(key)]


def server_ticket(sim: Simulator, ticket_id: int) -> dict:
    return sim.store.t("tickets")[ticket_id]


def puts(sim: Simulator) -> list[tuple[str, str]]:
    return [c for c in sim.calls if c[0] != "GET"]


async def close_anyway(pilot) -> None:
    """``c`` on the selected ticket; past the billing concerns (closing anyway) if it has any."""
    await pilot.press("c")
    for _ in range(200):  # the close reads the ticket's billing first: either dialog may come up
        await pilot.pause()
        if isinstance(pilot.app.screen, (ChoiceScreen, NoteScreen)):
            break
    if isinstance(pilot.app.screen, ChoiceScreen):
        await pick(pilot, "close")
    await wait_for_screen(pilot, NoteScreen)


async def close_selected(pilot, resolution: str = "") -> None:
    """``c`` on the selected ticket (closing anyway past any billing concerns), then the resolution (empty: none)."""
    await close_anyway(pilot)
    await pilot.pause()
    if resolution:
        await pilot.press(*resolution)
    await pilot.press("enter")


async def priority_confirm(pilot, value: str = "3 Low") -> ConfirmScreen:
    """``p`` on the selected ticket, ``value`` picked: the confirm of that change is up (nothing sent yet)."""
    await pilot.press("p")
    await pick(pilot, value)
    return await wait_for_screen(pilot, ConfirmScreen)


async def pick(pilot, label: str) -> None:
    """In a ChoiceScreen: move to the option whose id is ``label`` and press Enter."""
    screen = await wait_for_screen(pilot, ChoiceScreen)
    options = screen.query_one("#choices")
    options.highlighted = [value for value, _ in screen.choices].index(label)
    await pilot.press("enter")


async def test_status_change_goes_through_the_confirm_and_updates_the_row(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        ticket = selected_ticket(app)
        assert ticket.status != "Waiting on Vendor"
        await pilot.press("s")
        await pick(pilot, "Waiting on Vendor")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert [r.body for r in confirm.requests] == [{"status": "Waiting on Vendor"}]
        assert f"Ticket #{ticket.number}" in confirm.summary and "→ Waiting on Vendor" in confirm.summary
        assert any("records this as Dana Whitfield (#1843)" in n for n in confirm.notes)
        assert puts(sim) == [], "nothing is sent before the s key"
        await pilot.press("enter")  # Enter does not send
        assert isinstance(app.screen, ConfirmScreen) and puts(sim) == []
        await pilot.press("s")
        await settle(pilot)
        assert server_ticket(sim, ticket.id)["status"] == "Waiting on Vendor"
        assert puts(sim) == [("PUT", "update_ticket")]
        table = app.screen.query_one("#queue-table")
        assert table.cell(str(ticket.id), "status").plain == "Waiting on Vendor"
        assert selected_ticket(app).id == ticket.id, "the cursor stays on the ticket"
        assert "Saved" in notices(app)
    group = Journal(tmp_path / "j.sqlite").groups_between(FIXED_NOW.replace(hour=0), FIXED_NOW.replace(hour=23))[0]
    assert group.state is GroupState.DONE and group.kind == "status" and group.ticket_id == ticket.id


async def test_escape_on_the_confirm_sends_nothing_and_journals_nothing(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        await priority_confirm(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert puts(sim) == [] and server_ticket(sim, ticket.id)["priority"] == ticket.priority
        assert "Cancelled: nothing was sent." in notices(app)
        assert app.writes.journal.groups_between(FIXED_NOW.replace(hour=0), FIXED_NOW.replace(hour=23)) == []


async def test_assign_priority_and_close_each_reach_syncro(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j")
        ticket = selected_ticket(app)
        await pilot.press("a")
        await pick(pilot, "2107")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("p")
        await pick(pilot, "3 Low")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("s")
        await settle(pilot)
        record = server_ticket(sim, ticket.id)
        assert (record["user_id"], record["priority"]) == (2107, "3 Low")
        await close_selected(pilot)
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert confirm.requests[0].body == {"status": "Resolved"}
        await pilot.press("s")
        await settle(pilot)
        assert server_ticket(sim, ticket.id)["status"] == "Resolved"
        assert str(ticket.id) not in set(app.screen.query_one("#queue-table").keys), "closed leaves the queue"


async def test_a_key_of_another_tech_cannot_triage(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, key="demo-key-marcus", journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert "Write refused: This key belongs to Marcus Bell" in notices(app)
        assert puts(sim) == []


@pytest.mark.parametrize("key", ["s", "a", "p", "b", "n"])
async def test_another_techs_key_is_refused_at_the_first_key_not_at_send(tmp_path, key) -> None:
    """The status picker and the billing wizard opened and let the tech fill them in; the refusal came at send."""
    from syncro_tui.ui.billing import BillingScreen
    from syncro_tui.ui.dialogs import ChoiceScreen
    from syncro_tui.ui.new_ticket import NewTicketScreen

    sim = make_simulator()
    app = make_app(sim, key="demo-key-marcus", journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert not isinstance(app.screen, (ChoiceScreen, BillingScreen, NewTicketScreen)), key
        assert "Write refused: This key belongs to Marcus Bell" in notices(app)


async def test_a_write_that_did_not_land_asks_before_it_is_sent_again(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite", timeout=0.3)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        sim.add_fault(kind="timeout", route="update_ticket", when="before", delay=1)
        await close_selected(pilot)
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("s")
        for _ in range(100):  # the first confirm closes; the read-back finds nothing; a new confirm asks
            await pilot.pause(0.02)
            if isinstance(app.screen, ConfirmScreen) and app.screen.summary.startswith("Send again?"):
                break
        again = app.screen
        assert isinstance(again, ConfirmScreen) and again.summary.startswith("Send again?")
        assert "did not land" in " ".join(again.notes)
        assert puts(sim) == [("PUT", "update_ticket")]
        await pilot.press("s")
        await settle(pilot)
        assert puts(sim) == [("PUT", "update_ticket")] * 2
        assert server_ticket(sim, ticket.id)["status"] == "Resolved"


async def leave_a_group_in_flight(sim: Simulator, journal_path, *, landed: bool) -> str:
    """What a killed app leaves: the projector group with call 2 marked sending (and maybe in Syncro)."""
    client = make_client(sim)
    wp = WritePath(client, Journal(journal_path, clock=lambda: FIXED_NOW), profile_name="dana", user_id=1843,
                   clock=lambda: FIXED_NOW)
    group_id = await cut_short_at_the_comment(wp, projector_ticket(next(iter(sim.store.t("customers")))), landed=landed)
    await client.aclose()
    wp.journal.close()
    return group_id


async def test_an_unfinished_group_is_offered_at_start_and_resumes_to_one_of_each(tmp_path) -> None:
    sim = make_simulator()
    journal = tmp_path / "j.sqlite"
    await leave_a_group_in_flight(sim, journal, landed=True)
    app = make_app(sim, journal_path=journal)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_for_screen(pilot, UnfinishedScreen)
        assert "in flight when the app stopped" in screen.query_one("#unfinished-table").get_row_at(0)[2].plain
        await pilot.press("r")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert [r.call for r in confirm.requests] == ["create_appointment"], "the comment was found: only the rest"
        assert (confirm.first, confirm.total) == (3, 3)
        assert any("comment is in Syncro" in n for n in confirm.notes)
        await pilot.press("s")
        await settle(pilot)
        assert created({n: sim.store.t(n) for n in ("tickets", "comments", "appointments")}) == (1, 1, 1)
        assert not isinstance(app.screen, UnfinishedScreen), "the list closes once empty"
        assert app.writes.open_groups() == []


async def test_an_unfinished_group_can_be_abandoned_with_a_note(tmp_path) -> None:
    sim = make_simulator()
    journal = tmp_path / "j.sqlite"
    group_id = await leave_a_group_in_flight(sim, journal, landed=False)
    sim.calls.clear()
    app = make_app(sim, journal_path=journal)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, UnfinishedScreen)
        await pilot.press("a")
        await wait_for_screen(pilot, NoteScreen)
        await pilot.press("enter")  # an empty note is not accepted
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"done by phone", "enter")
        await settle(pilot)
        group = app.writes.journal.group(group_id)
        assert group.state is GroupState.ABANDONED and group.note == "done by phone"
        assert [m for m, _ in sim.calls if m != "GET"] == [], "abandoning sends nothing"


async def test_activity_lists_todays_writes_and_exports_csv_and_json(tmp_path) -> None:
    sim = make_simulator()
    journal = tmp_path / "j.sqlite"
    await leave_a_group_in_flight(sim, journal, landed=False)
    app = make_app(sim, journal_path=journal)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, UnfinishedScreen)
        await pilot.press("escape")  # later
        await settle(pilot)
        await close_selected(pilot)
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("A")
        screen = await wait_for_screen(pilot, ActivityScreen)
        table = screen.query_one("#activity-table")
        assert table.row_count == 2
        outcomes = [table.get_row_at(r)[4].plain for r in range(2)]
        assert outcomes[0].startswith("Unfinished: call 2 (add_comment): in flight")
        assert outcomes[1] == "Saved"
        await pilot.press("left_square_bracket")
        assert table.row_count == 0 and screen.day.isoformat() == "2026-11-19"
        await pilot.press("t", "e")
        await pilot.pause()
        exports = tmp_path / "exports"
        with open(exports / "activity-2026-11-20.csv", newline="") as fh:
            rows = list(csv.DictReader(fh))
        # the CSV has each outcome whole; the table, at this width, cuts a long one with an ellipsis
        assert rows[0]["outcome"].startswith(outcomes[0].removesuffix("…")) and rows[1]["outcome"] == "Saved"
        assert rows[1]["kind"] == "close"
        # keyed by the number the tech knows, not Syncro's internal id
        closed = sim.store.t("tickets")[int(rows[1]["ticket_id"])]
        assert rows[1]["ticket"] == str(closed["number"]) != rows[1]["ticket_id"]
        data = json.loads((exports / "activity-2026-11-20.json").read_text())
        assert [len(g["steps"]) for g in data] == [3, 1] and data[1]["steps"][0]["body"] == {"status": "Resolved"}
        assert "demo-key" not in (exports / "activity-2026-11-20.json").read_text()
        await pilot.press("escape")
        assert not isinstance(app.screen, ActivityScreen)


def test_activity_snapshot(snap_compare, tmp_path) -> None:
    sim = make_simulator()
    journal = tmp_path / "j.sqlite"
    asyncio.run(leave_a_group_in_flight(sim, journal, landed=False))
    app = make_app(sim, journal_path=journal)

    async def run_before(pilot) -> None:
        await wait_for_screen(pilot, UnfinishedScreen)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("j")
        await close_selected(pilot)
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("A")
        await wait_for_screen(pilot, ActivityScreen)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_unfinished_snapshot(snap_compare, tmp_path) -> None:
    sim = make_simulator()
    journal = tmp_path / "j.sqlite"
    asyncio.run(leave_a_group_in_flight(sim, journal, landed=True))

    async def run_before(pilot) -> None:
        await wait_for_screen(pilot, UnfinishedScreen)
        await settle(pilot)

    assert snap_compare(make_app(sim, journal_path=journal), terminal_size=SIZE, run_before=run_before)


async def test_a_group_stopped_part_way_is_explained_in_a_dialog(tmp_path) -> None:
    from syncro_tui.api import requests as rq
    from syncro_tui.api.call import Ref
    from syncro_tui.writes.plans import Plan
    from syncro_tui.ui.error_dialog import ErrorDialog
    from syncro_tui.ui.writing import confirm_and_send

    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    plan = projector_ticket(next(iter(sim.store.t("customers"))))
    bad = Plan(kind=plan.kind, title=plan.title, steps=(
        plan.steps[0], rq.add_comment(Ref(0), subject="", body="", hidden=True, do_not_email=True)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.run_worker(confirm_and_send(app, bad))
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("s")
        dialog = await wait_for_screen(pilot, ErrorDialog)
        message = dialog.query_one("#error-message").content.plain
        assert "can't be blank" in message and "1 earlier call of this run landed" in message
        await pilot.press("enter")
        await settle(pilot)
        assert len(app.writes.open_groups()) == 1


async def test_no_journal_no_writes(tmp_path) -> None:
    from syncro_tui.ui.error_dialog import ErrorDialog

    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    sim = make_simulator()
    app = make_app(sim, journal_path=blocker / "journal.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await wait_for_screen(pilot, ErrorDialog)
        assert "Writes are off" in dialog.query_one("#error-message").content.plain
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert "Writes are off" in notices(app) and puts(sim) == []


async def test_a_resumed_status_change_shows_in_the_queue_at_once(tmp_path) -> None:
    """A resume that lands changes the queue's row then, not at the next refresh."""
    from syncro_tui.writes.plans import change_ticket
    from syncro_tui.writes.groups import StepState

    sim = make_simulator()
    journal_path = tmp_path / "j.sqlite"
    ticket_id = next(t["id"] for t in sim.store.t("tickets").values() if t["status"] == "New")
    client = make_client(sim)
    wp = WritePath(client, Journal(journal_path, clock=lambda: FIXED_NOW), profile_name="dana", user_id=1843,
                   clock=lambda: FIXED_NOW)
    plan = change_ticket(await client.execute(rq.get_ticket(ticket_id)), {"status": "In Progress"}, kind="status",
                         words="status New → In Progress")
    group_id = await wp.start(plan)
    wp.journal.mark(group_id, 0, StepState.SENDING)  # killed while sending: it never reached Syncro
    await client.aclose()
    wp.journal.close()
    app = make_app(sim, journal_path=journal_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, UnfinishedScreen)
        queue = app.queue_model.queue
        await settle(pilot)
        assert queue.tickets[ticket_id].status == "New"
        await pilot.press("r")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("s")
        await settle(pilot)
        assert sim.store.t("tickets")[ticket_id]["status"] == "In Progress"
        assert queue.tickets[ticket_id].status == "In Progress"
