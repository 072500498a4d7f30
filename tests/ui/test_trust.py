"""Trust by keys: nothing from memory in a crash, Syncro's text literal in every notice (issue 16)."""

from __future__ import annotations

import logging

import httpx

from syncro_tui.demo import in_process_session
from syncro_tui.simulator import DEMO_KEY
from syncro_tui.ui.app import SyncroApp
from syncro_tui.ui.confirm import ConfirmScreen
from syncro_tui.ui.error_dialog import ErrorDialog
from syncro_tui.host import exposure

from ..conftest import FIXED_NOW, make_simulator
from .helpers import SIZE, make_app, notices, settle, type_text, wait_for_screen
from .test_comment import open_comment

HOSTILE = "Evil \x1b]52;c;cHduZWQ=\x07[/dim][link=http://x.invalid]co[/link] \u202eslaunched\x1b[2J"


def screen_text(app) -> str:
    return app.export_screenshot()


def plain(svg: str) -> str:
    """The characters of a screenshot, without the SVG around them."""
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def test_an_unexpected_error_inside_a_send_in_query_mode_shows_the_key_nowhere(tmp_path, monkeypatch, caplog) -> None:
    """The key travels as ?api_key= here; a bug of ours raises with the request's params in its message."""
    caplog.set_level(logging.DEBUG)
    sim = make_simulator()
    session = in_process_session(sim, key=DEMO_KEY, clock=lambda: FIXED_NOW, journal_path=tmp_path / "j.sqlite",
                                 auth_mode="query", retry_backoff=0.01)
    app = SyncroApp(session)
    original = httpx.AsyncClient.request

    async def buggy(self, method, url, *, params=None, **kwargs):
        if method == "POST":
            raise ValueError(f"unexpected state while sending with params={params!r}")
        return await original(self, method, url, params=params, **kwargs)

    async with app.run_test(size=SIZE) as pilot:
        screen = await open_comment(pilot)
        await type_text(pilot, "Checked in")
        await pilot.press("tab", "tab")
        await type_text(pilot, "All good.")
        monkeypatch.setattr(httpx.AsyncClient, "request", buggy)
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("s")
        dialog = await wait_for_screen(pilot, ErrorDialog)
        message = dialog.message
        assert "unexpected error" in message and "ValueError" in message and "***" in message
        assert app.is_running  # the app did not end
        seen = screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert screen is not None
    assert DEMO_KEY not in message and DEMO_KEY not in seen
    assert DEMO_KEY not in caplog.text
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert DEMO_KEY.encode() not in path.read_bytes(), path
    from syncro_tui.writes.journal import Journal

    (group,) = Journal(tmp_path / "j.sqlite").open_groups()
    assert group.steps[0].state == "unknown"  # in doubt, to be read back: not "sending" forever


async def test_a_bug_in_a_background_task_is_a_dialog_and_a_redacted_report_not_the_end(tmp_path, monkeypatch) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue = app.screen

        async def broken() -> None:
            raise KeyError(f"lost {DEMO_KEY}")

        queue.run_worker(broken, name="refresh", exit_on_error=False)
        dialog = await wait_for_screen(pilot, ErrorDialog)
        assert "KeyError" in dialog.message and DEMO_KEY not in dialog.message
        assert app.is_running
    (report,) = (tmp_path / "crash-reports").iterdir()
    text = report.read_text()
    assert "KeyError" in text and "background task refresh" in text and DEMO_KEY not in text
    assert exposure(report) is None  # owner-only


async def test_notices_show_syncros_text_literally(tmp_path) -> None:
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.notify(f"Ticket for {HOSTILE} is in Syncro", title=HOSTILE)  # a markup error here used to raise
        await pilot.pause()
        (notice,) = [n for n in app._notifications if "Evil" in n.message]
        assert notice.markup is False
        for text in (notice.message, notice.title):
            assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
        assert "[/dim][link=http://x.invalid]co[/link]" in notice.message  # shown, not interpreted
        assert "<U+202E>" in notice.message and "␛]52" in notice.message
        seen = screen_text(app)
        assert "\x1b]52" not in seen and "[/dim]" in seen
    assert "Evil" in notices(app)


async def test_an_error_nothing_caught_ends_with_a_short_redacted_message_and_a_report(tmp_path, monkeypatch) -> None:
    import pytest

    from syncro_tui.ui.queue import QueueScreen

    def broken(self) -> None:
        secret_params = {"api_key": DEMO_KEY}  # a local Textual's traceback would have shown
        raise RuntimeError(f"boom with {secret_params}")

    monkeypatch.setattr(QueueScreen, "action_refresh_now", broken)
    sim = make_simulator()
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    with pytest.raises(RuntimeError):
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("r")
            await pilot.pause()
    assert app.exit_message.startswith("syncro-tui: stopped on an unexpected error (RuntimeError: boom with")
    assert DEMO_KEY not in app.exit_message and "A report without any key in it is at" in app.exit_message
    (report,) = (tmp_path / "crash-reports").iterdir()
    assert DEMO_KEY not in report.read_text() and "secret_params" in report.read_text()  # the line, not its value


RAW = ("\x1b", "\x07", "\u202e", "\x9b")


