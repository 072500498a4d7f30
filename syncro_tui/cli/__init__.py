"""The ``syncro-tui`` command: the argument parser and one module per kind of command.

``--version``, ``--help``, ``config`` and ``auth`` never import Textual, so they
answer at once; only opening the app does. Opening the app imports nothing else
before its first frame: the config and the key are read right after it.
"""

from __future__ import annotations

import argparse
import os
import sys

from .. import __version__
from ..domain.comment import Visibility
from ..domain.rates import LaborType
from ..exit_codes import AUTH as EXIT_AUTH
from .app import make_app, run_app, run_simulator
from .common import fail, one_way_out, survive_any_console

__all__ = ["EXIT_AUTH", "build_parser", "fail", "main", "make_app"]


def main(argv: list[str] | None = None) -> int:
    survive_any_console()
    args = build_parser().parse_args(argv)
    if args.command is None:
        try:
            return run_app(args)  # the config is read after the first frame; its errors end the app, saying why
        except KeyboardInterrupt:
            return 130
    from ..config import ConfigError

    with one_way_out():  # every line a command prints: Syncro's text made visible, the key masked
        try:
            return _run(args)
        except ConfigError as exc:
            return fail(str(exc))
        except KeyboardInterrupt:
            return 130
        except BrokenPipeError:  # `syncro-tui sweep | head`: the reader has gone, which is no failure of ours
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's flush at exit stays quiet
            return 0


