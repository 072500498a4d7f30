"""Opening the app (on an account, or ``--demo`` on the built-in simulator), and serving the simulator."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..exit_codes import USAGE as EXIT_USAGE
from .common import fail, remove_demo_files
from .connect import account, client_for, pace

if TYPE_CHECKING:
    from ..api.client import SyncroClient
    from ..session import Session, Settings
    from ..simulator.server import BackgroundSimulator
    from ..ui.app import SyncroApp


def run_app(args: argparse.Namespace) -> int:
    from ..host import console_problem

    problem = console_problem()
    if problem:  # Git Bash's mintty: say so and how to fix it, rather than a screen that takes no keys
        return fail(problem)
    app, demo = make_app(args)
    try:
        app.run()
    finally:
        if demo is not None:
            demo.stop()
            remove_demo_files(app.session.data_dir())
    if app.chosen_lesson is not None:  # the demo's palette: a training lesson, on its own fresh simulator
        from .train import run_train

        return run_train(argparse.Namespace(lesson=app.chosen_lesson, list=False, trainee=None, report=False,
                                            json=False))
    return app.return_code or 0


def make_app(args: argparse.Namespace) -> tuple[SyncroApp, LoopbackDemo | None]:
    """The app on its session, and with --demo the simulator it runs on (to stop when the app ends).

    Imports only what the first frame needs: the session is built from the arguments alone, and reads the config
    (``settings``) when the app opens it, once that frame is on screen; the client (httpx, the key) after that.
    """
    from ..ui.app import SyncroApp

    demo = LoopbackDemo(args.seed) if args.demo else None
    return SyncroApp(session_for(args, demo)), demo


def session_for(args: argparse.Namespace, demo: LoopbackDemo | None) -> Session:
    """The session of this run, from the arguments alone (nothing is read yet): on the account the arguments name,
    or with --demo on the demo's simulator, with a throwaway journal."""
    from ..session import Session, demo_journal

    if demo is not None:
        return Session(read_settings=demo_shop_settings, connect=lambda _: demo.connect(), demo=True,
                       journal_path=demo_journal(), model_hosts=[demo.origin])
    return Session(read_settings=lambda: account_settings(args), connect=lambda s: client_for(s.profile_name, s.profile))


def demo_shop_settings() -> Settings:
    """The shop's own setup (keys, sections, rates, alerts, session logs) on the demo's data, and the lessons its
    palette offers; CannotConnect says what is wrong with the config."""
    from ..config import ConfigError, data_dir, load_config
    from ..demo import demo_settings
    from ..session import CannotConnect
    from ..training import lessons

    try:
        config = load_config()
    except ConfigError as exc:
        raise CannotConnect(str(exc), EXIT_USAGE) from None
    offered = tuple((lesson.id, lesson.title) for lesson in
                    lessons(data_dir() / "lessons", path=config.billing.path)[0].values())
    pace(config, None)
    return demo_settings(config, lessons=offered)


def account_settings(args: argparse.Namespace) -> Settings:
    """The config, the profile and the pacer, or CannotConnect saying what is wrong (the key is read on connect)."""
    from ..session import Settings

    config, profile_name, profile = account(args)
    pace(config, profile)
    return Settings(profile_name, profile, config,
                    account_label=profile.subdomain or (profile.api_base_url() or "").split("//")[-1].split("/")[0])


def run_simulator(args: argparse.Namespace) -> int:
    from ..simulator import Simulator
    from ..simulator.server import serve_forever

    simulator = Simulator(seed=args.seed, state_file=args.state, reset=args.reset,
                          rate_limit=args.rate_limit or None, zero_price_rate=args.zero_price_rate,
                          open_tickets=args.open_tickets)
    try:
        serve_forever(simulator, args.host, args.port, announce=lambda line: print(line, flush=True))
    except OSError as exc:
        return fail(f"cannot listen on {args.host}:{args.port}: {exc.strerror}")
    return 0


class LoopbackDemo:
    """``--demo``'s Syncro: the loopback port is taken at once; the simulator is seeded and served on connect."""

    def __init__(self, seed: int) -> None:
        import socket

        self.seed = seed
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.origin = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server: BackgroundSimulator | None = None

    def connect(self) -> SyncroClient:
        from ..api import SyncroClient
        from ..simulator import DEMO_KEY, Simulator
        from ..simulator.server import BackgroundSimulator

        self.server = BackgroundSimulator(Simulator(seed=self.seed, zero_price_rate=0.1), sock=self.sock).start()
        return SyncroClient(self.server.base_url, DEMO_KEY)

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
        else:
            self.sock.close()
