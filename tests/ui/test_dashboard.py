"""The all-day dashboard (issue 19): it remembers where the tech was, and the small things a tech trips on."""

from __future__ import annotations

from syncro_tui.config import QueueSettings
from syncro_tui.ui.activity import ActivityScreen, WriteDetail
from syncro_tui.ui.billing import BillingScreen
from syncro_tui.ui.dialogs import ChoiceScreen, CustomerSearchScreen, NoteScreen
from syncro_tui.ui.ticket import TicketScreen
from syncro_tui.ui.ticket_table import TicketTable
from syncro_tui.api import requests as rq

from ..conftest import make_simulator
from .helpers import SIZE, make_app, notices, rendered, settle, type_text, wait_for_screen
from .test_writes_ui import pick, priority_confirm, selected_ticket


async def test_the_section_filter_and_ticket_are_kept_for_the_next_start(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")  # New / unassigned
        await pilot.press("slash")
        await type_text(pilot, "o")
        await pilot.press("enter", "j", "j")
        await settle(pilot)
        kept = selected_ticket(app)
        await pilot.press("q")
        await pilot.pause()
    again = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue = again.queue_screen
        assert queue.model.section is not None and queue.model.section.id == "new"
        assert queue.query_one("#filter").value == "o" and queue.model.needle.text == "o"
        assert "filter: o" in rendered(queue, "#sections")
        assert selected_ticket(again).id == kept.id


async def test_a_first_start_opens_on_my_open_unless_the_config_says(tmp_path) -> None:
    assert QueueSettings().first_section == "mine"
    app = make_app(make_simulator(), first_section=QueueSettings().first_section)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue = app.queue_screen
        assert queue.model.section is not None and queue.model.section.id == "mine"
        assert all(t.user_id == 1843 for t in queue.model.rows())
    app = make_app(make_simulator(), first_section="reply")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.queue_model.section.id == "reply"


async def test_after_a_filter_and_enter_the_cursor_is_on_the_first_match(tmp_path) -> None:
    app = make_app(make_simulator(), journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*["j"] * 12)  # well down the queue first
        await pilot.press("slash")
        await type_text(pilot, "printer")
        await pilot.press("enter")
        await settle(pilot)
        table = app.queue_screen.query_one(TicketTable)
        assert table.cursor_row == 0 and table.cursor_key == table.keys[0]
        first = app.queue_model.queue.tickets[int(table.keys[0])]
        await pilot.press("enter")
        screen = await wait_for_screen(pilot, TicketScreen)
        assert screen.ticket_id == first.id


async def test_q_quits_at_once_when_nothing_would_be_lost() -> None:
    app = make_app(make_simulator())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_q_quits_at_once_and_an_unsent_draft_comes_back_at_the_next_start(tmp_path) -> None:
    """Drafts are kept on disk at each change, so q does not cry wolf about them; the next start brings them back,
    said in a notice."""
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        await pilot.press("b")
        await wait_for_screen(pilot, BillingScreen)
        await settle(pilot)
        await type_text(pilot, "45")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, ChoiceScreen) and not app.is_running
    again = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert f"the billing of #{ticket.number} (45 min)" in notices(again)
        table = again.queue_screen.query_one("#queue-table")
        table.cursor_row = table.index_of(str(ticket.id))
        await pilot.press("b")
        screen = await wait_for_screen(pilot, BillingScreen)
        await settle(pilot)
        assert screen.query_one("#minutes").value == "45"


