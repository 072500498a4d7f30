"""A write operation as the tech confirms it, before anything is sent (no I/O).

A plan is the sentence in words on top of the confirm screen and every call in
order. A later call that needs an id an earlier one returns names it with a
``Ref`` (shown as ``<id from call N>``); the write path fills it in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..api.requests import ApiRequest


@dataclass(frozen=True)
class Plan:
    """A multi-call operation as the tech confirms it: a sentence in words and every call in order."""

    kind: str
    title: str
    steps: tuple[ApiRequest[Any], ...]
    ticket_id: int | None = None
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError("a plan needs at least one call")
        for seq, req in enumerate(self.steps):
            if not req.is_write:
                raise ValueError(f"{req.call} is not a write")
            late = [r for r in req.refs if r.step >= seq]
            if late:
                raise ValueError(f"call {seq + 1} ({req.call}) needs {late[0].label}, which is not an earlier call")
