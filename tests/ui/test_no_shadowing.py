"""No screen or widget of the app hides one of Textual's own properties or reactives by accident (issue 35).

The queue screen had ``visible`` and ``auto_refresh`` methods over Textual's properties of those names: it
worked only because a bound method is truthy. A name taken on purpose is listed here with its reason.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.app import App
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget

import syncro_tui.ui as ui

#: Overridden on purpose: (class, name) and why.
ON_PURPOSE = {
    # A one-line input's size is fixed by CSS: its virtual size need not lay the screen out on every key.
    ("OneLineInput", "virtual_size"),
}


def test_no_screen_or_widget_hides_a_textual_property() -> None:
    hidden = set()
    for info in pkgutil.iter_modules(ui.__path__):
        module = importlib.import_module(f"syncro_tui.ui.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or not issubclass(cls, (Screen, Widget, App)):
                continue
            for name in vars(cls):
                if name.startswith("_"):
                    continue
                for base in cls.__mro__[1:]:
                    if base.__module__.startswith("textual") and name in vars(base):
                        if isinstance(vars(base)[name], (property, Reactive)):
                            hidden.add((cls.__name__, name))
                        break
    assert hidden - ON_PURPOSE == set()
