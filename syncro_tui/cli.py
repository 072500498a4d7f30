"""The ``syncro-tui`` command.

``--version``, ``--help``, ``config`` and ``auth`` never import Textual, so they
answer at once; only opening the app does. Opening the app imports nothing else
before its first frame: the config and the key are read right after it.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .exit_codes import AUTH as EXIT_AUTH
from .exit_codes import USAGE as EXIT_USAGE
from .domain.comment import Visibility
from .domain.rates import LaborType

if TYPE_CHECKING:
    from .api.client import SyncroClient
    from .config import Config, Profile
    from .session import Session
    from .simulator.server import BackgroundSimulator
    from .ui.app import SyncroApp


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

    bill = sub.add_parser("bill", help="plan the billing of time on a ticket and print it (writes nothing)",
                          description="Prints the calls a billing run would make, in order, and the review "
                                      "checklist. Nothing is sent: bill from the app, where you confirm each call.")
    bill.add_argument("number", help="the ticket number (as techs and customers see it)")
    bill.add_argument("--minutes", required=True, help="how long the work took, in minutes")
    bill.add_argument("--labor", required=True, choices=[t.value for t in LaborType], help="the labor type")
    bill.add_argument("--at", help="when the work ended (ISO 8601 with a time zone; default: now)")
    bill.add_argument("--description", help="the billing description (default: the ticket's subject)")
    bill.add_argument("--comment", help="the resolution comment's body (default: no comment)")
    bill.add_argument("--subject", default="Resolution", help="the comment's subject (default: Resolution)")
    bill.add_argument("--visibility", choices=[v.value for v in Visibility], default="public",
                      help="who sees the comment (default: public)")
    bill.add_argument("--long", action="store_true", help="confirm that more than 24 hours is right")
    bill.add_argument("--plan", action="store_true", help="print the plan (required: the command line never sends)")
    bill.add_argument("--json", action="store_true", help="print the plan as JSON")
    bill.add_argument("--demo", action="store_true", default=argparse.SUPPRESS,
                      help="plan against the built-in simulator")

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


def fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"syncro-tui: {message}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        try:
            return run_app(args)  # the config is read after the first frame; its errors end the app, saying why
        except KeyboardInterrupt:
            return 130
    from .config import ConfigError

    try:
        if args.command == "simulator":
            return run_simulator(args)
        if args.command == "config":
            return run_config(args)
        if args.command == "auth":
            return run_auth(args)
        if args.command == "bill":
            return run_bill(args)
        if args.command == "doctor":
            return run_doctor(args)
        return run_rates(args)
    except ConfigError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return 130


# --------------------------------------------------------------------- commands
def run_simulator(args: argparse.Namespace) -> int:
    from .simulator import Simulator
    from .simulator.server import serve_forever

    simulator = Simulator(seed=args.seed, state_file=args.state, reset=args.reset,
                          rate_limit=args.rate_limit or None, zero_price_rate=args.zero_price_rate)
    try:
        serve_forever(simulator, args.host, args.port, announce=lambda line: print(line, flush=True))
    except OSError as exc:
        return fail(f"cannot listen on {args.host}:{args.port}: {exc.strerror}")
    return 0


def run_config(args: argparse.Namespace) -> int:
    from .config import config_path, dump_config, load_config

    if args.config_command == "path":
        print(config_path())
        return 0
    config = load_config()
    print(f"# {config_path()}{'' if config_path().exists() else ' (not created yet: these are the defaults)'}")
    print(dump_config(config), end="")
    return 0


def run_auth(args: argparse.Namespace) -> int:
    from . import keys
    from .config import config_path, load_config

    config = load_config()
    try:
        if args.auth_command == "set":
            if args.profile not in config.profiles:
                print(f"Note: no profile named {args.profile!r} in {config_path()} yet; add it there to use this key.",
                      file=sys.stderr)
            if sys.stdin.isatty():
                key = getpass.getpass(f"Syncro API key for {args.profile} (input hidden): ")
            else:
                key = sys.stdin.readline()
            keys.store_key(args.profile, key)
            print(f"Stored the key for {args.profile} in the OS keyring.")
            profile = config.profiles.get(args.profile)
            if profile and profile.api_base_url():
                return _report_owner(args.profile, profile, key.strip())
            return 0
        if args.auth_command == "remove":
            removed = keys.remove_key(args.profile)
            print(f"Removed the key for {args.profile}." if removed else f"No key was stored for {args.profile}.")
            return 0
        names = [args.profile] if args.profile else sorted(config.profiles)
        if not names:
            print(f"No profiles are configured in {config_path()}.")
        if not keys.backend_available():
            print(keys.NO_BACKEND)
        code = 0
        for name in names:
            found = keys.find_key(name)
            if found is None:
                print(f"{name}: no key stored (run `syncro-tui auth set --profile {name}`)")
                code = EXIT_AUTH
                continue
            where = "from $SYNCRO_API_KEY" if found.source == "env" else "in the OS keyring"
            print(f"{name}: key {where}")
            profile = config.profiles.get(name)
            if not args.offline and profile and profile.api_base_url():
                code = max(code, _report_owner(name, profile, found.key))
        return code
    except keys.KeyStoreError as exc:
        return fail(str(exc), EXIT_AUTH)


def _report_owner(name: str, profile: Any, key: str) -> int:
    """Ask Syncro whose key it is (GET /me) and say so."""
    from .api import AuthError, NetworkError, SyncroClient, SyncroError

    async def ask() -> Any:
        async with SyncroClient(profile.api_base_url(), key, auth_mode=profile.auth_mode, timeout=8, read_retries=0) as client:
            return await client.me()

    try:
        me = asyncio.run(ask())
    except AuthError as exc:
        print(f"  {name}: {exc}")
        return EXIT_AUTH
    except NetworkError as exc:
        print(f"  {name}: could not check whose key it is ({exc})")
        return 0
    except SyncroError as exc:
        print(f"  {name}: could not check whose key it is ({exc})")
        return 0
    print(f"  {name}: the key belongs to {me.user_name} (user {me.user_id})")
    if profile.user_id is not None and profile.user_id != me.user_id:
        print(f"  WARNING: profile {name} is for user {profile.user_id}, but this key is {me.user_name}'s. "
              "Writes will be refused: Syncro would record them under the key owner's name.")
        return EXIT_AUTH
    return 0


def run_bill(args: argparse.Namespace) -> int:
    """``bill NUMBER --minutes M --labor TYPE --plan [--json]``: the billing run's calls and checklist, nothing sent."""
    import json
    from datetime import UTC, datetime

    from .api import SyncroError
    from .domain import billing
    from .domain.comment import CommentDraft
    from .domain.plan import bill_time, condition_text
    from .reads import UnknownTicket, read_situation

    if not args.plan:
        return fail("the command line only plans a billing run (add --plan); send it from the app, where each call "
                    "is confirmed")
    try:
        minutes = billing.parse_minutes(args.minutes, long_confirmed=args.long)
        ended = datetime.fromisoformat(args.at) if args.at else datetime.now(UTC)
    except billing.LongWork as exc:
        return fail(f"{exc} Add --long if it is.")
    except ValueError as exc:
        return fail(str(exc) if isinstance(exc, billing.MinutesProblem) else f"--at: {exc}")
    if ended.tzinfo is None:
        return fail("--at needs a time zone (for example 2026-11-20T16:30-06:00)")
    try:
        number = int(args.number.lstrip("#"))
    except ValueError:
        return fail(f"{args.number!r} is not a ticket number")
    connection = _connect(args)
    if isinstance(connection, int):
        return connection
    client, config = connection
    rates = config.rate_table()

    async def read() -> billing.Situation:
        async with client:
            return await read_situation(client, number=number)

    try:
        situation = asyncio.run(read())
    except UnknownTicket as exc:
        return fail(str(exc))
    except SyncroError as exc:
        return fail(f"could not read the ticket and customer: {exc}", _exit_for(exc))
    time = billing.plan_time(minutes, args.labor, ended_at=ended, prepay_hours=situation.prepaid, rates=rates)
    late = billing.ended_warnings(ended, ticket_created=situation.ticket.created_at, now=datetime.now(UTC))
    comment = CommentDraft(args.subject, args.comment, Visibility(args.visibility)) if args.comment else None
    plan = bill_time(situation.ticket, time, comment=comment, description=args.description or situation.ticket.subject,
                     pending=situation.pending, rates=rates, invoices=situation.invoices)
    checks = billing.checklist(time, rates, comment_body=comment.body if comment else "",
                               customer_visible=bool(comment and comment.visibility.customer_visible))
    out = {
        "ticket": {"id": situation.ticket.id, "number": situation.ticket.number, "subject": situation.ticket.subject,
                   "customer": situation.ticket.customer_business_then_name,
                   "prepay_hours": str(situation.prepaid) if situation.prepaid is not None else None},
        "warnings": [*situation.warnings, *late],
        "billing": {"labor_type": time.labor_type.value, "minutes": minutes, "product_id": time.rate.product_id,
                    "product": time.rate.name, "quantity": str(time.quantity), "price_retail": str(time.price),
                    "total": str(time.total), "start_at": time.start_at.isoformat(), "end_at": time.end_at.isoformat(),
                    "billable": time.billable, "invoiced": time.invoice,
                    "prepaid_before": _str(time.prepaid_before), "prepaid_after": _str(time.prepaid_after),
                    "reasons": list(time.reasons)},
        "title": plan.title,
        "notes": list(plan.notes),
        "calls": [{"step": n, **req.preview(), **({"only_if": condition_text(req.only_if)} if req.only_if else {})}
                  for n, req in enumerate(plan.steps, start=1)],
        "checklist": [{"check": c.name, "passed": c.passed, "reason": c.reason} for c in checks],
        "sent": False,
    }
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        print(plan.title)
        for line in (*situation.warnings, *late, *time.reasons, *plan.notes):
            print(f"  {line}")
        for call in out["calls"]:
            print(f"{call['step']}. {call['method']} {call['path']}" + (f"  ({call['only_if']})" if "only_if" in call else ""))
            for key in ("body", "expect"):
                if key in call:
                    print(f"   {key}: {json.dumps(call[key], ensure_ascii=False)}")
        for c in checks:
            print(f"[{'pass' if c.passed else 'FAIL'}] {c.name}: {c.reason}")
        print("Nothing was sent.")
    return 0 if all(c.passed for c in checks) else 1


