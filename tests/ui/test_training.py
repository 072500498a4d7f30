"""Training lessons by keys (issue 21): each built-in lesson done right in the real screens and judged passed from
the simulator's state, and done wrong in its characteristic way and judged failed with the right explanation."""

from __future__ import annotations

import shutil
from decimal import Decimal
import tempfile
from pathlib import Path

import pytest

from syncro_tui.api import Pacer
from syncro_tui.domain.billing_form import ItemForm
from syncro_tui.domain.lesson import Verdict, judge
from syncro_tui.domain.rates import RateTable
from syncro_tui.training import Classroom, lesson_zone, lessons
from syncro_tui.ui.app import SyncroApp
from syncro_tui.ui.billing import BillingScreen
from syncro_tui.ui.confirm import ConfirmScreen

from ..conftest import FIXED_NOW
from .helpers import SIZE, bill_as_the_wizard_would, rendered, settle, type_text, wait_for_screen
from .test_billing import add_part, choose_labor

LESSONS, PROBLEMS = lessons()
#: Labor types as the wizard's Select lists them, after "Choose…".
DOWNS = {"remote": 1, "onsite": 2, "emergency": 4, "warranty": 5}


def test_the_built_in_lessons_all_load() -> None:
    assert PROBLEMS == []
    assert set(LESSONS) >= {"remote-time", "emergency-prepaid", "warranty", "another-techs-key"}


async def bill(pilot, classroom: Classroom, *, minutes: str, labor: str, comment: str, ended: str | None = None,
               send: bool = True, tick_timer: bool | None = None, opened: bool = False, then=None) -> BillingScreen:
    """On the queue: the lesson's ticket selected, b (unless the wizard is ``opened`` already), the form typed as a
    trainee types it (``then``: what the trainee does after it, as adding a part), ctrl+s, s."""
    table = pilot.app.screen_stack[0].query_one("#queue-table")
    assert table.cursor_key == str(classroom.ticket_id), "the lesson's ticket is selected at start"
    if not opened:
        await pilot.press("b")
    screen = await wait_for_screen(pilot, BillingScreen)
    await settle(pilot)
    await type_text(pilot, minutes)
    await pilot.press("tab")
    await choose_labor(pilot, DOWNS[labor])
    await pilot.press("tab")
    if ended is not None:
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, ended)
    if tick_timer is not None:  # the ticket's own timers are listed after the end: ticked or left
        await pilot.press("tab", *(["space"] if tick_timer else []))
    await pilot.press("tab", "tab", "tab", "tab")
    await type_text(pilot, comment)
    if tick_timer is not None:
        await pilot.press("tab", "space")  # the warnings (the ticket's own timer) read
        await settle(pilot)
    if then is not None:
        await then(pilot)
    await pilot.press("ctrl+s")
    if send:
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("s")
        await wait_for_screen(pilot, BillingScreen)
        await settle(pilot)
        assert "Billed. Invoice #" in rendered(screen, "#bill-progress")
    return screen


async def take(lesson_id: str, work) -> tuple[Verdict, SyncroApp]:
    """The lesson on its own simulator, the trainee's ``work`` done by keys, then judged from Syncro's side."""
    classroom = Classroom.open(LESSONS[lesson_id], clock=lambda: FIXED_NOW)
    directory = Path(tempfile.mkdtemp(prefix="syncro-tui-test-"))
    try:
        app = SyncroApp(classroom.session(journal_path=directory / "journal.sqlite",
                                          pacer=Pacer(180, headroom=0, burst=179, clock=lambda: 0.0),
                                          retry_backoff=0.01))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            bar = rendered(app.queue_screen, "#lesson-bar")
            assert f"Lesson: {classroom.lesson.title}: " in bar and f"#{classroom.number}" in bar
            await work(pilot, classroom)
        return judge(classroom.lesson, await classroom.afterwards(), RateTable()), app
    finally:
        shutil.rmtree(directory, ignore_errors=True)


async def sent_as_the_wizard_would(lesson_id: str, **form: object) -> Verdict:
    """A wrong answer to the lesson, judged from Syncro's side: the run the wizard would send for the form as typed,
    without drawing the screen. The keys that type a form are tested by each lesson's right answer; what a wrong
    answer tests is the judging, so it needs no screen."""
    classroom = Classroom.open(LESSONS[lesson_id], clock=lambda: FIXED_NOW)
    directory = Path(tempfile.mkdtemp(prefix="syncro-tui-test-"))
    try:
        session = classroom.session(journal_path=directory / "journal.sqlite",
                                    pacer=Pacer(180, headroom=0, burst=179, clock=lambda: 0.0))
        _, outcome = await bill_as_the_wizard_would(session, classroom.ticket_id, tz=lesson_zone(), **form)
        assert outcome.done, outcome
        return judge(classroom.lesson, await classroom.afterwards(), RateTable())
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def failed_with(verdict: Verdict, *words: str) -> None:
    assert not verdict.passed
    said = "\n".join(verdict.report())
    for w in words:
        assert w in said
    assert "Why: " in said


