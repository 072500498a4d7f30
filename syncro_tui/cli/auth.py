"""``auth`` (a tech's key in the OS keyring, and whose it is) and ``config`` (where the file is, what is in effect)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
import warnings
from typing import Any

from ..exit_codes import AUTH as EXIT_AUTH
from .common import fail


def run_config(args: argparse.Namespace) -> int:
    from ..config import config_path, dump_config, load_config

    if args.config_command == "path":
        print(config_path())
        return 0
    config = load_config()
    print(f"# {config_path()}{'' if config_path().exists() else ' (not created yet: these are the defaults)'}")
    print(dump_config(config), end="")
    return 0


NO_HIDDEN_PROMPT = ("this terminal cannot hide what you type, so the key would be shown on screen; nothing was "
                    "stored. Run `syncro-tui auth set --profile {profile}` in Windows Terminal or PowerShell (or "
                    "`winpty syncro-tui auth set ...` in Git Bash), or set SYNCRO_API_KEY for this session instead.")


def read_key(profile: str) -> str | None:
    """The key, typed hidden at a console or piped in; None when it could only be typed visibly (Git Bash's mintty
    without a console echoes what is typed into the pipe it gives programs, and getpass would echo too)."""
    from ..host import hidden_input

    if not hidden_input():
        return None
    if not sys.stdin.isatty():
        return sys.stdin.readline()  # piped: `syncro-tui auth set < key.txt` shows nothing
    with warnings.catch_warnings():
        warnings.simplefilter("error", getpass.GetPassWarning)  # getpass's own fallback echoes: refuse instead
        try:
            return getpass.getpass(f"Syncro API key for {profile} (input hidden): ")
        except getpass.GetPassWarning:
            return None


def run_auth(args: argparse.Namespace) -> int:
    from .. import keys
    from ..config import config_path, load_config

    config = load_config()
    try:
        if args.auth_command == "set":
            if args.profile not in config.profiles:
                print(f"Note: no profile named {args.profile!r} in {config_path()} yet; add it there to use this key.",
                      file=sys.stderr)
            key = read_key(args.profile)
            if key is None:
                return fail(NO_HIDDEN_PROMPT.format(profile=args.profile), EXIT_AUTH)
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
    from ..api import AuthError, NetworkError, SyncroClient, SyncroError
    from ..api import requests as rq

    async def ask() -> Any:
        async with SyncroClient(profile.api_base_url(), key, auth_mode=profile.auth_mode, timeout=8, read_retries=0) as client:
            return await client.execute(rq.me())

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
