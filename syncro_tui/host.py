"""What differs between the machines techs work on (Linux, macOS, Windows), each difference behind one branch.

Every call that only POSIX has (``os.kill``, ``os.chmod`` as a privacy promise, hard links) lives here, and
each function takes the platform facts as a ``Machine`` so its other branches are tested on any OS
(``tests/test_host.py``; ``tests/test_layers.py`` checks that no other module makes those calls).

- Liveness: ``psutil`` asks the OS whether a process exists. ``os.kill(pid, 0)`` only asks on POSIX; on
  Windows signal 0 is CTRL_C_EVENT and interrupts the console's processes.
- Locks: ``filelock`` around every read-modify-write file, so two windows never lose each other's change.
- Privacy: owner-only modes on POSIX; on Windows the data directory under the user's profile, whose default
  access list admits only the user, SYSTEM and Administrators. A chmod there would only set "read-only".
- The console: Git Bash's default terminal (mintty) gives a Windows program pipes, not a console.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


@dataclass(frozen=True)
class Machine:
    """The facts of the machine that change what the app does (``Machine.this()``; tests make their own)."""

    #: ``sys.platform``: "linux", "darwin" or "win32".
    system: str
    env: Mapping[str, str] = field(default_factory=dict)
    #: Whether standard input is a console (a terminal the app can read keys from without echo).
    stdin_console: bool = True

    @classmethod
    def this(cls) -> Machine:
        try:
            console = sys.stdin is not None and sys.stdin.isatty()
        except ValueError:  # closed
            console = False
        return cls(sys.platform, os.environ, console)

    @property
    def windows(self) -> bool:
        return self.system == "win32"

    @property
    def macos(self) -> bool:
        return self.system == "darwin"

    @property
    def name(self) -> str:
        return {"win32": "Windows", "darwin": "macOS", "linux": "Linux"}.get(self.system, self.system)


def alive(pid: int) -> bool:
    """Whether a process with this id exists on this machine, asked without sending it anything (every OS)."""
    import psutil

    return psutil.pid_exists(pid)


def lock_for(path: Path, *, timeout: float = 10.0):  # -> filelock.BaseFileLock (imported late: only writers need it)
    """The lock every process takes around a read-modify-write of ``path`` (a ``.lock`` file beside it)."""
    from filelock import FileLock

    return FileLock(path.with_name(path.name + ".lock"), timeout=timeout)


def make_owner_only(path: Path, *, directory: bool = False, machine: Machine | None = None) -> None:
    """Owner-only modes on POSIX. On Windows nothing is changed: the files' privacy is their folder's access list
    (the user's profile), which ``exposure`` checks; os.chmod there only sets the read-only flag."""
    machine = machine or Machine.this()
    if machine.windows:
        return
    os.chmod(path, DIR_MODE if directory else FILE_MODE)


def profile_root(machine: Machine) -> Path | None:
    """The user's own profile on Windows (``%USERPROFILE%``), under which the data directory is private."""
    root = machine.env.get("USERPROFILE") or machine.env.get("LOCALAPPDATA")
    return Path(root) if root else None


def exposure(path: Path, machine: Machine | None = None) -> str | None:
    """Who besides the tech can read ``path``, in words (None: only the tech, as far as this OS lets us tell)."""
    machine = machine or Machine.this()
    if machine.windows:
        root = profile_root(machine)
        try:
            inside = root is not None and path.resolve().is_relative_to(root.resolve())
        except OSError:
            inside = False
        if not inside:
            return (f"{path} is outside your user profile, so Windows does not keep it private by default: "
                    "check its folder's permissions (Properties → Security)")
        return None
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        return f"{path} can be read by other users of this machine (mode {stat.filemode(mode)})"
    return None


def privacy_words(machine: Machine | None = None) -> str:
    """What "readable only by you" means on this OS, said truthfully (the README and ``doctor`` say this)."""
    machine = machine or Machine.this()
    if machine.windows:
        return ("in your user profile: Windows lets only you, SYSTEM and the machine's Administrators read it "
                "(the profile's default permissions; the app sets no permissions of its own there)")
    return "readable only by you (files 0600, folders 0700)"


def terminal_protocol(env: Mapping[str, str]) -> str | None:
    """The desktop-notification sequence this terminal understands, told from its environment; None: none known."""
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


def terminal_words(machine: Machine) -> tuple[str, str | None]:
    """The terminal in words, and what will not work in it (None: keys and colours will)."""
    env = machine.env
    name = ("Windows Terminal" if env.get("WT_SESSION") else env.get("TERM_PROGRAM")
            or ("the Windows console" if machine.windows else env.get("TERM")) or "an unknown terminal")
    if env.get("TMUX"):
        name += " (inside tmux)"
    problem = console_problem(machine)
    if problem is None and not machine.stdin_console:
        problem = "standard input is not a terminal here, so the app cannot read keys (run it in a terminal)"
    if problem is None and env.get("TERM") == "dumb":
        problem = "TERM=dumb: this terminal cannot draw a full-screen app"
    if env.get("NO_COLOR"):
        colours = "no colours (NO_COLOR is set)"
    elif env.get("COLORTERM") in ("truecolor", "24bit") or env.get("WT_SESSION"):
        colours = "true colour"
    elif "256color" in env.get("TERM", ""):
        colours = "256 colours"
    else:
        colours = "the terminal's basic colours"
    return f"{name}; {colours}", problem


def desktop_words(machine: Machine, which: Callable[[str], str | None]) -> str:
    """How an alert set to "desktop" reaches the tech on this machine."""
    sequence = terminal_protocol(machine.env)
    if sequence:
        own = f"the terminal's own notification ({sequence})"
        return own + (" passed on by tmux if it has allow-passthrough on" if machine.env.get("TMUX") else "")
    if machine.windows:
        return "Windows' notification centre"
    if machine.macos:
        return "macOS Notification Center (osascript)" if which("osascript") else "nothing: osascript is missing"
    if which("notify-send"):
        return "the desktop's notifications (notify-send)"
    return "nothing outside the app: install notify-send (libnotify) for desktop alerts; toasts and the bell still work"


def console_problem(machine: Machine | None = None) -> str | None:
    """Why this terminal cannot drive a full-screen app, with the fix (None: it can, as far as can be told).

    Git Bash's default terminal, mintty, runs Windows programs on pipes instead of a console: keys arrive late or
    not at all and nothing can be read without echo. ``winpty`` or Windows Terminal give a real console."""
    machine = machine or Machine.this()
    if not machine.windows or machine.stdin_console:
        return None
    if machine.env.get("TERM_PROGRAM") == "mintty" or machine.env.get("MSYSTEM"):
        return ("This terminal (Git Bash's mintty) gives Windows programs no console, so syncro-tui cannot read "
                "keys there. Run it in Windows Terminal (Git Bash can be opened in it too), or start it "
                "as: winpty syncro-tui")
    return None


def hidden_input(machine: Machine | None = None) -> bool:
    """Whether a secret typed here stays hidden: not in mintty without a console, which echoes whatever is typed
    into the pipe it gives the program (a key piped in from a file or a script reads alike elsewhere)."""
    return console_problem(machine) is None
