"""Issue 33, item 5: a notice never covers what the tech acts on: a confirm, the status bar, the wizard's end."""

from __future__ import annotations

from textual.widgets._toast import Toast

from syncro_tui.ui.confirm import ConfirmScreen
from syncro_tui.ui.widgets import StatusBar

from ..conftest import make_simulator
from .helpers import make_app, settle
from .test_billing import wizard_on_selected
from .test_confirm import Host


def toasts(app) -> list[Toast]:
    return [t for t in app.screen.query(Toast) if t.visible and t.region.area]


class NoticeThenConfirm(Host):
    def on_load(self) -> None:  # before Host's on_mount pushes the confirm
        self.notify("Read before the confirm", title="Earlier", timeout=60)


async def test_nothing_covers_a_confirm_and_what_came_meanwhile_is_shown_after() -> None:
    app = NoticeThenConfirm()
    async with app.run_test(size=(110, 40), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        app.notify("Syncro answers again", title="Connected")  # raised while the tech reads the calls
        await pilot.pause()
        await pilot.pause()
        assert toasts(app) == []  # neither the earlier toast nor the new one is over the calls
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        shown = [str(t.render()) for t in toasts(app)]
        assert any("Syncro answers again" in s for s in shown)  # held, not lost
        assert any("Read before the confirm" in s for s in shown)  # still up: it had time left


async def test_a_toast_never_covers_the_status_bar_nor_the_wizards_end() -> None:
    sim = make_simulator()
    app = make_app(sim)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        app.notify("A long notice that wraps onto more than one line of the toast, as most of them do", title="Saved")
        await settle(pilot)
        (toast,) = toasts(app)
        status = app.screen.query_one(StatusBar)
        assert status.region.area and not toast.region.overlaps(status.region)
        _, wizard = await wizard_on_selected(pilot, sim)
        await settle(pilot)
        (toast,) = toasts(app)
        bottom = wizard.query_one("#bill-progress").region
        assert toast.region.y < app.size.height // 2 and not toast.region.overlaps(bottom)
