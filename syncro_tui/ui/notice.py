"""Desktop notifications for alerts (issue 19): the terminal's own sequence where it has one, else ``notify-send``.

Terminals that raise a desktop notification from an escape sequence:

- OSC 99 (kitty's protocol, title and body): kitty;
- OSC 777 ``notify`` (title and body): WezTerm, Ghostty, foot, rxvt-unicode;
- OSC 9 (body only): iTerm2.

Inside tmux the sequence is wrapped for tmux to pass it on (tmux needs
``set -g allow-passthrough on`` for that). Syncro's text is made safe first:
a control character left in it would end the sequence early and let the rest
reach the terminal as commands. ``[alerts] desktop_by`` picks a way when the
terminal cannot be told from its environment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Mapping

from .text import clean

OSC = "\x1b]"
ST = "\x1b\\"


def terminal_protocol(env: Mapping[str, str]) -> str | None:
    """The notification sequence this terminal understands, told from its environment; None: none known."""
    term = env.get("TERM", "")
    program = env.get("TERM_PROGRAM", "")
    if env.get("KITTY_WINDOW_ID") or term == "xterm-kitty":
        return "osc99"
    if (program in ("WezTerm", "ghostty") or env.get("WEZTERM_PANE") or env.get("GHOSTTY_RESOURCES_DIR")
            or term.startswith(("foot", "rxvt-unicode", "xterm-ghostty"))):
        return "osc777"
    if program == "iTerm.app" or env.get("LC_TERMINAL") == "iTerm2":
        return "osc9"
    return None


def sequence(protocol: str, title: str, body: str, *, tmux: bool = False) -> str:
    """The escape sequence that asks the terminal for a notification, with Syncro's text made inert."""
    title, body = clean(title), clean(body)
    if protocol == "osc99":
        # Kitty: the title first (d=0: more follows), then the body; one id ties them together.
        text = f"{OSC}99;i=syncro-tui:d=0:p=title;{title}{ST}{OSC}99;i=syncro-tui:d=1:p=body;{body}{ST}"
    elif protocol == "osc777":
        text = f"{OSC}777;notify;{title.replace(';', ',')};{body}{ST}"
    elif protocol == "osc9":
        text = f"{OSC}9;{title}: {body}{ST}"
    else:
        raise ValueError(f"unknown notification protocol {protocol!r}")
    if tmux:
        text = "\x1bPtmux;" + text.replace("\x1b", "\x1b\x1b") + ST
    return text


def desktop_notice(title: str, text: str, *, write: Callable[[str], bool], way: str = "auto",
                   env: Mapping[str, str] | None = None) -> str | None:
    """Raise a desktop notification; returns how ("osc777", "notify-send", ...), or None when there was no way.

    ``write`` puts text on the terminal (False: headless, no terminal to ask); ``way`` is ``[alerts] desktop_by``.
    """
    env = os.environ if env is None else env
    protocol = terminal_protocol(env) if way == "auto" else way
    if protocol and protocol != "notify-send" and write(sequence(protocol, title, text, tmux=bool(env.get("TMUX")))):
        return protocol
    program = shutil.which("notify-send")
    if program is None or way not in ("auto", "notify-send"):
        return None
    try:
        subprocess.Popen([program, "--app-name=syncro-tui", clean(title), clean(text)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        return None  # the toast still says it
    return "notify-send"
