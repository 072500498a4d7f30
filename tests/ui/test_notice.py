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

    assert desktop_notice("Urgent", "#7", write=write, env={"TERM_PROGRAM": "WezTerm"}) == "osc777"
    assert written == ["\x1b]777;notify;Urgent;#7\x1b\\"] and started == []
    # A terminal the app cannot name: notify-send, with the text made safe.
    assert desktop_notice("Urgent", "#7\x1b[2J", write=write, env={"TERM": "xterm"}) == "notify-send"
    assert started[-1][-2:] == ["Urgent", "#7␛[2J"]
    # Headless (no terminal to write to): notify-send even where the terminal would have had a sequence.
    assert desktop_notice("Urgent", "#7", write=lambda text: False, env={"TERM_PROGRAM": "WezTerm"}) == "notify-send"
    # The config names the way: osc9 is written although the environment says nothing.
    assert desktop_notice("Urgent", "#7", write=write, way="osc9", env={}) == "osc9"
    assert written[-1] == "\x1b]9;Urgent: #7\x1b\\"
    # A named sequence the app cannot write (headless) does not fall back to another way.
    assert desktop_notice("Urgent", "#7", write=lambda text: False, way="osc9", env={}) is None


def test_no_way_at_all_is_quiet(monkeypatch):
    monkeypatch.setattr(notice.shutil, "which", lambda name: None)
    assert desktop_notice("Urgent", "#7", write=lambda text: False, env={}) is None
