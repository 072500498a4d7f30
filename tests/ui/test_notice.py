"""Desktop notifications: the terminal's own sequence where it has one, Syncro's text never reaching it raw."""

from __future__ import annotations

import pytest

from syncro_tui.ui import notice
from syncro_tui.ui.notice import desktop_notice, sequence, terminal_protocol


@pytest.mark.parametrize(("env", "expected"), [
    ({"TERM": "xterm-kitty"}, "osc99"),
    ({"TERM": "tmux-256color", "KITTY_WINDOW_ID": "3"}, "osc99"),
    ({"TERM_PROGRAM": "WezTerm"}, "osc777"),
    ({"TERM_PROGRAM": "ghostty"}, "osc777"),
    ({"TERM": "foot"}, "osc777"),
    ({"TERM_PROGRAM": "iTerm.app"}, "osc9"),
    ({"TERM_PROGRAM": "tmux", "LC_TERMINAL": "iTerm2"}, "osc9"),
    ({"TERM": "xterm-256color"}, None),
    ({}, None),
])
def test_the_terminal_is_told_from_its_environment(env, expected):
    assert terminal_protocol(env) == expected


def test_each_sequence_carries_title_and_body():
    assert sequence("osc777", "New ticket", "#5 Acme: printer") == "\x1b]777;notify;New ticket;#5 Acme: printer\x1b\\"
    assert sequence("osc9", "New ticket", "#5") == "\x1b]9;New ticket: #5\x1b\\"
    kitty = sequence("osc99", "New ticket", "#5")
    assert kitty == ("\x1b]99;i=syncro-tui:d=0:p=title;New ticket\x1b\\"
                     "\x1b]99;i=syncro-tui:d=1:p=body;#5\x1b\\")
    with pytest.raises(ValueError):
        sequence("osc1337", "t", "b")


@pytest.mark.parametrize("protocol", ["osc99", "osc777", "osc9"])
def test_syncro_text_cannot_end_the_sequence(protocol):
    # A subject carrying ESC \ (the string terminator), BEL and a new OSC would otherwise run as terminal commands.
    hostile = "printer\x1b\\\x1b]0;owned\x07\u202egnp.exe"
    out = sequence(protocol, "Customer reply", hostile)
    payload = out.removeprefix("\x1b]")
    # Only the sequence's own framing is left: every ESC in it starts an OSC or ends one.
    assert "\x07" not in out and "\u202e" not in out
    assert out.count("\x1b") == (4 if protocol == "osc99" else 2)
    assert "owned" in payload  # shown, made inert, not dropped


def test_a_title_semicolon_cannot_shift_the_body():
    assert sequence("osc777", "a;b", "c;d") == "\x1b]777;notify;a,b;c;d\x1b\\"


def test_inside_tmux_the_sequence_is_passed_through():
    out = sequence("osc777", "t", "b", tmux=True)
    assert out == "\x1bPtmux;\x1b\x1b]777;notify;t;b\x1b\x1b\\\x1b\\"


def test_the_terminal_is_asked_first_then_notify_send(monkeypatch):
    written, started = [], []
    monkeypatch.setattr(notice.shutil, "which", lambda name: "/usr/bin/notify-send")
    monkeypatch.setattr(notice.subprocess, "Popen", lambda argv, **kw: started.append(argv))

    def write(text):
        written.append(text)
        return True

    assert desktop_notice("Urgent", "#7", write=write, env={"TERM_PROGRAM": "WezTerm"}, system="linux") == "osc777"
    assert written == ["\x1b]777;notify;Urgent;#7\x1b\\"] and started == []
    # A terminal the app cannot name: notify-send, with the text made safe.
    assert desktop_notice("Urgent", "#7\x1b[2J", write=write, env={"TERM": "xterm"}, system="linux") == "notify-send"
    assert started[-1][-2:] == ["Urgent", "#7␛[2J"]
    # Headless (no terminal to write to): notify-send even where the terminal would have had a sequence.
    assert desktop_notice("Urgent", "#7", write=lambda text: False, env={"TERM_PROGRAM": "WezTerm"},
                          system="linux") == "notify-send"
    # The config names the way: osc9 is written although the environment says nothing.
    assert desktop_notice("Urgent", "#7", write=write, way="osc9", env={}) == "osc9"
    assert written[-1] == "\x1b]9;Urgent: #7\x1b\\"
    # A named sequence the app cannot write (headless) does not fall back to another way.
    assert desktop_notice("Urgent", "#7", write=lambda text: False, way="osc9", env={}) is None


