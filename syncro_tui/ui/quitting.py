"""Quitting (``q``): asked first when a write is being sent or something typed would be lost; the tech's place in the
queue is kept for the next start."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from .base import SyncroBase

if TYPE_CHECKING:
    from .queue import QueueScreen


class Quitting(SyncroBase):
    """The app's ``q``, from any screen."""

    _asking_quit = False

    if TYPE_CHECKING:
        @property
        def queue_screen(self) -> QueueScreen: ...

    async def action_quit(self) -> None:
        """Quit; first ask when a write is being sent or something typed has not been sent (drafts end with the app)."""
        if not self._asking_quit:
            self.ask_to_quit()

    @work(group="quit", exit_on_error=False)
    async def ask_to_quit(self) -> None:
        sending = self.writes is not None and self.writes.sending > 0
        # Drafts are kept on disk and come back at the next start: only asked about when they could not be kept.
        unsent = self.drafts.unsent(self.ticket_numbers()) if self.drafts_unkept else []
        if not sending and not unsent:
            self.leave()
            return
        from .dialogs import ChoiceScreen

        reasons = (["a write is being sent to Syncro now: quitting stops it between calls, and the next start "
                    "offers to finish it"] if sending else [])
        if unsent:
            reasons.append("not sent yet, and lost on quitting (they could not be kept on this machine): "
                           + ", ".join(unsent))
        self._asking_quit = True  # q again while asked: the question stays, once
        try:
            answer = await self.push_screen_wait(ChoiceScreen(
                "Quit?\n" + "\n".join(f"• {r[0].upper()}{r[1:]}." for r in reasons),
                [("stay", "Stay"), ("quit", "Quit anyway")]))
        finally:
            self._asking_quit = False
        if answer == "quit":
            self.leave()

    def leave(self) -> None:
        """Quit, keeping where the tech is in the queue for the next start."""
        if self.session.opened:
            self.queue_screen.remember_place()
        self.exit()
