"""The work clocks on disk: one owner-only JSON file per profile in the data directory (issue 20).

Every change is read, changed and written back at once (atomically), under a
lock every process takes (``host.lock_for``), so a clock survives a crash or a
kill at any moment, and two windows of the same profile changing clocks at the
same moment keep both changes. A damaged file
is set aside (never deleted: the times in it may still be read by hand) and
the tech is told; the app starts with no clocks rather than failing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from typing import TYPE_CHECKING

from ..domain.clock import Clock, LiveTimer
from ..files import write_private
from ..host import lock_for

if TYPE_CHECKING:
    from ..api.models import Timer


class ClockStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        #: What happened to a damaged file, for the tech (None: nothing to say).
        self.damage: str | None = None

    @classmethod
    def for_profile(cls, data_dir: Path, profile: str) -> ClockStore:
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", profile) or "default"
        return cls(data_dir / f"clocks-{safe}.json")

    def load(self) -> dict[int, Clock]:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            self.damage = f"The work clocks could not be read ({exc.strerror or exc})."
            return {}
        try:
            records = json.loads(data.decode("utf-8"))["clocks"]  # UnicodeDecodeError is a ValueError
            if not isinstance(records, list):
                raise TypeError("clocks is not a list")
        except (ValueError, KeyError, TypeError) as exc:
            self.damage = (f"The work clocks file was damaged ({type(exc).__name__}); it is kept at "
                           f"{self._set_aside()} and the app starts with no clocks.")
            return {}
        clocks, bad = [], 0
        for item in records:
            try:
                clocks.append(Clock.from_record(item))
            except (ValueError, KeyError, TypeError, AttributeError):
                bad += 1
        if bad:  # the good clocks are kept; the file as it was is kept too, for the times in the bad ones
            self.damage = (f"{bad} work clock{'s' if bad != 1 else ''} could not be read and "
                           f"{'were' if bad != 1 else 'was'} left out; the file as it was is kept at "
                           f"{self._set_aside(copy=True)}.")
        return {clock.ticket_id: clock for clock in clocks}

    def _set_aside(self, *, copy: bool = False) -> Path:
        """Keep the damaged file under a dated name (moved, or ``copy``: copied); where it is kept."""
        aside = self.path.with_name(f"{self.path.name}.damaged-{datetime.now():%Y%m%d-%H%M%S}")
        try:
            if copy:
                aside.write_bytes(self.path.read_bytes())
            else:
                self.path.replace(aside)
        except OSError:
            return self.path
        return aside

    def save(self, clocks: dict[int, Clock]) -> None:
        body = {"clocks": [clock.record() for clock in sorted(clocks.values(), key=lambda c: c.started_at)]}
        write_private(self.path, json.dumps(body, indent=1))

    def change(self, edit: Callable[[dict[int, Clock]], None]) -> dict[int, Clock]:
        """Read the clocks as they are on disk now, ``edit`` them in place, write them back; returns them.

        No other process reads or writes the file in between (a lock beside it, waited for up to 10 s)."""
        with lock_for(self.path):
            clocks = self.load()
            edit(clocks)
            self.save(clocks)
        return clocks


class WorkClocks:
    """The tech's work clocks: those kept on this machine (``ClockStore``) and the tech's own Syncro timers
    (docs/rules.md §13), as last read or moved. No terminal here: the app asks, confirms, sends and tells.

    Changing a clock on this machine raises ``OSError`` when its file cannot be written: nothing is pretended.
    """

    def __init__(self, store: ClockStore, *, where: Callable[[], str], user_id: int | None,
                 now: Callable[[], datetime]) -> None:
        self.store = store
        #: ``[clock] where`` as the config says now: "syncro" keeps the clock in Syncro's live timers where the
        #: account has them.
        self.where = where
        self.user_id = user_id
        self.now = now
        self._local: dict[int, Clock] | None = None
        #: The tech's own Syncro timers running or paused, by ticket, as last read or moved.
        self.live: dict[int, LiveTimer] = {}
        #: Whether the account has Syncro's live timers (None: not known yet; False: the clock stays here).
        self.live_account: bool | None = None

    @property
    def read(self) -> bool:
        """Whether the clocks on this machine have been read (``local`` reads them at first use)."""
        return self._local is not None

    @property
    def local(self) -> dict[int, Clock]:
        """The clocks on this machine, as last read or written (read once at first use; ``store.damage`` says
        what could not be read)."""
        if self._local is None:
            self._local = self.store.load()
        return self._local

    def change(self, edit: Callable[[dict[int, Clock]], None]) -> None:
        """Change the clocks on disk, read again first (another window may have changed them)."""
        self._local = self.store.change(edit)

    def words(self) -> str:
        """ "⏱ #31996 ▶ 0:25  #31990 ‖ 1:10 in Syncro" for the status bar ('' with no clock)."""
        if not (self.local or self.live):
            return ""
        now = self.now()
        here = [c.shown(now) for c in sorted(self.local.values(), key=lambda c: c.started_at)]
        return "⏱ " + "  ".join(here + [t.shown(now) for t in self.live.values()])

    def reads_live(self) -> bool:
        """Whether the clock is kept in Syncro: the shop wants it there ([clock] where), the account is not known
        to lack live timers, and the profile says whose timers they are."""
        return self.where() == "syncro" and self.live_account is not False and self.user_id is not None

    def running(self, timers: list[Timer], number_of: Callable[[int], int | None]) -> None:
        """The tech's running Syncro timers as just read. An account without live timers ignores the filters and
        lists timers without a state: the clock stays on this machine from then on. Paused timers are not listed
        by that read; the ones this app paused are kept."""
        if timers and any(t.status is None for t in timers):
            self.live_account = False
            self.live = {}
            return
        if timers:
            self.live_account = True
        now = self.now()
        running = {t.ticket_id: LiveTimer(t, number_of(t.ticket_id), now) for t in timers}
        self.live = running | {k: v for k, v in self.live.items() if not v.running and k not in running}

    def moved(self, timer: Timer, number: int | None) -> None:
        """A Syncro timer as Syncro answered a move of it (started, paused, resumed or stopped)."""
        if timer.live:
            self.live[timer.ticket_id] = LiveTimer(timer, number, self.now())
        else:
            self.live.pop(timer.ticket_id, None)

    def toggle(self, ticket_id: int, number: int, subject: str) -> str:
        """``w`` on a clock kept here: started, paused or resumed; what happened, in words."""
        now = self.now()
        said: list[str] = []

        def edit(clocks: dict[int, Clock]) -> None:
            clock = clocks.get(ticket_id)
            if clock is None:
                clocks[ticket_id] = Clock.start(ticket_id, number, subject, now)
                said.append("started: W stops it and bills the time")
            elif clock.stopped:
                said.append("is stopped and waits to be billed: W bills it")
            else:
                clocks[ticket_id] = clock = clock.toggled(now)
                said.append("running again" if clock.running else "paused: w resumes it")

        self.change(edit)
        return said[0]

    def stopped(self, clock: Clock) -> None:
        """The clock stopped: kept, with its end, until a billing run puts its minutes in Syncro."""
        self.change(lambda clocks: clocks.__setitem__(clock.ticket_id, clock))

    def billed(self, ticket_id: int) -> bool:
        """A billing run of the ticket is in Syncro: its stopped clock has been billed and goes (True if it did)."""
        clock = self.local.get(ticket_id)
        if clock is None or not clock.stopped:
            return False
        def forget(clocks: dict[int, Clock]) -> None:
            clocks.pop(ticket_id, None)

        self.change(forget)
        return True