def _run(args: argparse.Namespace) -> int:
    from .auth import run_auth, run_config
    from .bill import run_bill
    from .checks import run_doctor, run_rates
    from .sweep import run_sweep
    from .train import run_train

    commands = {"simulator": run_simulator, "config": run_config, "auth": run_auth, "bill": run_bill,
                "doctor": run_doctor, "sweep": run_sweep, "train": run_train}
    return commands.get(args.command, run_rates)(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="syncro-tui",
        description="A keyboard-first terminal dashboard for Syncro PSA.",
        epilog="Try it without an account: syncro-tui --demo",
    )
    parser.add_argument("--version", action="version", version=f"syncro-tui {__version__}")
    parser.add_argument("--profile", help="the tech profile to use (from the config file)")
    parser.add_argument("--base-url", help="the Syncro API base URL (overrides the profile's)")
    parser.add_argument("--demo", action="store_true", help="run on the built-in Syncro simulator: no account needed")
    parser.add_argument("--seed", type=int, default=1, help="with --demo: the demo data's seed (default 1)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sim = sub.add_parser("simulator", help="serve the built-in Syncro simulator on loopback")
    sim.add_argument("--host", default="127.0.0.1")
    sim.add_argument("--port", type=int, default=8765)
    sim.add_argument("--seed", type=int, default=1, help="the demo data's seed (default 1)")
    sim.add_argument("--state", help="a file that keeps the sandbox's changes across restarts")
    sim.add_argument("--reset", action="store_true", help="start from fresh demo data, discarding the state file's")
    sim.add_argument("--rate-limit", type=int, default=180, help="requests a minute before 429 (0: off; default 180)")
    sim.add_argument("--zero-price-rate", type=float, default=0.1,
                     help="share of charged timers whose line arrives at 0.00, as Syncro sometimes does (default 0.1)")
    sim.add_argument("--open-tickets", type=int, metavar="N",
                     help="a bigger shop's queue: copy the demo's open tickets until N are open (fresh data only)")

    bill = sub.add_parser("bill", help="plan the billing of time on a ticket and print it (writes nothing)",
                          description="Prints the calls a billing run would make, in order, and the review "
                                      "checklist. Nothing is sent: bill from the app, where you confirm each call.")
    bill.add_argument("number", help="the ticket number (as techs and customers see it)")
    bill.add_argument("--minutes", required=True, help="how long the work took, in minutes")
    bill.add_argument("--labor", required=True, choices=[t.value for t in LaborType], help="the labor type")
    bill.add_argument("--at", help="when the work ended, as the app takes it (yesterday 10pm, fri 16:30, or ISO 8601 "
                                   "with a zone), in the account's zone; default: now")
    bill.add_argument("--description", help="the billing description (default: the ticket's subject)")
    bill.add_argument("--comment", help="the resolution comment's body (default: no comment)")
    bill.add_argument("--subject", default="Resolution", help="the comment's subject (default: Resolution)")
    bill.add_argument("--visibility", choices=[v.value for v in Visibility], default="public",
                      help="who sees the comment (default: public)")
    bill.add_argument("--long", action="store_true", help="confirm that more than 24 hours is right")
    bill.add_argument("--item", action="append", default=[], metavar="PRODUCT_ID:QTY",
                      help="a part or flat fee sold beside the time, at the product's price and tax (repeatable)")
    bill.add_argument("--plan", action="store_true", help="print the plan (required: the command line never sends)")
    bill.add_argument("--json", action="store_true", help="print the plan as JSON")
    bill.add_argument("--demo", action="store_true", default=argparse.SUPPRESS,
                      help="plan against the built-in simulator")

    sweep = sub.add_parser("sweep", help="the end-of-day sweep: the money the key's tech left behind on a day",
                           description="Reads (never writes) the tickets touched on the day, their timers and lines, "
                                       "the day's $0.00 invoices and your work clocks, and prints each leak with the "
                                       "amount at stake. Exits 1 when it finds one (or cannot read a ticket).")
    sweep.add_argument("--date", help="the day (YYYY-MM-DD, yesterday or a weekday), in the account's zone; "
                                      "default: today")
    sweep.add_argument("--json", action="store_true", help="print the leaks as JSON")
    sweep.add_argument("--shop", action="store_true",
                       help="every tech's leaks from one read of the day (for a lead, or a scheduler); work clocks "
                            "and status changes stay each tech's own sweep's")
    sweep.add_argument("--demo", action="store_true", default=argparse.SUPPRESS, help="sweep the built-in simulator")

    train = sub.add_parser("train", help="lessons in billing on the simulator, in the real screens",
                           description="Each lesson sets up a fresh simulator (its ticket, customer, timers and "
                                       "faults), gives a goal, and judges what you did from Syncro's side when you "
                                       "quit. Progress is kept per trainee in the data directory.")
    train.add_argument("lesson", nargs="?", help="the lesson to start (train --list shows them)")
    train.add_argument("--list", action="store_true", help="the lessons, one a line")
    train.add_argument("--trainee", help="your name, for your progress")
    train.add_argument("--report", action="store_true", help="every trainee's progress, for the trainer")
    train.add_argument("--json", action="store_true", help="with --report: as JSON")

    rates = sub.add_parser("rates", help="the rate table in effect, optionally checked against Syncro's products")
    rates.add_argument("--check", action="store_true", help="compare with GET /products/{id} and show differences")
    rates.add_argument("--demo", action="store_true", default=argparse.SUPPRESS, help="check against the simulator")

    doctor = sub.add_parser("doctor", help="check the account against what the app needs (read-only)",
                            description="Reads (never writes) the key's owner and permissions, the rate table's "
                                        "products, the account's required fields, time zone and business hours, and "
                                        "one page of each list the app uses. Exits 1 when a write would fail.")
    doctor.add_argument("--demo", action="store_true", default=argparse.SUPPRESS, help="check the built-in simulator")

    cfg = sub.add_parser("config", help="where the config file is, and what is in effect")
    cfg_sub = cfg.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    cfg_sub.add_parser("path", help="print the config file's path")
    cfg_sub.add_parser("show", help="print the effective config (keys are never shown)")

    auth = sub.add_parser("auth", help="store, check or remove a tech's API key (kept in the OS keyring)")
    auth_sub = auth.add_subparsers(dest="auth_command", metavar="ACTION", required=True)
    for name, text in (("set", "store a key for a profile (read without echo)"),
                       ("status", "which profiles have a key, and whose key it is"),
                       ("remove", "remove a profile's stored key")):
        p = auth_sub.add_parser(name, help=text)
        p.add_argument("--profile", required=name != "status", help="the profile")
        if name == "status":
            p.add_argument("--offline", action="store_true", help="do not ask Syncro whose key it is")
    return parser
