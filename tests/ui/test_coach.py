"""The coach panel by keys (issue 21): on from the start in training, off otherwise; F1 shows or hides it on every
screen; it follows the field under the cursor and says what the wizard's rules make of it, Syncro's text literal."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from syncro_tui.api import Pacer
from syncro_tui.domain.comment import Visibility
from syncro_tui.training import Classroom
from syncro_tui.ui.app import SyncroApp
from syncro_tui.ui.billing import BillingScreen
from syncro_tui.ui.coach import CoachPanel

from ..conftest import FIXED_NOW, make_simulator
from .helpers import SIZE, make_app, rendered, settle, type_text, wait_for_screen
from .test_billing import choose_labor
from .test_comment import choose, open_comment
from .test_training import DOWNS, LESSONS
from .test_trust import HOSTILE


def coach(screen) -> str:
    """What the screen's coach says (empty while it is hidden)."""
    panel = screen.query_one(CoachPanel)
    return rendered(panel, "#coach-text") if panel.display else ""


async def test_in_a_lesson_the_coach_follows_the_wizard_field_by_field_and_f1_hides_it_everywhere() -> None:
    classroom = Classroom.open(LESSONS["emergency-prepaid"], clock=lambda: FIXED_NOW)
    directory = Path(tempfile.mkdtemp(prefix="syncro-tui-test-"))
    try:
        app = SyncroApp(classroom.session(journal_path=directory / "journal.sqlite",
                                          pacer=Pacer(180, headroom=0, burst=179, clock=lambda: 0.0)))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            queue = app.queue_screen
            said = coach(queue)  # on from the start, about the lesson's ticket under the cursor
            assert "Status: In Progress" in said and "a timer first, then its charge" in said
            await pilot.press("b")
            wizard = await wait_for_screen(pilot, BillingScreen)
            await settle(pilot)
            said = coach(wizard)
            assert "Minutes worked" in said and "45 minutes is 0.75 h, not 0.77" in said
            assert "Minutes are required" in said  # what the form says about the field, before the rule
            await type_text(pilot, "120")
            await pilot.pause()
            assert "2.00 h" in coach(wizard) and "Minutes are required" not in coach(wizard)
            await pilot.press("tab")
            said = coach(wizard)
            assert "Labor type" in said and "Choose the labor type: it is never assumed." in said
            assert "prepaid block of 10.0 h: after-hours work is onsite at 1.5 × the hours" in said
            assert "2.25 × the onsite rate for each hour worked instead of 1.5 ×" in said  # why the rule exists
            await choose_labor(pilot, DOWNS["emergency"])
            await pilot.pause()
            said = coach(wizard)
            assert "Emergency for a prepaid customer" in said and "1.5 × the hours (3.00 h)" in said
            await pilot.press("tab")
            assert "Work ended" in coach(wizard) and "The timer runs back from here" in coach(wizard)
            await pilot.press("f1")
            await pilot.pause()
            assert not wizard.query_one(CoachPanel).display and not app.coach
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is queue and coach(queue) == ""  # hidden on every screen at once
            await pilot.press("f1")
            await pilot.pause()
            assert "Status: In Progress" in coach(queue)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


async def test_outside_training_the_coach_is_off_until_f1_and_follows_the_queue_cursor(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue = app.queue_screen
        assert not queue.query_one(CoachPanel).display
        await pilot.press("f1")
        await pilot.pause()
        table = queue.query_one("#queue-table")
        statuses = [queue.model.queue.tickets[int(k)].status for k in table.keys]
        first = statuses[0]
        assert f"Status: {first}" in coach(queue)
        other = next(n for n, s in enumerate(statuses) if s != first)
        await pilot.press(*["j"] * other)
        await pilot.pause()
        assert f"Status: {statuses[other]}" in coach(queue)


async def test_the_comment_coach_says_who_reads_it_literally_and_what_stops_it(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = app.queue_screen.selected_ticket()
        sim.store.t("customers")[ticket.customer_id]["email"] = HOSTILE  # Syncro's text, shown as it is
        await pilot.press("f1")
        screen = await open_comment(pilot)
        assert "Subject" in coach(screen)
        await type_text(pilot, "Printer fixed")
        await choose(pilot, Visibility.EMAIL)
        said = coach(screen)
        assert "The comment" in said and "never carries internal notes or anything that looks like a credential" in said
        assert "Syncro emails this to Evil" in said and "<U+202E>" in said and "[/dim]" in said
        assert "\x1b" not in said and "\u202e" not in said
        await type_text(pilot, "Your new password: Hunter22!")
        await pilot.pause()
        assert "▸ Stopped: a customer would see what looks like a password" in coach(screen)
        await pilot.press("shift+tab")  # to the visibility: a private note stops nothing
        await pilot.press("enter", "end", "enter")
        await pilot.pause()
        assert "Only techs see this private note" in coach(screen) and "Stopped" not in coach(screen)


async def test_the_sweep_coach_names_the_rule_each_leak_breaks(tmp_path) -> None:
    from .test_sweep import monday, open_sweep

    _sim, _moment, _ids, app = monday(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        screen = await open_sweep(pilot)
        table = screen.query_one("#sweep-table")
        seen = set()
        for row, leak in enumerate(screen.leaks):
            table.move_cursor(row=row)
            await pilot.pause()
            said = coach(screen)
            assert f"Enter: {leak.fix.words}" in said and "Rule: docs/rules.md §7." in said
            seen.add(said.split(" ▸ ")[0])
        assert len(seen) == len({leak.kind for leak in screen.leaks}) >= 5  # each kind its own words


async def test_the_new_ticket_coach_offers_urgent_after_hours_on_the_priority(tmp_path) -> None:
    from .test_new_ticket import open_form, pick, to_field

    app = make_app(make_simulator(), journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        screen = await open_form(pilot)
        await pick(pilot, screen, "#appointment_type", 4322)
        await to_field(pilot, screen, "#start")
        await type_text(pilot, "sat 10:00")
        await settle(pilot)
        assert "Appointment start" in coach(screen)
        await to_field(pilot, screen, "#priority")
        said = coach(screen)
        assert "Priority" in said and "usually 4 Urgent" in said and "\"4 Urgent\" for emergency" in said