def run_rates(args: argparse.Namespace) -> int:
    """The rate table in effect; with ``--check``, where Syncro's products disagree with it."""
    from .api import SyncroError
    from .config import Config, load_config
    from .domain.rates import differences
    from .reads import read_products

    rates = (Config() if args.demo else load_config()).rate_table()
    for rate in rates.rates:
        unit = "trip" if rate.unit.value == "trip" else "h"
        print(f"{rate.labor_type.value:<10} {rate.product_id:>8}  {rate.name:<45} ${rate.price_retail}/{unit}")
    if not args.check:
        return 0
    connection = _connect(args)
    if isinstance(connection, int):
        return connection
    client, _config = connection

    async def read() -> dict[int, Any]:
        async with client:
            return await read_products(client, (r.product_id for r in rates.rates))

    try:
        found = differences(rates, asyncio.run(read()))
    except SyncroError as exc:
        return fail(f"could not read Syncro's products: {exc}", _exit_for(exc))
    for line in found:
        print(f"DIFFERENT  {line}")
    print("The rate table matches Syncro's products." if not found else
          f"{len(found)} difference{'s' if len(found) != 1 else ''}: the rate table is what the app sends.")
    return 1 if found else 0


def run_doctor(args: argparse.Namespace) -> int:
    """``doctor``: what works on this account and what does not, in words; 1 when a write would fail."""
    from .config import Profile
    from .doctor import examine, report

    connection = _connect(args)
    if isinstance(connection, int):
        return connection
    client, config = connection
    profile = Profile(tech_name="Dana Whitfield", user_id=1843) if args.demo else _account(args)[2]
    print(f"Checking {'the built-in simulator' if args.demo else client.base_url} (read-only: nothing is sent).")

    async def check() -> Any:
        async with client:
            return await examine(client, config, profile)

    text, code = report(asyncio.run(check()))
    print(text)
    return code


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _exit_for(exc: Exception) -> int:
    from .api import AuthError, NetworkError
    from .exit_codes import NETWORK

    return EXIT_AUTH if isinstance(exc, AuthError) else NETWORK if isinstance(exc, NetworkError) else 1