def hostile_account(sim) -> dict:
    """The queue's first ticket, its customer, contact, comment, tech and appointment, all carrying HOSTILE."""
    ticket = max((t for t in sim.store.t("tickets").values() if t["status"] == "New"), key=lambda t: t["number"])
    ticket["subject"] = f"Subject {HOSTILE}"
    ticket["priority"] = "4 Urgent"
    ticket["user_id"] = 1851
    customer = sim.store.t("customers")[ticket["customer_id"]]
    customer["fullname"] = customer["business_name"] = f"Customer {HOSTILE}"
    sim.store.t("users")[1851]["full_name"] = f"Tech {HOSTILE}"
    for contact in sim.store.t("contacts").values():
        if contact["customer_id"] == customer["id"]:
            contact["name"] = f"Contact {HOSTILE}"
    for comment in sim.store.t("comments").values():
        if comment["ticket_id"] == ticket["id"]:
            comment["body"] = f"Body {HOSTILE}"
            comment["subject"] = f"Title {HOSTILE}"
    sim.store.create_appointment({"summary": f"Visit {HOSTILE}", "start_at": "2026-11-20T18:00:00Z",
                                  "end_at": "2026-11-20T19:00:00Z", "ticket_id": ticket["id"]}, key=DEMO_KEY)
    return ticket


async def test_hostile_text_in_every_record_is_literal_on_every_screen(tmp_path) -> None:
    from textual.command import CommandPalette

    sim = make_simulator()
    hostile_account(sim)
    app = make_app(sim, journal_path=tmp_path / "j.sqlite")
    pictures: dict[str, str] = {}

    async def look(name: str, *, modal: bool = False) -> None:
        if modal:  # a worker waits on this dialog: it never settles
            for _ in range(10):
                await pilot.pause(0.05)
        else:
            await settle(pilot)
        pictures[name] = screen_text(app)

    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")  # All open, newest first
        await look("queue")
        await pilot.press("enter")
        await look("ticket")
        await pilot.press("n")
        await look("comment")
        await pilot.press("escape")
        await pilot.press("b")
        await look("billing")
        await pilot.press("escape")
        await pilot.press("c")
        await look("close", modal=True)
        await pilot.press("escape", "escape")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await wait_for_screen(pilot, CommandPalette)
        await type_text(pilot, "open")
        await look("palette", modal=True)
        await pilot.press("escape")
        await pilot.press("t")
        await look("appointments")
        await pilot.press("escape")
        await pilot.press("A")
        await look("activity")
    for name, picture in pictures.items():
        for raw in RAW:
            assert raw not in picture, f"{name} shows a raw {raw!r}"
    for name in ("queue", "ticket", "billing", "palette", "appointments"):
        assert "[/dim]" in plain(pictures[name]), f"{name} does not show the markup literally"
    for notice in app._notifications:
        assert not any(raw in notice.message + notice.title for raw in RAW)



async def test_hostile_text_kept_in_the_cache_is_literal_in_the_first_rows_drawn(tmp_path, monkeypatch) -> None:
    """A start from the cache draws its first rows before the rest is read and before Syncro answers."""
    from syncro_tui.session import queue as queue_model
    from syncro_tui.ui import queue as queue_module

    from .test_queue import run_once

    sim = make_simulator()
    hostile_account(sim)
    await run_once(sim, tmp_path)
    monkeypatch.setattr(queue_model, "CACHE_FIRST", SIZE[1] + 5)  # the two steps: 45 of the 67 first
    sim.add_fault(kind="drop", times=0)  # only the cache
    app = make_app(sim, journal_path=tmp_path / "j.sqlite", timeout=0.3)
    pictures: list[str] = []
    rest = queue_module.QueueScreen.show_rest_of_cache

    def first_draw(screen):
        if screen.model.cache_rest:
            pictures.append(screen_text(app))
        return rest(screen)

    monkeypatch.setattr(queue_module.QueueScreen, "show_rest_of_cache", first_draw)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    [picture] = pictures
    assert "reading 45 of 67" in plain(picture) and "[/dim]" in plain(picture)
    assert not any(raw in picture for raw in RAW)

async def test_the_app_starts_on_a_damaged_journal_and_says_where_the_copy_is(tmp_path) -> None:
    path = tmp_path / "j.sqlite"
    path.write_bytes(b"\x00garbage, not SQLite" * 50)
    app = make_app(make_simulator(), journal_path=path)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await wait_for_screen(pilot, ErrorDialog)
        assert dialog.title_text == "The write journal was damaged"
        (kept,) = tmp_path.glob("j.damaged-*.sqlite")
        assert str(kept) in dialog.message
        assert app.writes is not None  # writes go on, on a new journal


async def test_a_damaged_cache_is_said_once_the_app_has_its_log(tmp_path) -> None:
    (tmp_path / "cache.sqlite").write_bytes(b"\x00garbage, not SQLite" * 50)
    app = make_app(make_simulator(), journal_path=tmp_path / "j.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "the local cache could not be read" in notices(app).lower() and "moved aside" in notices(app)
        assert app.screen.query_one("#queue-table").row_count > 0  # read from Syncro
    assert "moved aside" in (tmp_path / "syncro-tui.log").read_text()
    assert list(tmp_path.glob("cache.damaged-*.sqlite"))
