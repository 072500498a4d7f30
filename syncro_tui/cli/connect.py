"""One way to reach an account from the command line: its profile, its key, the shared pacer, a client.

The app's session and every command's client are built from these, so a
profile, ``--base-url`` or ``$SYNCRO_BASE_URL`` mean the same everywhere.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from ..domain.inputs import InputProblem, base_url
from ..exit_codes import AUTH as EXIT_AUTH
from ..exit_codes import USAGE as EXIT_USAGE
from .common import fail

if TYPE_CHECKING:
    from ..api.client import SyncroClient
    from ..config import Config, Profile


def connect(args: argparse.Namespace) -> tuple[SyncroClient, Config] | int:
    """A client for the configured profile's account, or for an in-process simulator with ``--demo``."""
    from ..config import Config

    if args.demo:
        from ..demo import in_process_client
        from ..simulator import Simulator

        return in_process_client(Simulator(seed=args.seed, zero_price_rate=0.1)), Config()
    from ..session import CannotConnect

    try:
        config, name, profile = account(args)
        pace(config, profile)  # before the client, which takes the process's pacer when it is built
        client = client_for(name, profile)
    except CannotConnect as exc:
        return fail(str(exc), exc.exit_code)
    return client, config


def account(args: argparse.Namespace) -> tuple[Config, str, Profile]:
    """The configured profile (with --base-url or $SYNCRO_BASE_URL applied); CannotConnect says what is wrong."""
    from ..config import ConfigError, config_path, load_config
    from ..session import CannotConnect

    try:
        config = load_config()
        profile_name, profile = config.profile(args.profile)
    except ConfigError as exc:
        raise CannotConnect(str(exc), EXIT_USAGE) from None
    if args.base_url:
        profile = profile.model_copy(update={"base_url": args.base_url})
    elif env_base_url():
        profile = profile.model_copy(update={"base_url": env_base_url()})
    if not profile.api_base_url():
        raise CannotConnect(f"Profile {profile_name!r} has neither a subdomain nor a base_url; set one in "
                            f"{config_path()}.", EXIT_USAGE)
    try:
        base_url(profile.api_base_url())
    except InputProblem as exc:
        where = "--base-url" if args.base_url else "$SYNCRO_BASE_URL" if env_base_url() else f"profile {profile_name!r}"
        raise CannotConnect(f"{where}: {exc}", EXIT_USAGE) from None
    return config, profile_name, profile


def key_for(profile_name: str) -> str:
    """The profile's key ($SYNCRO_API_KEY, else the OS keyring); CannotConnect says why there is none."""
    from .. import keys
    from ..session import CannotConnect

    try:
        found = keys.find_key(profile_name)
    except keys.KeyStoreError as exc:
        raise CannotConnect(str(exc), EXIT_AUTH) from None
    if found is None:
        hint = "" if keys.backend_available() else f" ({keys.NO_BACKEND})"
        raise CannotConnect(f"No API key for profile {profile_name!r}. Store one with "
                            f"`syncro-tui auth set --profile {profile_name}` or set SYNCRO_API_KEY.{hint}", EXIT_AUTH)
    return found.key


def pace(config: Config, profile: Profile | None) -> None:
    """The pacer every request of this process draws on: shared with every other syncro-tui process of the
    account on this machine (Syncro counts per IP), and with the office's machines when ``[office] redis`` is set;
    or this process's own for the demo's private simulator."""
    from ..api.pacing import Pacer, configure_shared_pacer, shared_pacer_problem
    from ..config import data_dir

    account = (profile.api_base_url() or "") if profile is not None else ""
    redis_url = config.office.url() if account else None

    def office(machine: Pacer, per_minute: int, headroom: int, burst: int) -> Pacer:
        from ..api.office import OfficePacer

        assert redis_url is not None
        return OfficePacer(redis_url, account, machine, per_minute, headroom=headroom, burst=burst)

    configure_shared_pacer(config.pacing.per_minute, headroom=config.pacing.headroom,
                           machine=(data_dir() / "pacing.sqlite", account) if account else None,
                           office=office if redis_url else None)
    problem = shared_pacer_problem()
    if problem:
        print(f"syncro-tui: note: {problem}", file=sys.stderr)


def env_base_url() -> str | None:
    return os.environ.get("SYNCRO_BASE_URL") or None


def client_for(profile_name: str, profile: Profile) -> SyncroClient:
    """The Syncro client for a profile (the key read now: CannotConnect says why there is none)."""
    from ..api import SyncroClient

    return SyncroClient(profile.api_base_url() or "", key_for(profile_name), auth_mode=profile.auth_mode)