async def test_remote_time() -> None:
    async def work(pilot, classroom):
        await bill(pilot, classroom, minutes="45", labor="remote", comment="Reset the Outlook profile.")

    verdict, _ = await take("remote-time", work)
    assert verdict.passed, verdict.report()
    assert "  ✓ A line of 0.75 × Labor - Remote Business at $150.00" in verdict.report()


async def test_remote_time_billed_as_an_hour_fails() -> None:
    verdict = await sent_as_the_wizard_would("remote-time", minutes="60", labor="remote",
                                             comment="Reset the Outlook profile.")
    failed_with(verdict, "✗ The ticket does not carry one line of 0.75 × Labor - Remote Business",
                "✗ The ticket does not have one invoice of $112.50")
    assert verdict.mistakes == ["A line of 0.75 × Labor - Remote Business at $150.00", "1 invoice of $112.50"]


async def test_emergency_for_a_prepaid_customer() -> None:
    async def work(pilot, classroom):
        await bill(pilot, classroom, minutes="120", labor="emergency", comment="Brought the server back up.",
                   ended="yesterday 21:30")

    verdict, _ = await take("emergency-prepaid", work)
    assert verdict.passed, verdict.report()


async def test_emergency_for_a_prepaid_customer_billed_as_onsite_fails() -> None:
    verdict = await sent_as_the_wizard_would("emergency-prepaid", minutes="120", labor="onsite",
                                             comment="Brought the server back up.")
    # billed as plain onsite: 2.00 h, the after-hours premium lost
    failed_with(verdict, "✗ The ticket does not carry 3.00 × Labor - Onsite Business", "1.5 × the hours")


async def test_warranty_work() -> None:
    async def work(pilot, classroom):
        await bill(pilot, classroom, minutes="30", labor="warranty", comment="Replaced the drive under warranty.")

    verdict, _ = await take("warranty", work)
    assert verdict.passed, verdict.report()


async def test_warranty_work_billed_as_remote_fails() -> None:
    verdict = await sent_as_the_wizard_would("warranty", minutes="30", labor="remote",
                                             comment="Replaced the drive under warranty.")
    failed_with(verdict, "✗ The ticket does not carry 0.50 × Labor- Warranty work", "✗ Remote labor is on the ticket")


async def test_another_techs_key_the_app_refuses_and_the_lesson_passes() -> None:
    async def work(pilot, classroom):
        await settle(pilot)
        await pilot.press("b")  # refused at the first key: no wizard to fill in
        await settle(pilot)
        assert not isinstance(pilot.app.screen, (BillingScreen, ConfirmScreen))
        assert any("Write refused" in shown for shown in pilot.app.shown)

    verdict, _ = await take("another-techs-key", recording(work))
    assert verdict.passed, verdict.report()


async def test_another_techs_key_a_note_sent_anyway_fails() -> None:
    async def work(pilot, classroom):  # sent with Marcus's key outside the app (an old script, Syncro's web)
        classroom.sim.store.add_comment(classroom.ticket_id, {"subject": "Update", "body": "Looked at the backups.",
                                                              "hidden": True}, key="demo-key-marcus")

    verdict, _ = await take("another-techs-key", work)
    failed_with(verdict, "✗ Something was written on the ticket with Marcus Bell's key")


def recording(work):
    """The app's notices, kept to look at (the app is made inside ``take``)."""
    async def wrapped(pilot, classroom):
        app = pilot.app
        shown: list[str] = []
        notify = app.notify

        def keep(message, *, title="", **kwargs):
            shown.append(f"{title}: {message}")
            notify(message, title=title, **kwargs)

        app.notify = keep
        app.shown = shown
        await work(pilot, classroom)

    return wrapped


async def test_a_line_that_arrives_at_zero_is_read_back_and_patched() -> None:
    async def work(pilot, classroom):
        await bill(pilot, classroom, minutes="60", labor="onsite", comment="Replaced the panel PC's power supply.")

    verdict, _ = await take("zero-line", work)
    assert verdict.passed, verdict.report()


