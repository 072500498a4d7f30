"""``train``: lessons on the simulator in the real screens (``--list``, ``LESSON --trainee NAME``, ``--report``)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from ..domain.text import json_text
from .common import fail


def run_train(args: argparse.Namespace) -> int:
    from ..config import Config, ConfigError, data_dir, load_config
    from ..domain.lesson import LessonProblem, judge
    from ..training import Classroom, lessons
    from ..writes.progress import Progress

    try:  # the shop's billing path decides which lessons it is taught
        path = load_config().billing.path
    except ConfigError as exc:
        return fail(str(exc))
    everything, problems = lessons(data_dir() / "lessons")
    found = {k: v for k, v in everything.items() if v.for_path(path)}
    for problem in problems:
        print(f"syncro-tui: lesson not used: {problem}", file=sys.stderr)
    progress = Progress.in_dir(data_dir())
    if args.report:
        return report(progress, found, as_json=args.json)
    if args.list or not args.lesson:
        for each in found.values():
            print(f"{each.id:<22} {each.title}")
        if not args.lesson:
            print("\nStart one with: syncro-tui train LESSON --trainee 'Your Name'")
        return 0 if not problems else 1
    lesson = found.get(args.lesson)
    if lesson is None and args.lesson in everything:
        return fail(f"{args.lesson} teaches the {everything[args.lesson].path} path, and this shop bills by "
                    f"{path} ([billing] path): syncro-tui train --list shows its lessons")
    if lesson is None:
        return fail(f"there is no lesson {args.lesson!r}: syncro-tui train --list shows them")
    trainee = (args.trainee or "").strip() or input("Your name (for your progress): ").strip()
    if not trainee:
        return fail("a trainee's name is needed to keep the progress: --trainee NAME")
    try:
        classroom = Classroom.open(lesson)
    except LessonProblem as exc:
        return fail(str(exc))
    from ..ui.app import SyncroApp
    from .common import remove_demo_files

    config = Config()  # the shipped rate table: the built-in lessons' prices are its own (their path, the lesson's)
    app = SyncroApp(classroom.session(config=config))
    print(f"Lesson: {lesson.title}\n{classroom.goal}")
    try:
        app.run()
    finally:
        remove_demo_files(app.session.data_dir())
    verdict = judge(lesson, asyncio.run(classroom.afterwards()), config.rate_table())
    print("\n".join(verdict.report()))
    kept = progress.record(trainee, lesson.id, passed=verdict.passed, mistakes=verdict.mistakes)
    if progress.damage:
        print(f"syncro-tui: {progress.damage}", file=sys.stderr)
    print(f"{trainee}: attempt {kept.attempts} of {lesson.id}" + (", passed." if kept.passed else "."))
    return 0 if verdict.passed else 1


def report(progress, found, *, as_json: bool) -> int:
    """For the trainer: each trainee's lessons passed, attempts, and mistakes by kind."""
    from ..domain.text import clean

    everyone = progress.load()
    if progress.damage:
        print(f"syncro-tui: {progress.damage}", file=sys.stderr)
    if as_json:
        print(json_text({name: {lesson: {"attempts": r.attempts, "passed": r.passed, "mistakes": r.mistakes}
                                for lesson, r in records.items()} for name, records in everyone.items()}, indent=2))
        return 0
    if not everyone:
        print("No lesson has been taken yet.")
    for name, records in sorted(everyone.items()):
        passed = sum(r.passed for r in records.values())
        print(f"{clean(name)}: {passed} of {len(found)} lessons passed")
        for lesson_id, r in sorted(records.items()):
            title = found[lesson_id].title if lesson_id in found else lesson_id
            print(f"  {'✓' if r.passed else '✗'} {title}: {r.attempts} attempt{'s' if r.attempts != 1 else ''}")
            for asked, n in sorted(r.mistakes.items()):  # what was asked and not done, and how often
                print(f"      missed {times(n)}: {clean(asked)}")
    return 0


def times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")
