"""``syncro-tui train --list`` and ``--report`` (issue 21): a shop's own lessons, a bad one said, the trainer's view."""

from __future__ import annotations

import pytest

import json
import os
from pathlib import Path

from syncro_tui import cli
from syncro_tui.writes.progress import Progress
from syncro_tui.domain.rates import BillingPath
from syncro_tui.training import lessons
from syncro_tui.host import exposure

SHOP_LESSON = '''
title = "Our website retainer"
goal = "Bill {ticket}: 30 minutes of website work."
why = "Website work has its own product."
[ticket]
customer = "Marigold Bakery"
subject = "Update the opening hours"
[[checks]]
what = "line"
labor = "website"
quantity = "0.50"
wrong = "Not 0.50 h of website labor."
'''


def data() -> Path:
    return Path(os.environ["SYNCRO_TUI_DATA_DIR"])


def test_list_shows_the_built_in_and_the_shops_lessons_and_says_a_bad_file(capsys) -> None:
    (data() / "lessons").mkdir(parents=True)
    (data() / "lessons" / "website.toml").write_text(SHOP_LESSON)
    (data() / "lessons" / "broken.toml").write_text("title = 'x'\n")
    code = cli.main(["train", "--list"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "remote-time            Remote time" in out and "website                Our website retainer" in out
    assert "lesson not used:" in err and "broken.toml: [ticket] is required" in err


def test_a_shop_is_taught_the_billing_path_it_bills_by(config_file, capsys) -> None:
    """Each lesson states the path it teaches: a line-item shop gets lessons that check lines, not timers."""
    assert cli.main(["train", "--list"]) == 0
    timer_shop = capsys.readouterr().out
    assert "remote-time " in timer_shop and "remote-line " not in timer_shop and "emergency-prepaid " in timer_shop
    config_file.write_text('[billing]\npath = "line_item"\n')
    assert cli.main(["train", "--list"]) == 0
    line_shop = capsys.readouterr().out
    assert "remote-line " in line_shop and "part-and-labor-line " in line_shop and "emergency-prepaid " in line_shop
    assert "remote-time " not in line_shop and "zero-line " not in line_shop
    assert cli.main(["train", "remote-time", "--trainee", "Sam"]) == 2
    assert "remote-time teaches the timer path, and this shop bills by line_item" in capsys.readouterr().err


def test_an_unknown_lesson_starts_nothing(capsys) -> None:
    assert cli.main(["train", "no-such-lesson", "--trainee", "Sam"]) == 2
    assert "there is no lesson 'no-such-lesson'" in capsys.readouterr().err


def test_the_trainers_report(capsys) -> None:
    line, invoice = "A line of 0.75 × Labor - Remote Business at $150.00", "1 invoice of $112.50"
    progress = Progress.in_dir(data())
    progress.record("Sam", "remote-time", passed=False, mistakes=[line, invoice])
    progress.record("Sam", "remote-time", passed=False, mistakes=[line])
    progress.record("Sam", "remote-time", passed=True, mistakes=[])
    progress.record("Sam", "warranty", passed=False, mistakes=["No line of Labor - Remote Business"])
    assert cli.main(["train", "--report"]) == 0
    out = capsys.readouterr().out
    assert f"Sam: 1 of {len(lessons(path=BillingPath.TIMER)[0])} lessons passed" in out  # the shop's path's
    # what was asked and missed, in words (it said "mistakes: line ×1", the check's kind)
    assert (f"  ✓ Remote time: 3 attempts\n      missed once: {invoice}\n      missed twice: {line}\n"
            "  ✗ Warranty work: 1 attempt\n      missed once: No line of Labor - Remote Business\n") in out
    assert cli.main(["train", "--report", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["Sam"]["remote-time"] == {"attempts": 3, "passed": True, "mistakes": {line: 2, invoice: 1}}
    assert exposure(progress.path) is None  # owner-only on POSIX, in the profile on Windows


@pytest.mark.parametrize("damaged", [b"{nope", b'{"trainees": {"Sam\xff": {}}}'])  # the byte: a traceback once
def test_a_damaged_record_is_set_aside_and_said(capsys, damaged) -> None:
    data().mkdir(parents=True, exist_ok=True)
    (data() / "training.json").write_bytes(damaged)
    assert cli.main(["train", "--report"]) == 0
    out, err = capsys.readouterr()
    assert "No lesson has been taken yet." in out and "The training record was damaged" in err
    assert list(data().glob("training.json.damaged-*"))


def test_a_lesson_runs_on_a_tuesday_morning_whenever_it_is_taken() -> None:
    from datetime import UTC, datetime, timedelta

    from syncro_tui.training import lesson_clock, lesson_zone

    real = [datetime(2026, 12, 2, 10, 19, tzinfo=UTC)]  # Wednesday 04:19 in Chicago: outside business hours
    clock = lesson_clock(lambda: real[0])
    assert clock() == datetime(2026, 12, 1, 10, 0, tzinfo=lesson_zone())
    real[0] += timedelta(minutes=45)  # the lesson's time goes on as real time does
    assert clock() == datetime(2026, 12, 1, 10, 45, tzinfo=lesson_zone())
    tuesday = lesson_clock(lambda: datetime(2026, 12, 1, 20, 0, tzinfo=UTC))  # a Tuesday: the one before
    assert tuesday() == datetime(2026, 11, 24, 10, 0, tzinfo=lesson_zone())


def test_a_lesson_whose_customer_or_fault_the_simulator_does_not_have_starts_nothing(capsys) -> None:
    (data() / "lessons").mkdir(parents=True)
    (data() / "lessons" / "nobody.toml").write_text(SHOP_LESSON.replace("Marigold Bakery", "Nobody & Co"))
    assert cli.main(["train", "nobody", "--trainee", "Sam"]) == 2
    assert "lesson nobody: no customer called 'Nobody & Co' in the simulator's data" in capsys.readouterr().err
    (data() / "lessons" / "gremlin.toml").write_text(
        SHOP_LESSON + '\n[[faults]]\nkind = "drop"\nroute = "make_coffee"\n')
    assert cli.main(["train", "--list"]) == 1  # said by the list, not only when a trainee starts it
    assert "gremlin.toml: faults name a call the simulator does not have (make_coffee)" in capsys.readouterr().err
    assert cli.main(["train", "gremlin", "--trainee", "Sam"]) == 2
    assert "make_coffee" in capsys.readouterr().err