async def test_a_zero_line_left_as_it_came_fails() -> None:
    async def work(pilot, classroom):  # charged outside the app: nobody read the line back
        store = classroom.sim.store
        made = store.add_timer(classroom.ticket_id, {"start_at": "2026-11-20T15:00:00Z", "end_at": "2026-11-20T16:00:00Z",
                                                     "product_id": 26118, "notes": "Work"}, key="demo-key")
        store.charge_timer(classroom.ticket_id, {"timer_entry_id": made["id"]}, key="demo-key")
        ticket = store.t("tickets")[classroom.ticket_id]
        store.create_invoice({"ticket_id": ticket["id"], "customer_id": ticket["customer_id"]}, key="demo-key")

    verdict, _ = await take("zero-line", work)
    failed_with(verdict, "✗ The onsite line is not 1.00 × $175.00", "✗ The ticket does not have one invoice of $175.00")


async def test_a_lost_answer_is_read_back_and_the_run_finished_once() -> None:
    async def work(pilot, classroom):
        await bill(pilot, classroom, minutes="30", labor="remote", comment="Re-added the shared mailbox.", send=False)
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("s")
        for _ in range(200):  # the run: the invoice's answer is lost, read back, found, and the rest confirmed again
            await pilot.pause()
            if isinstance(pilot.app.screen, ConfirmScreen):
                await pilot.press("s")
            elif classroom.sim.store.t("tickets")[classroom.ticket_id]["status"] == "Invoiced":
                break
        await settle(pilot)

    verdict, _ = await take("lost-answer", work)
    assert verdict.passed, verdict.report()


async def test_an_invoice_sent_again_after_a_lost_answer_fails() -> None:
    async def work(pilot, classroom):
        await bill(pilot, classroom, minutes="30", labor="remote", comment="Re-added the shared mailbox.", send=False)
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("s")
        await settle(pilot)
        ticket = classroom.sim.store.t("tickets")[classroom.ticket_id]  # "it failed: send it again", by hand
        classroom.sim.store.create_invoice({"ticket_id": ticket["id"], "customer_id": ticket["customer_id"]},
                                           key="demo-key")

    verdict, _ = await take("lost-answer", work)
    failed_with(verdict, "✗ The ticket does not have exactly one invoice of $75.00", "billed twice")


async def test_the_demo_palette_leads_into_a_lesson() -> None:
    from ..conftest import make_simulator
    from .helpers import make_app
    from .test_writes_ui import pick

    app = make_app(make_simulator())
    app.session.settings.lessons = tuple((lesson.id, lesson.title) for lesson in LESSONS.values())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "Training")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pick(pilot, "warranty")
        for _ in range(50):
            await pilot.pause()
            if app.return_code is not None:
                break
        assert app.return_code == 0, "the demo ends"
    assert app.chosen_lesson == "warranty"  # the command line starts it once the demo has ended


async def test_a_ticket_with_a_timer_already_on_it() -> None:
    async def work(pilot, classroom):
        await bill(pilot, classroom, minutes="15", labor="remote", comment="Visit, then a follow-up call.",
                   tick_timer=True)

    verdict, _ = await take("timer-on-ticket", work)
    assert verdict.passed, verdict.report()


async def test_a_timer_already_on_the_ticket_left_uncharged_fails() -> None:
    verdict = await sent_as_the_wizard_would("timer-on-ticket", minutes="15", labor="remote",
                                             comment="Visit, then a follow-up call.", acknowledged=True)
    # the follow-up billed, the visit left on an uncharged timer
    failed_with(verdict, "✗ A timer on the ticket was never charged", "✗ The ticket does not have one invoice of $212.50")


async def test_a_customer_email_without_the_password() -> None:
    from syncro_tui.domain.comment import Visibility
    from syncro_tui.ui.ticket import TicketScreen

    from .test_comment import choose, open_comment

    async def work(pilot, classroom):
        screen = await open_comment(pilot)
        await type_text(pilot, "Wi-Fi is back")
        await choose(pilot, Visibility.EMAIL)
        await type_text(pilot, "The guest Wi-Fi works again. password: Harbor2026!")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Stopped: a customer would see what looks like a password" in rendered(screen, "#comment-problems")
        assert not isinstance(pilot.app.screen, ConfirmScreen), "the secret stop: nothing to confirm"
        await pilot.press("end", "ctrl+u")  # the body again, without it (ctrl+k is the canned responses here)
        await type_text(pilot, "The guest Wi-Fi works again. The new details are on the sticker under the router.")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("s")
        await wait_for_screen(pilot, TicketScreen)
        await settle(pilot)

    verdict, _ = await take("password-in-comment", work)
    assert verdict.passed, verdict.report()


async def test_a_password_emailed_from_outside_the_app_fails() -> None:
    async def work(pilot, classroom):  # the same email sent from Syncro's web, where nothing stops it
        classroom.sim.store.add_comment(classroom.ticket_id, {"subject": "Wi-Fi is back", "hidden": False,
                                                              "body": "Works again. password: Harbor2026!"},
                                        key="demo-key")

    verdict, _ = await take("password-in-comment", work)
    failed_with(verdict, "✗ A comment the customer sees carries what looks like a password")