def _connect(args: argparse.Namespace) -> tuple[Any, Any] | int:
    """A client for the configured profile's account, or for an in-process simulator with ``--demo``."""
    from .config import Config

    if args.demo:
        from .demo import in_process_client
        from .simulator import Simulator

        return in_process_client(Simulator(seed=args.seed, zero_price_rate=0.1)), Config()
    from .api import SyncroClient
    from .session import CannotConnect

    try:
        config, name, profile = _account(args)
        key = _key(name)
    except CannotConnect as exc:
        return fail(str(exc), exc.exit_code)
    _pace(config, profile)
    return SyncroClient(profile.api_base_url() or "", key, auth_mode=profile.auth_mode), config


def _pace(config: Config, profile: Profile | None) -> None:
    """The pacer every request of this process draws on: shared with every other syncro-tui process of the
    account on this machine (Syncro counts per IP), or this process's own for the demo's private simulator."""
    from .api.pacing import configure_shared_pacer
    from .config import data_dir

    account = (profile.api_base_url() or "") if profile is not None else ""
    configure_shared_pacer(config.pacing.per_minute, headroom=config.pacing.headroom,
                           machine=(data_dir() / "pacing.sqlite", account) if account else None)


def _account(args: argparse.Namespace) -> tuple[Config, str, Profile]:
    """The configured profile (with --base-url or $SYNCRO_BASE_URL applied); CannotConnect says what is wrong."""
    from .config import ConfigError, config_path, load_config
    from .session import CannotConnect

    try:
        config = load_config()
        profile_name, profile = config.profile(args.profile)
    except ConfigError as exc:
        raise CannotConnect(str(exc), EXIT_USAGE) from None
    if args.base_url:
        profile = profile.model_copy(update={"base_url": args.base_url})
    elif _env_base_url():
        profile = profile.model_copy(update={"base_url": _env_base_url()})
    if not profile.api_base_url():
        raise CannotConnect(f"Profile {profile_name!r} has neither a subdomain nor a base_url; set one in "
                            f"{config_path()}.", EXIT_USAGE)
    return config, profile_name, profile


