"""The ticket screen on the simulator: details, comments, billing, hostile text, errors in place, triage."""

from __future__ import annotations

from decimal import Decimal

from syncro_tui.simulator import Simulator
from syncro_tui.simulator.shop import HOSTILE_COMMENT
from syncro_tui.ui.confirm import ConfirmScreen
from syncro_tui.ui.dialogs import ChoiceScreen
from syncro_tui.ui.ticket import TicketScreen

from ..conftest import make_simulator
from .helpers import SIZE, make_app, settle, wait_for_screen


def text_of(screen: TicketScreen, part: str) -> str:
    """What a part of the ticket screen shows, as plain text (rendered at the screen's width)."""
    from rich.console import Console

    console = Console(width=140, record=True, color_system=None)
    console.print(screen.query_one(f"#ticket-{part}").content)
    return console.export_text()


async def open_ticket_screen(pilot, ticket_id: int) -> TicketScreen:
    await settle(pilot)
    pilot.app.queue_screen.open_ticket(ticket_id)
    screen = await wait_for_screen(pilot, TicketScreen)
    await settle(pilot)
    return screen


def busiest(sim: Simulator) -> dict:
    """The open ticket with the most comments."""
    counts: dict[int, int] = {}
    for c in sim.store.t("comments").values():
        counts[c["ticket_id"]] = counts.get(c["ticket_id"], 0) + 1
    return max((t for t in sim.store.t("tickets").values() if t["status"] not in ("Resolved", "Invoiced", "Closed")),
               key=lambda t: counts.get(t["id"], 0))


async def test_the_ticket_shows_its_details_and_the_last_five_comments_newest_first() -> None:
    sim = make_simulator()
    ticket = busiest(sim)
    for n in range(4):
        sim.store.add_comment(ticket["id"], {"subject": f"Follow-up {n}", "body": f"Note {n}<br>second line",
                                             "hidden": True}, key="demo-key")
    comments = [c for c in sim.store.t("comments").values() if c["ticket_id"] == ticket["id"]]
    assert len(comments) > 5
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_ticket_screen(pilot, ticket["id"])
        head = text_of(screen, "head")
        assert f"#{ticket['number']}" in head and ticket["subject"] in head and ticket["status"] in head
        shown = text_of(screen, "comments")
        assert f"Comments ({len(comments)}), newest first" in shown and "showing 5; m shows all" in shown
        assert shown.index("Follow-up 3") < shown.index("Follow-up 2"), "newest first"
        assert " PRIVATE " in shown and "Note 3\n" in shown.replace("    ", "") and "second line" in shown
        assert shown.count(" 2026, ") == 5
        await pilot.press("m")
        assert text_of(screen, "comments").count(" 2026, ") == len(comments)


async def test_hostile_text_is_shown_literally() -> None:
    sim = make_simulator()
    hostile = next(c for c in sim.store.t("comments").values() if c["body"] == HOSTILE_COMMENT)
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_ticket_screen(pilot, hostile["ticket_id"])
        await pilot.press("m")
        shown = text_of(screen, "comments")
        assert "␛[31m ERROR ␛[0m[bold]ALL CAPS[/bold]␇" in shown
        assert "␛]0;owned␇then a line with [link=http://example.invalid]a link[/link]" in shown
        assert "\x1b" not in shown and "\x07" not in shown


async def test_billing_shows_line_items_with_the_total_and_the_timers_state() -> None:
    sim = make_simulator()
    ticket = next(t for t in sim.store.t("tickets").values()
                  if any(li["ticket_id"] == t["id"] for li in sim.store.t("line_items").values())
                  and any(tm["ticket_id"] == t["id"] for tm in sim.store.t("timers").values()))
    lines = [li for li in sim.store.t("line_items").values() if li["ticket_id"] == ticket["id"]]
    total = sum(Decimal(li["quantity"]) * Decimal(li["price_retail"]) for li in lines)
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_ticket_screen(pilot, ticket["id"])
        billing = text_of(screen, "billing")
        assert f"${total:,.2f}" in billing
        assert "charged" in billing
        invoiced = [i for i in sim.store.t("invoices").values() if i["ticket_id"] == ticket["id"]]
        assert ("Invoiced: #" in billing) == bool(invoiced)


