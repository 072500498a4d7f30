"""A form's review worked out part by part: a part is worked out again only when what it reads has changed.

A screen keeps one ``Parts`` for as long as its form is open and hands it to the form's review at each change;
the review asks it for each part with the part's inputs. Each part is a function given its inputs whole, so it
cannot depend on something its inputs do not show. A review made without one works everything out (the command
line, tests).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TypeVar, cast

T = TypeVar("T")


class Parts:
    """The last inputs and answer of each part of one form's review."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[tuple[object, ...], object]] = {}
        #: The parts the last review worked out again (the others were as before), and how often each part has been
        #: worked out for this form.
        self.worked: set[str] = set()
        self.counts: Counter[str] = Counter()

    def begin(self) -> Parts:
        """A new review of the form: ``worked`` starts empty."""
        self.worked = set()
        return self

    def part(self, name: str, work: Callable[..., T], *inputs: object) -> T:
        """``work(*inputs)``, or its last answer when the inputs are equal to the last ones."""
        last = self._last.get(name)
        if last is not None and last[0] == inputs:
            return cast(T, last[1])
        self.worked.add(name)
        self.counts[name] += 1
        value = work(*inputs)
        self._last[name] = (inputs, value)
        return value
