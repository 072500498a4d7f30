"""The work clocks on disk: one owner-only JSON file per profile in the data directory (issue 20).

Every change is read, changed and written back at once (atomically), so a
clock survives a crash or a kill at any moment, and a second window of the
same profile sees the first one's clocks on its next change. A damaged file
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
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            self.damage = f"The work clocks could not be read ({exc.strerror or exc})."
            return {}
        try:
            clocks = [Clock.from_record(item) for item in json.loads(text)["clocks"]]
        except (ValueError, KeyError, TypeError) as exc:
            aside = self.path.with_name(f"{self.path.name}.damaged-{datetime.now():%Y%m%d-%H%M%S}")
            try:
                self.path.replace(aside)
            except OSError:
                aside = self.path
            self.damage = (f"The work clocks file was damaged ({type(exc).__name__}); it is kept at {aside} and the "
                           "app starts with no clocks.")
            return {}
        return {clock.ticket_id: clock for clock in clocks}

    def save(self, clocks: dict[int, Clock]) -> None:
        body = {"clocks": [clock.record() for clock in sorted(clocks.values(), key=lambda c: c.started_at)]}
        write_private(self.path, json.dumps(body, indent=1))

    def change(self, edit: Callable[[dict[int, Clock]], None]) -> dict[int, Clock]:
        """Read the clocks as they are on disk now, ``edit`` them in place, write them back; returns them."""
        clocks = self.load()
        edit(clocks)
        self.save(clocks)
        return clocks
