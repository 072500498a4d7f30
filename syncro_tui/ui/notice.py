"""Desktop notifications for alerts: the terminal's own sequence where it has one, else the desktop's own way.

Terminals that raise a desktop notification from an escape sequence:

- OSC 99 (kitty's protocol, title and body): kitty;
- OSC 777 ``notify`` (title and body): WezTerm, Ghostty, foot, rxvt-unicode;
- OSC 9 (body only): iTerm2.

Where the terminal has none, the operating system's notification centre:

- Windows: the notification centre, through ``desktop-notifier`` (WinRT toasts);
- macOS: Notification Center, through ``osascript`` (``desktop-notifier`` only reaches it from an app bundle,
  never from a terminal), with the text passed as arguments, never as AppleScript;
- Linux and the BSDs: ``notify-send``, with the body escaped, since notification servers render a subset of
  HTML in it (links, images).

Inside tmux the sequence is wrapped for tmux to pass it on (tmux needs
``set -g allow-passthrough on`` for that). Syncro's text is made safe first:
a control character left in it would end the sequence early and let the rest
reach the terminal as commands. ``[alerts] desktop_by`` picks a way when the
terminal cannot be told from its environment.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence

from ..host import terminal_protocol
from .text import clean

__all__ = ["desktop_notice", "sequence", "system_command", "terminal_protocol"]

OSC = "\x1b]"
ST = "\x1b\\"


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


#: The ways that are the desktop's own rather than the terminal's (``[alerts] desktop_by``).
SYSTEM_WAYS = ("system", "notify-send")


def system_command(system: str, title: str, body: str, *, which: Callable[[str], str | None] | None = None,
                   ) -> tuple[str, Sequence[str]] | None:
    """The program that raises a notification on this desktop, and its arguments (None: none here).

    Windows has no such program: ``windows_notice`` sends its toast in-process."""
    title, body, which = clean(title), clean(body), which or shutil.which
    if system == "darwin":
        program = which("osascript")
        # The text travels as argv, so nothing in it is ever run as AppleScript.
        script = ["-e", "on run argv", "-e", "display notification (item 2 of argv) with title (item 1 of argv)",
                  "-e", "end run"]
        return ("osascript", [program, *script, title, body]) if program else None
    program = which("notify-send")
    # The body is markup to most notification servers (<a>, <img>): escaped, it shows as typed.
    return ("notify-send", [program, "--app-name=syncro-tui", title, html.escape(body, quote=False)]) if program else None


def windows_notice(title: str, body: str) -> None:
    """A Windows toast through desktop-notifier, on its own thread (it runs its own event loop)."""
    from desktop_notifier import DesktopNotifierSync  # a dependency on Windows only

    def send() -> None:
        try:
            DesktopNotifierSync(app_name="syncro-tui").send(title=clean(title), message=clean(body))
        except Exception:  # noqa: BLE001 - notifications off, no AUMID: the toast in the app still says it
            pass

    threading.Thread(target=send, name="desktop-notice", daemon=True).start()


def desktop_notice(title: str, text: str, *, write: Callable[[str], bool], way: str = "auto",
                   env: Mapping[str, str] | None = None, system: str = sys.platform,
                   spawn: Callable[[Sequence[str]], object] | None = None,
                   which: Callable[[str], str | None] | None = None,
                   windows: Callable[[str, str], None] | None = None) -> str | None:
    """Raise a desktop notification; returns how ("osc777", "notify-send", "osascript", "windows"), or None when
    there was no way.

    ``write`` puts text on the terminal (False: headless, no terminal to ask); ``way`` is ``[alerts] desktop_by``;
    ``system`` is ``sys.platform``.
    """
    env = os.environ if env is None else env
    protocol = terminal_protocol(env) if way == "auto" else way
    if protocol and protocol not in SYSTEM_WAYS and write(sequence(protocol, title, text, tmux=bool(env.get("TMUX")))):
        return protocol
    if way not in ("auto", *SYSTEM_WAYS):
        return None
    if system == "win32":
        (windows or windows_notice)(title, text)
        return "windows"
    found = system_command(system, title, text, which=which)
    if found is None:
        return None
    how, argv = found
    try:
        (spawn or _spawn)(argv)
    except OSError:
        return None  # the toast still says it
    return how


def _spawn(argv: Sequence[str]) -> object:
    return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
