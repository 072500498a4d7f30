"""Each trainee's progress (issue 21): lessons passed, attempts, mistakes by kind, kept in the data directory.

One owner-only JSON file (``training.json``), read-modify-write at each lesson's end. A damaged file is set
aside (its name says when) and the record starts again, said to the trainer, never a failed lesson.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..files import write_private
from ..host import lock_for


@dataclass
class LessonRecord:
    attempts: int = 0
    passed: bool = False
    mistakes: dict[str, int] = field(default_factory=dict)


class Progress:
    def __init__(self, path: Path) -> None:
        self.path = path
        #: What happened to a damaged file (None: nothing to say).
        self.damage: str | None = None

    @classmethod
    def in_dir(cls, data_dir: Path) -> Progress:
        return cls(data_dir / "training.json")

    def load(self) -> dict[str, dict[str, LessonRecord]]:
        """Trainee → lesson id → record."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        try:
            data = json.loads(raw.decode("utf-8"))["trainees"]  # a bad byte is a UnicodeDecodeError: a ValueError
            return {name: {lesson: LessonRecord(int(r["attempts"]), bool(r["passed"]),
                                                {str(k): int(v) for k, v in r.get("mistakes", {}).items()})
                           for lesson, r in lessons.items()} for name, lessons in data.items()}
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            aside = self.path.with_name(f"{self.path.name}.damaged-{datetime.now():%Y%m%d-%H%M%S}")
            try:
                self.path.replace(aside)
            except OSError:
                aside = self.path
            self.damage = f"The training record was damaged ({type(exc).__name__}); it is kept at {aside}."
            return {}

    def record(self, trainee: str, lesson_id: str, *, passed: bool, mistakes: Sequence[str]) -> LessonRecord:
        with lock_for(self.path):  # two trainees ending lessons at once both keep their record
            return self._record(trainee, lesson_id, passed=passed, mistakes=mistakes)

    def _record(self, trainee: str, lesson_id: str, *, passed: bool, mistakes: Sequence[str]) -> LessonRecord:
        everyone = self.load()
        mine = everyone.setdefault(trainee, {}).setdefault(lesson_id, LessonRecord())
        mine.attempts += 1
        mine.passed = mine.passed or passed
        for kind in mistakes:
            mine.mistakes[kind] = mine.mistakes.get(kind, 0) + 1
        body: dict[str, Any] = {"trainees": {name: {lesson: {"attempts": r.attempts, "passed": r.passed,
                                                              "mistakes": r.mistakes}
                                                     for lesson, r in lessons.items()}
                                              for name, lessons in everyone.items()}}
        write_private(self.path, json.dumps(body, indent=1, ensure_ascii=False))
        return mine