async def test_q_still_asks_while_a_write_is_being_sent_or_drafts_cannot_be_kept(tmp_path) -> None:
    app = make_app(make_simulator(), journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        number = selected_ticket(app).number
        app.drafts_unkept = "disk full"  # as keep_drafts leaves it when the file cannot be written
        await pilot.press("b")
        await wait_for_screen(pilot, BillingScreen)
        await settle(pilot)
        app.draft_store.path = tmp_path / "no-such-dir" / "x" / "drafts.json"
        (tmp_path / "no-such-dir").write_text("a file where the folder should be")
        await type_text(pilot, "45")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("q")
        asked = await wait_for_screen(pilot, ChoiceScreen)
        assert f"the billing of #{number}" in asked.prompt and "could not be kept" in asked.prompt
        await pilot.press("q")  # again while asked: the one question stays
        await pilot.pause()
        assert len([s for s in app.screen_stack if isinstance(s, ChoiceScreen)]) == 1
        await pick(pilot, "stay")
        await settle(pilot)
        assert app.is_running
        await pilot.press("q")
        await pick(pilot, "quit")
        await pilot.pause()
        assert not app.is_running


async def test_an_activity_row_opens_every_call_of_that_write(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = selected_ticket(app)
        await priority_confirm(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("A")
        await wait_for_screen(pilot, ActivityScreen)
        await pilot.press("enter")
        detail = await wait_for_screen(pilot, WriteDetail)
        text = "\n".join(detail.lines)
        assert f"PUT /tickets/{ticket.id} (update_ticket): " in text and "priority: 3 Low" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ActivityScreen)


async def test_j_and_k_move_in_every_list(tmp_path) -> None:
    app = make_app(make_simulator(), journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p")
        choices = (await wait_for_screen(pilot, ChoiceScreen)).query_one("#choices")
        choices.highlighted = 0
        await pilot.press("j")
        assert choices.highlighted == 1
        await pilot.press("k")
        assert choices.highlighted == 0
        await pilot.press("escape")
        await pilot.press("t")  # appointments: a table of rows
        await settle(pilot)
        table = app.screen.query_one("#appts-table")
        table.focus()
        await pilot.press("j")
        assert table.cursor_row == 1
        await pilot.press("k")
        assert table.cursor_row == 0


async def test_a_customer_search_with_one_match_takes_enter() -> None:
    app = make_app(make_simulator())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        screen = await wait_for_screen(pilot, CustomerSearchScreen)
        await type_text(pilot, "Brightline")
        for _ in range(100):
            await pilot.pause(0.05)
            if screen.query_one("#customers").option_count and not any(
                    w.is_running for w in app.workers if w.group == "customer-search"):
                break
        assert screen.query_one("#customers").option_count == 1
        assert "1 found: Enter picks it." in rendered(screen, "#customer-help")
        await pilot.press("enter")
        await settle(pilot)
        assert app.queue_model.section.id.startswith("customer:")


async def test_the_find_dialog_says_what_enter_does() -> None:
    app = make_app(make_simulator())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        dialog = await wait_for_screen(pilot, NoteScreen)
        assert "Enter searches Syncro and shows what it finds as a section" in rendered(dialog, ".dialog-help")


async def test_a_ticket_raised_to_urgent_by_someone_else_moves_up_to_its_place() -> None:
    from datetime import UTC, datetime, timedelta

    from syncro_tui.domain.queue import priority_rank
    from syncro_tui.simulator.store import stamp

    sim = make_simulator()
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue = app.queue_screen
        table = queue.query_one(TicketTable)
        low = table.keys[-1]
        assert queue.model.queue.tickets[int(low)].priority != "4 Urgent"
        record = sim.store.t("tickets")[int(low)]
        record["priority"] = "4 Urgent"
        record["updated_at"] = stamp(datetime.now(UTC) + timedelta(minutes=5))
        await pilot.press("r")
        await settle(pilot)
        place = table.keys.index(low)
        urgent = [k for k in table.keys if priority_rank(queue.model.queue.tickets[int(k)].priority) == 0]
        assert place == 0 and table.keys[:len(urgent)] == urgent  # the newest urgent first, above the rest
        assert int(low) in queue.model.unseen  # and marked until looked at, with what changed
        assert table.cells_of(low)[0].plain == "P"


# ------------------------------------------------------------------ alerts (another tech's key makes each change)
async def another_tech(sim, ticket_id: int, fields: dict) -> None:
    """Marcus changes a ticket through the API, as from his own window."""
    from syncro_tui.api import Pacer
    from syncro_tui.demo import in_process_client

    async with in_process_client(sim, "demo-key-marcus", pacer=Pacer(180, headroom=0, burst=179)) as client:
        await client.execute(rq.update_ticket(ticket_id, fields))


def others_tickets(app) -> list[int]:
    """Open tickets of other techs that nothing alerts on yet."""
    return [t.id for t in app.queue_model.queue.ordered()
            if t.user_id not in (None, 1843) and t.priority != "4 Urgent" and not t.sla_breached
            and not t.sla_breaching_soon and t.status != "Customer Reply"]


def others_ticket(app) -> int:
    return others_tickets(app)[0]


async def test_each_alert_by_keys_toast_count_and_seen(tmp_path) -> None:
    from syncro_tui.ui.queue import QueueScreen

    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue: QueueScreen = app.queue_screen
        assigned, urgent = others_tickets(app)[:2]
        await another_tech(sim, assigned, {"user_id": 1843})
        await another_tech(sim, urgent, {"priority": "4 Urgent"})
        await pilot.press("r")
        await settle(pilot)
        told = "\n".join(app.shown)
        number = {t.id: t.number for t in queue.model.queue.tickets.values()}
        assert f"Assigned to you: #{number[assigned]}" in told and f"Raised to urgent: #{number[urgent]}" in told
        assert queue.model.inbox.open_ids() == {assigned, urgent} and "⚑ 2 alerts" in rendered(queue, "#status")
        await another_tech(sim, assigned, {"status": "Customer Reply"})  # the customer answered, on a ticket of mine
        await pilot.press("r")
        await settle(pilot)
        assert f"Customer reply: #{number[assigned]}" in "\n".join(app.shown)
        table = queue.query_one(TicketTable)
        table.cursor_row = table.index_of(str(urgent))  # looked at: seen
        await settle(pilot)
        assert queue.model.inbox.open_ids() == {assigned} and "⚑ 1 alert " in rendered(queue, "#status")
        from syncro_tui.api import Pacer
        from syncro_tui.demo import in_process_client

        customer = queue.model.queue.tickets[assigned].customer_id
        async with in_process_client(sim, "demo-key-marcus", pacer=Pacer(180, headroom=0, burst=179)) as client:
            created = await client.execute(rq.create_ticket({"customer_id": customer, "subject": "Scanner jams", "status": "New",
                                                  "problem_type": "Hardware"}))
        await pilot.press("r")
        await settle(pilot)
        assert f"New ticket: #{created.number}" in "\n".join(app.shown)  # unassigned: in New / unassigned


async def test_an_sla_nearing_and_then_passing_its_due_time_alerts(tmp_path) -> None:
    """Syncro's SLA clock flips the flags as time passes (no one's key does): the simulator's clock moves on."""
    from datetime import timedelta

    from syncro_tui.simulator.store import SLA_SOON
    from syncro_tui.simulator.store.base import parse_time

    from ..conftest import FIXED_NOW

    now = [FIXED_NOW]
    sim = make_simulator(clock=lambda: now[0])
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue = app.queue_screen
        ticket = min((t for t in sim.store.t("tickets").values()
                      if t["user_id"] == 1843 and t["sla_id"] and t["id"] in queue.model.queue.tickets
                      and not t["sla_breached"] and not t["sla_breaching_soon"]),
                     key=lambda t: parse_time(t["due_date"]))
        due = parse_time(ticket["due_date"])
        now[0] = due - SLA_SOON + timedelta(minutes=1)
        await pilot.press("r")
        await settle(pilot)
        # Other SLA tickets near their time too, so the notice may be one for several: this ticket is among them.
        told = len(app.shown)
        assert "SLA about to breach" in app.shown[-1] and ticket["id"] in queue.model.inbox.open_ids()
        assert "SLA due soon" in [c.plain for c in queue.query_one(TicketTable).cells_of(str(ticket["id"]))]
        now[0] = due + timedelta(minutes=1)
        await pilot.press("r")
        await settle(pilot)
        assert "SLA breached" in "\n".join(app.shown[told:])
        assert queue.model.queue.tickets[ticket["id"]].sla_breached


async def test_a_burst_of_new_tickets_is_one_toast(tmp_path) -> None:
    from syncro_tui.api import Pacer
    from syncro_tui.demo import in_process_client

    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        customer = next(iter(app.queue_model.queue.tickets.values())).customer_id
        async with in_process_client(sim, "demo-key-marcus", pacer=Pacer(180, headroom=0, burst=179)) as client:
            made = [await client.execute(rq.create_ticket({"customer_id": customer, "subject": f"Scanner {n} jams",
                                                "status": "New", "problem_type": "Hardware"})) for n in range(6)]
        await pilot.press("r")
        await settle(pilot)
        new = [line for line in app.shown if "new ticket" in line.lower()]
        assert len(new) == 1 and new[0].startswith("6 new tickets: ") and new[0].endswith("and 3 more")
        assert app.queue_model.inbox.open_ids() == {t.id for t in made}  # each still counted until seen
        assert "⚑ 6 alerts" in rendered(app.queue_screen, "#status")


async def test_the_refresh_runs_while_the_tech_reads_a_ticket_and_waits_in_a_form(tmp_path) -> None:
    """A ticket being read does not hold the queue's refresh: a ticket assigned meanwhile is told there. A form the
    tech types in (the billing wizard) does hold it: the timer only re-arms."""
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        changed = others_ticket(app)
        await pilot.press("enter")
        await wait_for_screen(pilot, TicketScreen)
        await settle(pilot)
        await another_tech(sim, changed, {"user_id": 1843})
        app.queue_screen.refresh_due()  # the timer fires while the ticket is read
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen) and "Assigned to you" in "\n".join(app.shown)
        await pilot.press("b")
        await wait_for_screen(pilot, BillingScreen)
        await settle(pilot)
        sim.calls.clear()
        app.queue_screen.refresh_due()
        await settle(pilot)
        assert ("GET", "list_tickets") not in sim.calls


async def test_alerts_wait_while_a_confirm_is_open(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        changed = others_ticket(app)
        await priority_confirm(pilot)
        await another_tech(sim, changed, {"user_id": 1843})
        await app.queue_screen.refresh_delta().wait()  # a refresh that was already under way lands now
        await pilot.pause()
        assert "Assigned to you" not in "\n".join(app.shown)  # not over the confirm
        await pilot.press("escape")
        await settle(pilot)
        assert "Assigned to you" in "\n".join(app.shown)


async def test_an_alert_kind_the_config_turns_off_says_nothing(tmp_path) -> None:
    from syncro_tui.config import AlertSettings, Config

    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite", config=Config(alerts=AlertSettings(assigned=[])))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await another_tech(sim, others_ticket(app), {"user_id": 1843})
        await pilot.press("r")
        await settle(pilot)
        assert "Assigned to you" not in "\n".join(app.shown) and not app.queue_model.inbox.open_ids()


# ------------------------------------------------------------------ sorting
def column_values(app, column: str) -> list:
    from syncro_tui.domain.queue import COLUMN_KEYS

    queue = app.queue_screen
    return [COLUMN_KEYS[column](queue.model.queue.tickets[int(k)]) for k in queue.query_one(TicketTable).keys]


async def test_sort_by_a_key_and_a_header_click_both_ways_per_section_kept_across_a_restart(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o", "o")  # priority, then updated
        await settle(pilot)
        values = column_values(app, "updated")
        assert values == sorted(values)
        assert "Updated ▲" in app.queue_screen.query_one(TicketTable)._header[-1].plain
        await pilot.press("O")
        await settle(pilot)
        assert column_values(app, "updated") == sorted(values, reverse=True)
        table = app.queue_screen.query_one(TicketTable)
        x = sum(w + 1 for i, w in table.shown if table.columns[i].key in ("seen", "number"))  # the Status header
        await pilot.click("#queue-table", offset=(x + 2, 0))
        await settle(pilot)
        statuses = column_values(app, "status")
        assert statuses == sorted(statuses) and app.queue_model.current_sort() == ("status", False)
        await pilot.click("#queue-table", offset=(x + 2, 0))
        await settle(pilot)
        assert column_values(app, "status") == sorted(statuses, reverse=True)
        await pilot.press("2")  # another section: its own order
        await settle(pilot)
        assert app.queue_model.current_sort() is None
        await pilot.press("4")
        await pilot.press("q")
        await pilot.pause()
    again = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.queue_model.current_sort() == ("status", True)
        assert column_values(again, "status") == sorted(column_values(again, "status"), reverse=True)


async def test_a_customer_reply_says_how_long_it_has_waited_on_us(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        ticket = others_ticket(app)
        await another_tech(sim, ticket, {"status": "Customer Reply"})
        await pilot.press("r")
        await settle(pilot)
        assert app.queue_screen.query_one(TicketTable).cell(str(ticket), "due").plain.startswith("waiting ")
