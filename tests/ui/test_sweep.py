"""The end-of-day sweep by keys (issue 20): on a seeded day whose every leak is known, it finds exactly those,
and each fix it opens lands in Syncro."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from decimal import Decimal
from zoneinfo import ZoneInfo

from syncro_tui.domain.sweep import FixKind, LeakKind
from syncro_tui.simulator.scenarios import LEAKS, NOT_LEAKS, Moment, leaky_day
from syncro_tui.ui.billing import BillingScreen
from syncro_tui.ui.confirm import ConfirmScreen
from syncro_tui.ui.sweep import SweepScreen
from syncro_tui.ui.ticket import TicketScreen

from ..conftest import FIXED_NOW, make_simulator
from .helpers import SIZE, HeldAnswer, make_app, rendered, settle, wait_for_screen
from .test_clock import LOCAL_CLOCK
from .test_writes_ui import pick

TZ = ZoneInfo("America/Chicago")
MONDAY = date(2026, 11, 23)  # the seed's day is Friday the 20th: nothing of it was updated on Monday

KIND_OF = {"comment only": LeakKind.UNBILLED, "visit only": LeakKind.UNBILLED, "status changed": LeakKind.UNBILLED,
           "resolved not invoiced": LeakKind.NOT_INVOICED, "timer not charged": LeakKind.UNCHARGED_TIMER,
           "line at 0.00": LeakKind.ZERO_LINE, "invoice at 0.00": LeakKind.ZERO_INVOICE, "work clock": LeakKind.CLOCK}


def monday(tmp_path):
    moment = Moment(FIXED_NOW)
    sim = make_simulator(clock=moment)
    ids = leaky_day(sim.store, moment, MONDAY, TZ)  # ends at 17:00
    app = make_app(sim, journal_path=tmp_path / "j.sqlite", config=LOCAL_CLOCK)  # the day's work clock: this machine's
    app.session.clock = moment
    return sim, moment, ids, app


async def on_row(pilot, ticket_id: int) -> None:
    table = pilot.app.screen.query_one("#queue-table")
    table.cursor_row = table.index_of(str(ticket_id))
    await pilot.pause()


async def open_sweep(pilot) -> SweepScreen:
    await pilot.press("E")
    screen = await wait_for_screen(pilot, SweepScreen)
    await settle(pilot)
    return screen


def found(screen: SweepScreen, ids: dict[str, int]) -> set[tuple[str, LeakKind]]:
    names = {v: k for k, v in ids.items()}
    return {(names.get(leak.where.ticket_id, f"ticket {leak.where.ticket_id}"), leak.kind) for leak in screen.leaks}


async def select_leak(pilot, screen: SweepScreen, ticket_id: int) -> None:
    table = screen.query_one("#sweep-table")
    table.move_cursor(row=next(n for n, leak in enumerate(screen.leaks) if leak.where.ticket_id == ticket_id))
    await pilot.pause()


async def test_the_sweep_finds_exactly_the_days_leaks_and_none_of_the_look_alikes(tmp_path) -> None:
    sim, moment, ids, app = monday(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # The two leaks that are the app's: a status changed through it (its journal says who), a work clock.
        await on_row(pilot, ids["status changed"])
        await pilot.press("s")
        await pick(pilot, "In Progress")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("s")
        await settle(pilot)
        await on_row(pilot, ids["work clock"])
        await pilot.press("w")
        moment.at += timedelta(minutes=40)
        screen = await open_sweep(pilot)
        assert found(screen, ids) == {(label, KIND_OF[label]) for label in LEAKS}
        assert not {label for label, _ in found(screen, ids)} & set(NOT_LEAKS)
        state = rendered(screen, "#sweep-state")
        assert "8 leaks: $838.00 at stake, and 2 whose amount is not known" in state
        by_label = {label: leak for leak in screen.leaks
                    for label, i in ids.items() if i == leak.where.ticket_id}
        assert by_label["visit only"].stake == "≥ $225.00"
        assert by_label["work clock"].stake == "≥ $100.50"
        assert by_label["status changed"].words == "Touched (status changed (now In Progress)) and no time recorded."
        # A day of the seed's own, swept too: [ goes back a day (the weekend), and nothing of Monday's is there.
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.day == MONDAY - timedelta(days=1)
        assert {label for label, _ in found(screen, ids)} <= {"work clock"}


async def test_each_fix_the_sweep_opens_lands_in_syncro(tmp_path) -> None:
    sim, moment, ids, app = monday(tmp_path)
    sim.store.account["draft_invoices"] = False  # a $0.00 invoice is then the tech's to delete in Syncro's web
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_sweep(pilot)
        calls = len(sim.calls)

        # A Resolved ticket never invoiced: Enter, the invoice's calls confirmed, sent; then only that ticket is read.
        await select_leak(pilot, screen, ids["resolved not invoiced"])
        await pilot.press("enter")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert [r.call for r in confirm.requests] == ["create_invoice", "check_invoice", "update_ticket"]
        await pilot.press("s")
        await wait_for_screen(pilot, SweepScreen)
        await settle(pilot)
        ticket = sim.store.t("tickets")[ids["resolved not invoiced"]]
        assert ticket["status"] == "Invoiced"
        (invoice,) = [i for i in sim.store.t("invoices").values() if i["ticket_id"] == ticket["id"]]
        assert Decimal(invoice["total"]) == Decimal("75.00")
        assert ids["resolved not invoiced"] not in {leak.where.ticket_id for leak in screen.leaks}
        reads = [c for c in list(sim.calls)[calls:] if c[0] == "GET"]
        assert reads.count(("GET", "list_tickets")) == 0, "after a fix only its ticket is read again"

        # A timer never charged: charged, read back, invoiced.
        await select_leak(pilot, screen, ids["timer not charged"])
        await pilot.press("enter")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert [r.call for r in confirm.requests][:2] == ["charge_timer", "check_line_item"]
        await pilot.press("s")
        await wait_for_screen(pilot, SweepScreen)
        await settle(pilot)
        (timer,) = [t for t in sim.store.t("timers").values() if t["ticket_id"] == ids["timer not charged"]]
        assert timer["recorded"]
        (invoice,) = [i for i in sim.store.t("invoices").values() if i["ticket_id"] == ids["timer not charged"]]
        assert Decimal(invoice["total"]) == Decimal("112.50")

        # A line that arrived at $0.00: one confirmed patch to the rate table's price.
        await select_leak(pilot, screen, ids["line at 0.00"])
        await pilot.press("enter")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert [(r.call, r.body["price_retail"]) for r in confirm.requests] == [("update_line_item", "175.00")]
        await pilot.press("s")
        await wait_for_screen(pilot, SweepScreen)
        await settle(pilot)
        (line,) = [li for li in sim.store.t("line_items").values() if li["ticket_id"] == ids["line at 0.00"]]
        assert Decimal(str(line["price_retail"])) == Decimal("175.00")

        # A visit with no time: the wizard, with the visit's minutes and end filled in.
        await select_leak(pilot, screen, ids["visit only"])
        await pilot.press("enter")
        wizard = await wait_for_screen(pilot, BillingScreen)
        await settle(pilot)
        assert wizard.query_one("#minutes").value == "90"
        assert wizard.query_one("#ended").value == "2026-11-23 10:30"
        await pilot.press("escape")
        await wait_for_screen(pilot, SweepScreen)
        await settle(pilot)

        # A $0.00 invoice is the tech's to delete in Syncro: the ticket opens, and the words say how.
        await select_leak(pilot, screen, ids["invoice at 0.00"])
        assert "delete invoice #" in rendered(screen, "#sweep-detail")
        await pilot.press("enter")
        await wait_for_screen(pilot, TicketScreen)
        await pilot.press("escape")
        await wait_for_screen(pilot, SweepScreen)
        await settle(pilot)
        assert found(screen, ids) == {("comment only", LeakKind.UNBILLED), ("visit only", LeakKind.UNBILLED),
                                      ("invoice at 0.00", LeakKind.ZERO_INVOICE)}


def zero_invoice_day(tmp_path):
    """The leaky Monday, its $0.00 invoice's ticket and the invoice (as the simulator holds it)."""
    sim, _moment, ids, app = monday(tmp_path)
    ticket_id = ids["invoice at 0.00"]
    (invoice,) = [i for i in sim.store.t("invoices").values() if i["ticket_id"] == ticket_id]
    return sim, app, ticket_id, invoice


