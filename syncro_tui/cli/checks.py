"""``rates`` (the rate table, checked against Syncro's products) and ``doctor`` (the account against what the app needs)."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from .common import exit_for, fail
from .connect import account, connect


def run_rates(args: argparse.Namespace) -> int:
    """The rate table in effect; with ``--check``, where Syncro's products disagree with it."""
    from ..api import SyncroError
    from ..config import Config, load_config
    from ..domain.money import dollars
    from ..domain.rates import differences
    from ..reads import read_products

    rates = (Config() if args.demo else load_config()).rate_table()
    for rate in rates.rates:
        unit = "trip" if rate.unit.value == "trip" else "h"
        print(f"{rate.labor_type.value:<10} {rate.product_id:>8}  {rate.name:<45} {dollars(rate.price_retail)}/{unit}")
    if not args.check:
        return 0
    connection = connect(args)
    if isinstance(connection, int):
        return connection
    client, _config = connection

    async def read() -> dict[int, Any]:
        async with client:
            return await read_products(client, (r.product_id for r in rates.rates))

    try:
        found = differences(rates, asyncio.run(read()))
    except SyncroError as exc:
        return fail(f"could not read Syncro's products: {exc}", exit_for(exc))
    for line in found:
        print(f"DIFFERENT  {line}")
    print("The rate table matches Syncro's products." if not found else
          f"{len(found)} difference{'s' if len(found) != 1 else ''}: the rate table is what the app sends.")
    return 1 if found else 0


def run_doctor(args: argparse.Namespace) -> int:
    """``doctor``: what works on this account and what does not, in words; 1 when a write would fail."""
    from ..config import Profile, config_path, data_dir
    from ..doctor import examine, report, this_machine
    from ..host import Machine

    print(report(this_machine(Machine.this(), config_file=config_path(), data=data_dir()), summary=False)[0])
    connection = connect(args)
    if isinstance(connection, int):
        return connection
    client, config = connection
    profile = Profile(tech_name="Dana Whitfield", user_id=1843) if args.demo else account(args)[2]
    print(f"Checking {'the built-in simulator' if args.demo else client.base_url} (read-only: nothing is sent).")

    async def check() -> Any:
        async with client:
            return await examine(client, config, profile)

    text, code = report(asyncio.run(check()))
    print(text)
    return code