def test_no_way_at_all_is_quiet(monkeypatch):
    monkeypatch.setattr(notice.shutil, "which", lambda name: None)
    assert desktop_notice("Urgent", "#7", write=lambda text: False, env={}, system="linux") is None


HOSTILE = "<a href='http://evil'>click</a><img src=x> \x1b]52;c;cGF5bG9hZA==\x07 \u202eexe.gnp"


def test_notify_send_gets_the_body_escaped_for_markup():
    # Notification servers render a subset of HTML in the body: a link or an image from Syncro shows as typed.
    started: list = []
    how = desktop_notice("New ticket", HOSTILE, write=lambda text: False, env={}, system="linux",
                         which=lambda name: "/usr/bin/" + name, spawn=started.append)
    assert how == "notify-send"
    body = started[0][-1]
    assert "<a" not in body and "<img" not in body and "&lt;a href='http://evil'&gt;" in body
    assert "\x1b" not in body and "\x07" not in body and "\u202e" not in body


def test_macos_uses_notification_center_with_the_text_as_arguments():
    started: list = []
    how = desktop_notice("New \"ticket\"", 'end tell" & do shell script "rm -rf ~', write=lambda text: False, env={},
                         system="darwin", which=lambda name: "/usr/bin/" + name, spawn=started.append)
    assert how == "osascript"
    argv = started[0]
    assert argv[0] == "/usr/bin/osascript"
    # The script is fixed; the title and body are its arguments, never spliced into AppleScript.
    script = " ".join(argv[1:-2])
    assert "argv" in script and "rm -rf" not in script and "ticket" not in script
    assert argv[-2:] == ['New "ticket"', 'end tell" & do shell script "rm -rf ~']


def test_windows_uses_its_notification_centre_with_the_text_made_inert():
    sent: list = []
    how = desktop_notice("Urgent", HOSTILE, write=lambda text: False, env={}, system="win32",
                         windows=lambda title, body: sent.append((title, body)))
    assert how == "windows" and len(sent) == 1
    # windows_notice cleans before desktop-notifier builds the toast's XML (which escapes what is left).
    from syncro_tui.ui.text import clean
    assert "\x1b" not in clean(sent[0][1]) and "\u202e" not in clean(sent[0][1])


def test_the_terminal_sequence_still_comes_first_on_windows_and_macos():
    written: list = []
    for system in ("win32", "darwin"):
        assert desktop_notice("Urgent", "#7", write=lambda text: written.append(text) or True,
                              env={"TERM_PROGRAM": "WezTerm"}, system=system, windows=lambda t, b: None) == "osc777"


def test_a_desktop_without_any_way_says_none():
    assert desktop_notice("Urgent", "#7", write=lambda text: False, env={}, system="darwin",
                          which=lambda name: None) is None
    assert desktop_notice("Urgent", "#7", write=lambda text: False, env={}, system="linux", way="osc9") is None


def test_desktop_notifier_still_has_the_call_windows_uses():
    # The Windows branch cannot run here; the library it calls is checked for the call it makes.
    import inspect

    import desktop_notifier  # a test dependency everywhere, so this runs on Linux CI too
    params = inspect.signature(desktop_notifier.DesktopNotifierSync.send).parameters
    assert {"title", "message"} <= set(params)
    assert "app_name" in inspect.signature(desktop_notifier.DesktopNotifierSync).parameters