async def test_a_zero_invoice_is_corrected_through_a_draft_by_keys(tmp_path) -> None:
    """Where the account has draft invoices: Enter pulls the $0.00 invoice back to draft, sets its line (and the
    ticket's) to the rate table's price, publishes it, and reads it back; the leak is gone."""
    sim, app, ticket_id, invoice = zero_invoice_day(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_sweep(pilot)
        await select_leak(pilot, screen, ticket_id)
        leak = next(leak for leak in screen.leaks if leak.where.ticket_id == ticket_id)
        assert leak.fix.kind is FixKind.DRAFT and "can go back to draft" in rendered(screen, "#sweep-detail")
        await pilot.press("enter")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert [r.call for r in confirm.requests] == ["invoice_to_draft", "update_invoice_line", "update_line_item",
                                                      "publish_invoice", "check_invoice"]
        assert confirm.requests[1].body == {"price": "150.00"}  # remote labor, the rate table's price
        await pilot.press("s")
        await wait_for_screen(pilot, SweepScreen)
        await settle(pilot)
        assert ticket_id not in {leak.where.ticket_id for leak in screen.leaks}
    fixed = sim.store.t("invoices")[invoice["id"]]
    assert (Decimal(fixed["total"]), fixed["draft"]) == (Decimal("150.00"), False)
    (line,) = [li for li in sim.store.t("line_items").values() if li["ticket_id"] == ticket_id]
    assert Decimal(str(line["price_retail"])) == Decimal("150.00")
    assert [i["id"] for i in sim.store.t("invoices").values() if i["ticket_id"] == ticket_id] == [invoice["id"]]


@pytest.mark.parametrize(("refusal", "said"), [
    ("drafts off", "This account has draft invoices off."),
    ("paid", "is paid: it cannot go back to draft."),  # the invoice read says so: nothing is offered to send
    ("posted", "Syncro would not make it a draft: Invoice has been posted to accounting"),
])
async def test_a_draft_syncro_refuses_changes_nothing_and_says_how_by_hand(tmp_path, refusal, said) -> None:
    """Refused at the first call (404 where drafts are off, 422 after a payment or an accounting post): nothing is
    written, and the words say why and how it is done in Syncro's web."""
    sim, app, ticket_id, invoice = zero_invoice_day(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_sweep(pilot)
        # What changed in Syncro after the day was read (drafts turned off: after the confirm came up):
        if refusal == "paid":
            invoice["is_paid"] = True
        else:
            invoice["accounting_posted"] = True
        before = sim.store.dumps()
        await select_leak(pilot, screen, ticket_id)
        await pilot.press("enter")
        if refusal != "paid":
            await wait_for_screen(pilot, ConfirmScreen)
            if refusal == "drafts off":
                sim.store.account["draft_invoices"] = False
                before = sim.store.dumps()
            await pilot.press("s")
            await wait_for_screen(pilot, SweepScreen)
        await settle(pilot)
        shown = "\n".join(app.shown)
        assert said in shown and f"delete invoice #{invoice['number']} in Syncro's web" in shown
        assert ticket_id in {leak.where.ticket_id for leak in screen.leaks}
    assert sim.store.dumps() == before


async def test_a_sweep_that_cannot_read_the_day_says_so_and_keeps_nothing_stale(tmp_path) -> None:
    sim, moment, ids, app = monday(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        sim.add_fault(kind="500", route="list_invoices", times=0)
        screen = await open_sweep(pilot)
        assert "The day could not be read from Syncro" in rendered(screen, "#sweep-state")
        assert screen.leaks == []
        sim.faults.clear()
        await pilot.press("r")
        await settle(pilot)
        assert len(screen.leaks) == 6


async def test_a_fix_left_mid_send_is_not_offered_again_and_lands_once(tmp_path, monkeypatch) -> None:
    """Escape on the sweep while the invoice is in flight, then u, r, s: the send goes on (leaving never cancels
    it), Unfinished says it is sending now and will not resume it, and Syncro holds one invoice."""
    from syncro_tui.simulator import app as simulator_app
    from syncro_tui.ui.unfinished import UnfinishedScreen

    held = HeldAnswer()
    monkeypatch.setattr(simulator_app, "asyncio", held)
    sim, moment, ids, app = monday(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_sweep(pilot)
        await select_leak(pilot, screen, ids["resolved not invoiced"])
        sim.faults.add(kind="latency", route="create_invoice", delay=HeldAnswer.HOLD)
        await pilot.press("enter")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("s")
        await held.holding.wait()  # the invoice is in flight
        await pilot.press("escape")  # leave the sweep
        for _ in range(100):
            await pilot.pause()
            if not isinstance(app.screen, SweepScreen):
                break
        await pilot.press("u")
        unfinished = await wait_for_screen(pilot, UnfinishedScreen)
        table = unfinished.query_one("#unfinished-table")
        rows = [" ".join(str(cell) for cell in table.get_row_at(n)) for n in range(table.row_count)]
        assert len(rows) == 1 and "Sending now, from this window" in rows[0]
        await pilot.press("r")
        for _ in range(20):
            await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen), "its own send was offered to be sent again"
        held.release.set()
        await settle(pilot)
    ticket = sim.store.t("tickets")[ids["resolved not invoiced"]]
    invoices = [i for i in sim.store.t("invoices").values() if i["ticket_id"] == ticket["id"]]
    assert len(invoices) == 1 and Decimal(invoices[0]["total"]) == Decimal("75.00")
    assert ticket["status"] == "Invoiced"  # the rest of the fix went on after the sweep was left


async def test_charging_a_timer_on_a_ticket_with_another_leak_leaves_it_listed_and_not_invoiced(tmp_path) -> None:
    from syncro_tui.simulator.scenarios import Day

    sim, moment, ids, app = monday(tmp_path)
    both = ids["comment only"]  # touched today with no time; and a timer of last Friday's, never charged
    at = moment.at
    friday = Day(sim.store, moment, MONDAY - timedelta(days=3), TZ)
    friday.at(11)
    friday.timer(both, 45, 1190473, charge=False)
    monday_again = Day(sim.store, moment, MONDAY, TZ)
    monday_again.at(16)
    monday_again.comment(both, "Still waiting on the customer's callback.")
    moment.at = at
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_sweep(pilot)
        assert {leak.kind for leak in screen.leaks if leak.where.ticket_id == both} == {
            LeakKind.UNCHARGED_TIMER, LeakKind.UNBILLED}
        table = screen.query_one("#sweep-table")
        table.move_cursor(row=next(n for n, leak in enumerate(screen.leaks)
                                   if leak.where.ticket_id == both and leak.kind is LeakKind.UNCHARGED_TIMER))
        await pilot.press("enter")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert "update_ticket" not in [r.call for r in confirm.requests]
        assert any("not Invoiced: the ticket still has “no time”" in note for note in confirm.notes)
        await pilot.press("s")
        await wait_for_screen(pilot, SweepScreen)
        await settle(pilot)
        assert {leak.kind for leak in screen.leaks if leak.where.ticket_id == both} == {LeakKind.UNBILLED}
    assert sim.store.t("tickets")[both]["status"] != "Invoiced"


# ------------------------------------------------ the rule: a fix never hides a leak it did not address (issue 33)
def identity(leak) -> tuple:
    """A leak as itself: its ticket, its kind, and the timer or line it is about (a ticket may have two)."""
    return leak.where.ticket_id, leak.kind, leak.fix.charge_timers, leak.fix.line_id


def addressed_by(fix_leak, other) -> bool:
    """Whether ``fix_leak``'s fix addresses ``other``: a charge and invoice addresses its own timers and the
    ticket's lines waiting for an invoice; a patch, its own line."""
    if other.where.ticket_id != fix_leak.where.ticket_id:
        return False
    if fix_leak.fix.kind is FixKind.PATCH_LINE:
        return identity(other) == identity(fix_leak)
    return other.kind is LeakKind.NOT_INVOICED or (
        other.kind is LeakKind.UNCHARGED_TIMER and set(other.fix.charge_timers) <= set(fix_leak.fix.charge_timers))


async def test_no_fix_on_the_leaky_day_makes_a_leak_it_did_not_address_disappear(tmp_path) -> None:
    """The seeded leaky day, layered so that tickets leak twice: last Friday's timer never charged on every leaking
    ticket, and today's visit on the tickets whose fix makes a labor line today. Every fix the sweep sends itself is
    made, by keys, one after another; after each, every leak it did not address is still listed, and no ticket
    that still leaks was set to Invoiced."""
    from syncro_tui.simulator.scenarios import Day

    sim, moment, ids, app = monday(tmp_path)
    at = moment.at
    friday = Day(sim.store, moment, MONDAY - timedelta(days=3), TZ)
    friday.at(10)
    for label in ("comment only", "visit only", "resolved not invoiced", "timer not charged", "line at 0.00",
                  "invoice at 0.00"):
        friday.timer(ids[label], 30, 1190473, charge=False)
    today = Day(sim.store, moment, MONDAY, TZ)
    for label in ("timer not charged", "line at 0.00", "resolved not invoiced"):
        today.visit(ids[label], today.at(7), 60)
    moment.at = at
    tickets = sim.store.t("tickets")
    sendable = (FixKind.INVOICE, FixKind.PATCH_LINE)  # the fixes the sweep sends itself, each through a confirm
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_sweep(pilot)
        tried: list = []
        while (leak := next((lk for lk in screen.leaks if lk.fix.kind in sendable
                             and identity(lk) not in {identity(t) for t in tried}), None)) is not None:
            tried.append(leak)
            before = list(screen.leaks)
            status_before = {lk.where.ticket_id: tickets[lk.where.ticket_id]["status"] for lk in before}
            screen.query_one("#sweep-table").move_cursor(row=screen.leaks.index(leak))
            await pilot.pause()
            await pilot.press("enter")
            await wait_for_screen(pilot, ConfirmScreen)
            await pilot.press("s")
            await wait_for_screen(pilot, SweepScreen)
            await settle(pilot)
            after = {identity(lk) for lk in screen.leaks}
            hidden = [lk for lk in before if not addressed_by(leak, lk) and identity(lk) not in after]
            assert not hidden, f"fixing {leak.kind} on #{leak.where.number} hid {[(h.kind, h.words) for h in hidden]}"
            assert identity(leak) not in after, "the fix addressed its own leak"
            newly_invoiced = {t for t, status in status_before.items()
                              if status != "Invoiced" and tickets[t]["status"] == "Invoiced"}
            assert not newly_invoiced & {t for t, *_ in after}, "a ticket that still leaks was set to Invoiced"
        # both kinds of fix the sweep sends were made, on tickets that leak more than once, until none was left
        assert {lk.fix.kind for lk in tried} == set(sendable) and len(tried) >= 6
        assert not [lk for lk in screen.leaks if lk.fix.kind in sendable]
