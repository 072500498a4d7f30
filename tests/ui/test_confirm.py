"""The confirm screen: shows the exact bytes that will be sent; only a deliberate key sends."""

from __future__ import annotations

from syncro_tui.ui.base import SyncroBase

from syncro_tui.api import SyncroClient
from syncro_tui.api import requests as rq
from syncro_tui.config import Config
from syncro_tui.demo import demo_settings
from syncro_tui.session import Session, Settings
from syncro_tui.ui.app import styles_dir
from syncro_tui.ui.confirm import ConfirmScreen
from syncro_tui.writes.recovery import Confirmation

from ..writes.plans import projector_ticket

REQUESTS = [
    rq.add_comment(108412345, subject="Resolution", body="Replaced the switch.<br>All ports up. [bold]ok[/bold]",
                   hidden=False, do_not_email=False),
    rq.update_ticket(108412345, {"status": "Resolved"}),
]


def no_syncro(settings: Settings) -> SyncroClient:
    raise AssertionError("the confirm alone never reaches Syncro")


class Host(SyncroBase):
    """The confirm on an app of its own, whose session is never opened."""

    CSS_PATH = str(styles_dir() / "app.tcss")

    def __init__(self, screen: ConfirmScreen | None = None) -> None:
        super().__init__(Session(read_settings=lambda: demo_settings(Config()), connect=no_syncro))
        self.answers: list[bool | None] = []
        self.confirm = screen or ConfirmScreen(Confirmation(
            "Ticket #31990 for Brightline Dental: post the resolution (emailed to the contact), then resolve.",
            tuple(REQUESTS), notes=("Jordan Alvarez <jordan.alvarez@brightlinedental.example> gets an email.",)))

    def on_mount(self) -> None:
        self.push_screen(self.confirm, self.answers.append)


async def test_enter_does_not_send_and_s_does() -> None:
    app = Host()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("enter")
        assert app.answers == [] and isinstance(app.screen, ConfirmScreen)
        await pilot.press("space", "y", "s")  # typing, not a decision: s is disarmed
        assert app.answers == [] and isinstance(app.screen, ConfirmScreen)
        assert app.screen.check_action("send", ()) is None  # greyed out in the footer, not offered
        await pilot.press("enter")
        assert app.screen.check_action("send", ()) is True
        await pilot.press("s")
        assert app.answers == [True]


async def test_escape_cancels_without_sending() -> None:
    app = Host()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.press("escape")
        assert app.answers == [False]


async def test_the_preview_is_the_sent_body_verbatim() -> None:
    app = Host()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        bodies = [str(w.render()) for w in app.screen.query(".confirm-body")]
        assert bodies == [r.body_json() for r in REQUESTS]
        calls = [str(w.render()) for w in app.screen.query(".confirm-call")]
        assert calls == ["1/2  POST /tickets/108412345/comment", "2/2  PUT /tickets/108412345"]


def test_confirm_snapshot(snap_compare) -> None:
    assert snap_compare(Host(), terminal_size=(110, 40))


def test_a_group_shows_placeholders_for_the_ids_earlier_calls_return(snap_compare) -> None:
    plan = projector_ticket(30010051)
    app = Host(ConfirmScreen.for_plan(plan))
    assert snap_compare(app, terminal_size=(110, 50))