async def test_an_unknown_ticket_and_a_server_error_are_told_in_place() -> None:
    sim = make_simulator()
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_ticket_screen(pilot, 999)
        assert "is not in Syncro" in text_of(screen, "head")
        await pilot.press("escape")
        ticket = busiest(sim)
        sim.add_fault(kind="500", route="get_ticket", times=3)
        screen = await open_ticket_screen(pilot, ticket["id"])
        assert "could not be read" in text_of(screen, "head") and "Press r" in text_of(screen, "head")
        await pilot.press("r")
        await settle(pilot)
        assert ticket["subject"] in text_of(screen, "head")


async def test_status_from_the_ticket_screen_goes_through_the_confirm_and_reloads() -> None:
    sim = make_simulator()
    ticket = busiest(sim)
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_ticket_screen(pilot, ticket["id"])
        await pilot.press("s")
        choice = await wait_for_screen(pilot, ChoiceScreen)
        choice.query_one("#choices").highlighted = [v for v, _ in choice.choices].index("Waiting on Vendor")
        await pilot.press("enter")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("s")
        await settle(pilot)
        assert sim.store.t("tickets")[ticket["id"]]["status"] == "Waiting on Vendor"
        assert "Waiting on Vendor" in text_of(screen, "head")


def test_ticket_snapshot(snap_compare) -> None:
    sim = make_simulator()
    ticket = busiest(sim)

    async def run_before(pilot) -> None:
        await open_ticket_screen(pilot, ticket["id"])

    assert snap_compare(make_app(sim), terminal_size=(150, 60), run_before=run_before)


async def test_j_and_k_scroll_a_long_ticket() -> None:
    sim = make_simulator()
    ticket = busiest(sim)
    app = make_app(sim)
    async with app.run_test(size=(100, 16)) as pilot:
        screen = await open_ticket_screen(pilot, ticket["id"])
        body = screen.query_one("#ticket-body")
        assert body.max_scroll_y > 0
        await pilot.press("j", "j", "j")
        assert body.scroll_y == 3
        await pilot.press("k")
        assert body.scroll_y == 2


async def test_an_invoice_with_tax_adds_up_beside_the_lines_before_tax() -> None:
    """Lines of $395.50 beside an invoice of $418.85 looked like a mistake: the tax is said."""
    from ..simulator.helpers import open_ticket as a_ticket

    sim = make_simulator()
    ticket = a_ticket(sim)
    for li in [li for li in sim.store.t("line_items").values() if li["ticket_id"] == ticket["id"]]:
        del sim.store.t("line_items")[li["id"]]
    sim.store.add_line_item(ticket["id"], {"name": "SSD", "description": "Samsung 1TB SSD", "quantity": "1",
                                           "price_retail": "129.00", "taxable": True, "product_id": 880103},
                            key="demo-key")
    invoice = sim.store.create_invoice({"ticket_id": ticket["id"]}, key="demo-key")
    invoice = invoice.get("invoice", invoice)
    assert Decimal(invoice["tax"]) == Decimal("10.64")  # 8.25 % of $129.00
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_ticket_screen(pilot, ticket["id"])
        billing = text_of(screen, "billing")
        assert f"Invoiced: #{invoice['number']} ($129.00 + $10.64 tax = $139.64)" in billing
        assert "Total before tax" in billing


async def test_the_ticket_is_drawn_with_its_comments_when_its_invoices_cannot_be_read() -> None:
    """The ticket is drawn as soon as it is read; its invoices come after it. When Syncro refuses those, the ticket
    and its comments stay, and the billing part says so (r reads again)."""
    sim = make_simulator()
    ticket = busiest(sim)
    sim.add_fault(kind="500", route="list_invoices", times=0)
    app = make_app(sim)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_ticket_screen(pilot, ticket["id"])
        assert f"#{ticket['number']}" in text_of(screen, "head") and "Comments (" in text_of(screen, "comments")
        assert "Its invoices could not be read" in text_of(screen, "billing")
        sim.faults.clear()
        await pilot.press("r")
        await settle(pilot)
        assert "could not be read" not in text_of(screen, "billing")