def _key(profile_name: str) -> str:
    """The profile's key ($SYNCRO_API_KEY, else the OS keyring); CannotConnect says why there is none."""
    from . import keys
    from .session import CannotConnect

    try:
        found = keys.find_key(profile_name)
    except keys.KeyStoreError as exc:
        raise CannotConnect(str(exc), EXIT_AUTH) from None
    if found is None:
        hint = "" if keys.backend_available() else f" ({keys.NO_BACKEND})"
        raise CannotConnect(f"No API key for profile {profile_name!r}. Store one with "
                            f"`syncro-tui auth set --profile {profile_name}` or set SYNCRO_API_KEY.{hint}", EXIT_AUTH)
    return found.key


def run_app(args: argparse.Namespace) -> int:
    app, demo = make_app(args)
    try:
        app.run()
    finally:
        if demo is not None:
            demo.stop()
    return app.return_code or 0


def make_app(args: argparse.Namespace) -> tuple[SyncroApp, LoopbackDemo | None]:
    """The app, and with --demo the simulator it runs on (to stop when the app ends).

    Imports only what the first frame needs. The app opens the session (``open_session``)
    once that frame is on screen, then builds the client.
    """
    from .ui.app import SyncroApp

    demo = LoopbackDemo(args.seed) if args.demo else None
    return SyncroApp(lambda: open_session(args, demo)), demo


def open_session(args: argparse.Namespace, demo: LoopbackDemo | None) -> Session:
    """The config, the profile and the pacer, or CannotConnect saying what is wrong (the key is read on connect)."""
    from .config import Config, Profile
    from .session import Session

    if demo is not None:
        config = Config()
        session = Session(connect=demo.connect, profile_name="demo", config=config, account_label="DEMO", demo=True,
                          profile=Profile(tech_name="Dana Whitfield", user_id=1843),
                          # The demo's Syncro starts fresh each run, so its journal does too.
                          journal_path=Path(tempfile.mkdtemp(prefix="syncro-tui-demo-")) / "journal.sqlite",
                          # The simulator also answers as a local model (Ollama's API): drafting works without one.
                          model_hosts=[demo.origin])
    else:
        config, profile_name, profile = _account(args)

        def connect() -> SyncroClient:
            from .api import SyncroClient

            return SyncroClient(profile.api_base_url() or "", _key(profile_name), auth_mode=profile.auth_mode)

        session = Session(connect=connect, profile_name=profile_name, profile=profile, config=config,
                          account_label=profile.subdomain or (profile.api_base_url() or "").split("//")[-1].split("/")[0])
    _pace(config, None if demo is not None else profile)
    return session


class LoopbackDemo:
    """``--demo``'s Syncro: the loopback port is taken at once; the simulator is seeded and served on connect."""

    def __init__(self, seed: int) -> None:
        import socket

        self.seed = seed
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.origin = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server: BackgroundSimulator | None = None

    def connect(self) -> SyncroClient:
        from .api import SyncroClient
        from .simulator import DEMO_KEY, Simulator
        from .simulator.server import BackgroundSimulator

        self.server = BackgroundSimulator(Simulator(seed=self.seed, zero_price_rate=0.1), sock=self.sock).start()
        return SyncroClient(self.server.base_url, DEMO_KEY)

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
        else:
            self.sock.close()


def _env_base_url() -> str | None:
    return os.environ.get("SYNCRO_BASE_URL") or None
