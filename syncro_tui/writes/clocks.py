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

from ..domain.clock import Clock
from ..files import write_private
from ..host import lock_for


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
