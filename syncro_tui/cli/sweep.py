"""``sweep [--date D] [--json] [--shop]``: the end-of-day sweep of the key's tech (or with ``--shop``, of every tech
from one read of the day), printed (read-only; 1 when it finds a leak)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from ..domain.text import json_text
from .common import exit_for, fail
from .connect import account, connect

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from ..domain.clock import Clock
    from ..domain.rates import RateTable
    from ..domain.sweep import Leak, SweepDay, Tech


def current_time() -> datetime:
    return datetime.now(UTC)


def run_sweep(args: argparse.Namespace) -> int:
    from ..api import SyncroError
    from ..api import requests as rq
    from ..domain.account import resolve_zone
    from ..domain.sweep import Tech, summary, sweep
    from ..domain.when import WhenProblem, parse_day
    from ..api.office import office_store
    from ..reads import read_sweep_day

    connection = connect(args)
    if isinstance(connection, int):
        return connection
    client, config = connection
    profile = "demo" if args.demo else account(args)[1]
    clocks: dict[int, Clock] = {}
    changed: frozenset[int] = frozenset()
    notes: list[str] = []
    now = current_time()

    async def read():
        async with client:
            me, settings = await asyncio.gather(client.execute(rq.me()), client.execute(rq.account_settings()))
            tz, zone_problem = resolve_zone(settings.time_zone)
            if zone_problem:
                notes.append(zone_problem)
            today = now.astimezone(tz).date()
            if args.demo:  # the demo's day is the one it seeded: yesterday in Chicago's small hours
                from ..simulator.seed import seed_day
                today = seed_day(now)
            day = parse_day(args.date, today=today, past=True) if args.date else today
            nonlocal clocks, changed, techs
            if getattr(args, "shop", False):  # every tech's appointments; clocks and journals are each machine's
                techs = [Tech(user.id, user.name) for user in await client.execute(rq.users())]
                notes.append("The shop's sweep counts no work clock and no status change made through the app: "
                             "those are on each tech's machine, and their own sweep counts them.")
                return me, tz, await read_sweep_day(client, day=day, tz=tz, user_id=None,
                                                    store=office_store(client.pacer))
            if not args.demo:
                clocks, changed = local_records(profile, day, tz, notes)
            read = await read_sweep_day(client, day=day, tz=tz, user_id=me.user_id, status_changed=changed,
                                        also=clocks, store=office_store(client.pacer))
            return me, tz, read

    techs: list[Tech] = []
    try:
        me, tz, day = asyncio.run(read())
    except WhenProblem as exc:
        return fail(f"--date: {exc}")
    except SyncroError as exc:
        return fail(f"could not read the day from Syncro: {exc}", exit_for(exc))
    if techs:
        return print_shop(day, techs, tz=tz, rates=config.rate_table(), now=now, json=args.json, notes=notes)
    leaks = sweep(day, tech=Tech(me.user_id, me.user_name), tz=tz, rates=config.rate_table(), clocks=clocks, now=now)
    if args.json:
        print(json_text({"day": day.day.isoformat(), "tech": me.user_name, "leaks": [record(leak) for leak in leaks],
                         "unread_tickets": list(day.unread), "tickets_read": len(day.tickets)}, indent=2))
    else:
        print(f"End-of-day sweep for {me.user_name}, {day.day:%A %d %B %Y} ({tz.key}): "
              f"{len(day.tickets)} tickets read.")
        print_leaks(leaks)
        if day.unread:
            print(f"Not complete: ticket{'s' if len(day.unread) != 1 else ''} "
                  f"{', '.join(map(str, day.unread))} could not be read.")
        print(summary(leaks))
    for note in notes:
        print(f"syncro-tui: {note}", file=sys.stderr)
    return 1 if leaks or day.unread else 0


def print_shop(day: SweepDay, techs: list[Tech], *, tz: ZoneInfo, rates: RateTable, now: datetime, json: bool,
               notes: list[str]) -> int:
    """Every tech's leaks from the one read of the day, each said once (``domain.shop_sweep``)."""
    from ..domain.shop_sweep import shop_sweep
    from ..domain.sweep import summary

    by_tech, shop = shop_sweep(day, techs, tz=tz, rates=rates, now=now)
    if json:
        print(json_text({"day": day.day.isoformat(), "tickets_read": len(day.tickets), "unread_tickets": list(day.unread),
                         "techs": [{"user_id": tech.user_id, "tech": tech.name, "leaks": [record(leak) for leak in leaks]}
                                   for tech, leaks in by_tech],
                         "shop_leaks": [record(leak) for leak in shop]}, indent=2))
    else:
        print(f"The shop's end-of-day sweep, {day.day:%A %d %B %Y} ({tz.key}): {len(day.tickets)} tickets read once "
              f"for {len(techs)} techs.")
        for tech, leaks in by_tech:
            print(f"\n{safe(tech.name or f'user {tech.user_id}')}: {summary(leaks)}")
            print_leaks(leaks)
        if shop:
            print("\nThe shop's $0.00 invoices:")
            print_leaks(shop)
        if day.unread:
            print(f"\nNot complete: ticket{'s' if len(day.unread) != 1 else ''} "
                  f"{', '.join(map(str, day.unread))} could not be read.")
    for note in notes:
        print(f"syncro-tui: {note}", file=sys.stderr)
    return 1 if shop or day.unread or any(leaks for _, leaks in by_tech) else 0


def print_leaks(leaks: list[Leak]) -> None:
    for leak in leaks:
        where = f"#{leak.where.number}" if leak.where.number else f"ticket {leak.where.ticket_id}"
        print(f"{leak.stake:>12}  {leak.kind.value:<17} {where} {safe(leak.where.customer)}: "
              f"{safe(leak.where.subject)}")
        print(f"{'':14}{safe(leak.words)} Fix: {leak.fix.words}.")


def local_records(profile: str, day: date, tz: ZoneInfo, notes: list[str]) -> tuple[dict[int, Clock], frozenset[int]]:
    """The profile's work clocks, and the tickets whose status it changed that day (from the app's journal, where
    there is one); what could not be read is said in ``notes``."""
    import sqlite3

    from ..config import data_dir
    from ..writes.activity import groups_on, status_changes
    from ..writes.clocks import ClockStore
    from ..writes.journal import Journal

    store = ClockStore.for_profile(data_dir(), profile)
    clocks = store.load()
    if store.damage:
        notes.append(store.damage)
    path = data_dir() / "journal.sqlite"
    if not path.exists():
        return clocks, frozenset()
    try:
        journal = Journal(path)
        try:
            return clocks, status_changes(groups_on(journal, day, tz, profile))
        finally:
            journal.close()
    except (sqlite3.Error, OSError) as exc:
        notes.append(f"The write journal at {path} could not be read ({exc}): status changes made through the app "
                     "are not counted as touches.")
        return clocks, frozenset()


def record(leak: Leak) -> dict[str, object]:
    return {"kind": leak.kind.name.lower(), "ticket_id": leak.where.ticket_id, "number": leak.where.number,
            "subject": leak.where.subject, "customer": leak.where.customer, "words": leak.words,
            "amount": None if leak.amount is None else format(leak.amount, "f"), "at_least": leak.at_least,
            "fix": leak.fix.kind.value}


def safe(text: str) -> str:
    """Syncro's text, printed literally: control and bidi characters made visible."""
    from ..domain.text import clean

    return clean(text)