@pytest.mark.parametrize("choice", ["bill", "close"])
async def test_closing_a_ticket_with_nothing_billed(choice) -> None:
    from syncro_tui.ui.dialogs import NoteScreen

    from .test_writes_ui import pick

    async def work(pilot, classroom):
        await pilot.press("c")
        await pick(pilot, choice)  # the close dialog: "Nothing is billed on this ticket yet"
        if choice == "bill":
            await bill(pilot, classroom, minutes="30", labor="remote", comment="Cleaned the print head.",
                       opened=True)
        else:  # close anyway: no resolution comment, confirmed
            await wait_for_screen(pilot, NoteScreen)
            await pilot.press("enter")
            await wait_for_screen(pilot, ConfirmScreen)
            await pilot.press("s")
            await settle(pilot)
            assert classroom.sim.store.t("tickets")[classroom.ticket_id]["status"] == "Resolved"

    verdict, _ = await take("closing-unbilled", work)
    if choice == "bill":
        assert verdict.passed, verdict.report()
    else:
        failed_with(verdict, "✗ The ticket was closed with its 30 minutes of remote work not billed")


async def test_emergency_without_a_prepaid_block() -> None:
    async def work(pilot, classroom):
        await bill(pilot, classroom, minutes="120", labor="emergency", comment="Brought the till back up.",
                   ended="yesterday 21:30")

    verdict, _ = await take("emergency-no-block", work)
    assert verdict.passed, verdict.report()


async def test_emergency_without_a_prepaid_block_billed_as_onsite_fails() -> None:
    verdict = await sent_as_the_wizard_would("emergency-no-block", minutes="120", labor="onsite",
                                             comment="Brought the till back up.")
    failed_with(verdict, "✗ The ticket does not carry 2.00 × Labor - Emergency or After Hours Business",
                "✗ Onsite labor is on the ticket")


async def test_remote_time_as_a_line_item() -> None:
    """The line-item lesson runs on its path: one line, no timer, and it checks that."""
    async def work(pilot, classroom):
        await bill(pilot, classroom, minutes="45", labor="remote", comment="Reset the Outlook profile.")

    verdict, _ = await take("remote-line", work)
    assert verdict.passed, verdict.report()
    assert "  ✓ No timer: the labor is a line item" in verdict.report()


async def test_remote_time_as_a_line_item_billed_as_an_hour_fails() -> None:
    verdict = await sent_as_the_wizard_would("remote-line", minutes="60", labor="remote",
                                             comment="Reset the Outlook profile.")
    failed_with(verdict, "✗ The ticket does not carry one line of 0.75 × Labor - Remote Business")


async def test_a_timer_on_a_line_item_shops_lesson_fails_it() -> None:
    """A timer added (and charged) as well as the line is what the line-item lesson catches."""
    async def work(pilot, classroom):
        await bill(pilot, classroom, minutes="45", labor="remote", comment="Reset the Outlook profile.")
        sim = classroom.sim
        sim.store.add_timer(classroom.ticket_id, {"start_at": "2026-11-20T09:00:00Z", "duration_minutes": 45,
                                                  "product_id": 1190473}, key="demo-key")

    verdict, _ = await take("remote-line", work)
    failed_with(verdict, "✗ A timer was added: this shop bills labor as a line item")


async def test_a_part_and_labor_on_one_ticket() -> None:
    async def work(pilot, classroom):
        async def ssds(pilot):
            await add_part(pilot, "ssd", "880103", "2", taxable=True)

        await bill(pilot, classroom, minutes="30", labor="remote", comment="Installed the new drives.", then=ssds)

    verdict, _ = await take("part-and-labor", work)
    assert verdict.passed, verdict.report()
    assert "  ✓ A line of 2 × Samsung 870 EVO 1TB SSD at $129.00 taxable" in verdict.report()


async def test_a_part_sold_untaxed_fails() -> None:
    ssd = ItemForm(product_id=880103, name="Samsung 870 EVO 1TB SSD", description="Samsung 870 EVO 1TB SSD",
                   price_retail=Decimal("129.00"), quantity=Decimal(2), taxable=False)
    verdict = await sent_as_the_wizard_would("part-and-labor", minutes="30", labor="remote",
                                             comment="Installed the new drives.", items=[ssd])
    failed_with(verdict, "✗ The ticket does not carry one line of 2 × Samsung 870 EVO 1TB SSD at $129.00, taxable")
    assert verdict.mistakes == ["A line of 2 × Samsung 870 EVO 1TB SSD at $129.00 taxable"]
