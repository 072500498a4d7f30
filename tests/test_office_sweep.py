"""The office's sweeps read each ticket once (issue 37): the day's tickets shared in a real Redis, the same leaks
with the store and without it, on the seeded leaky day."""

from __future__ import annotations

import asyncio
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from syncro_tui.api.office import OfficePacer, office_store
from syncro_tui.api.pacing import Pacer
from syncro_tui.domain.rates import RateTable
from syncro_tui.domain.sweep import Tech, sweep
from syncro_tui.reads import read_sweep_day
from syncro_tui.simulator.scenarios import Moment, leaky_day

from .conftest import FIXED_NOW, make_client, make_simulator
from .redis_server import RedisServer

TZ = ZoneInfo("America/Chicago")
MONDAY = date(2026, 11, 23)
DANA, MARCUS = Tech(1843, "Dana Whitfield"), Tech(1851, "Marcus Bell")


@pytest.fixture
def server(tmp_path):
    running = RedisServer(tmp_path / "redis").start()
    yield running
    running.stop()


def office_pacer(url: str) -> OfficePacer:
    """An office budget too large to make anyone wait: what is counted here is reads, not time."""
    return OfficePacer(url, "acct", Pacer(100_000, headroom=0, burst=10_000), 100_000, headroom=0, burst=10_000)


def leaks_of(day, tech: Tech) -> set[tuple[int, str]]:
    found = sweep(day, tech=tech, tz=TZ, rates=RateTable(), clocks={}, now=FIXED_NOW.replace(day=24))
    return {(leak.where.ticket_id, leak.kind.name) for leak in found}


async def test_two_techs_sweeping_at_once_read_each_ticket_once_and_find_the_same_leaks(server) -> None:
    moment = Moment(FIXED_NOW)
    sim = make_simulator(clock=moment)
    leaky_day(sim.store, moment, MONDAY, TZ)

    async with make_client(sim) as alone:  # no office: the sweep as it always was
        before = await read_sweep_day(alone, day=MONDAY, tz=TZ, user_id=DANA.user_id)
    reads_alone = sum(1 for call in sim.calls if call == ("GET", "get_ticket"))
    assert reads_alone == len(before.tickets) > 5

    sim.calls.clear()
    pacers = [office_pacer(server.url), office_pacer(server.url)]
    async with make_client(sim, pacer=pacers[0]) as dana, make_client(sim, pacer=pacers[1]) as marcus:
        days = await asyncio.gather(
            read_sweep_day(dana, day=MONDAY, tz=TZ, user_id=DANA.user_id, store=office_store(pacers[0])),
            read_sweep_day(marcus, day=MONDAY, tz=TZ, user_id=MARCUS.user_id, store=office_store(pacers[1])))
    ticket_reads = sum(1 for call in sim.calls if call == ("GET", "get_ticket"))
    wanted = {t.id for day in days for t in day.tickets}
    assert ticket_reads == len(wanted)  # each ticket once for the office, not once per tech
    assert all(p.problem is None for p in pacers)
    assert [t.id for t in days[0].tickets] == [t.id for t in before.tickets] and days[0].unread == ()
    assert leaks_of(days[0], DANA) == leaks_of(before, DANA) and leaks_of(days[0], DANA)
    assert leaks_of(days[1], MARCUS) == leaks_of(before, MARCUS)


async def test_a_ticket_changed_since_another_sweep_read_it_is_read_again(server) -> None:
    moment = Moment(FIXED_NOW)
    sim = make_simulator(clock=moment)
    ids = leaky_day(sim.store, moment, MONDAY, TZ)
    pacer = office_pacer(server.url)
    async with make_client(sim, pacer=pacer) as client:
        await read_sweep_day(client, day=MONDAY, tz=TZ, user_id=DANA.user_id, store=office_store(pacer))
        sim.calls.clear()
        again = await read_sweep_day(client, day=MONDAY, tz=TZ, user_id=DANA.user_id, store=office_store(pacer))
        assert [c for c in sim.calls if c == ("GET", "get_ticket")] == []  # every ticket from the office's store
        ticket = sim.store.t("tickets")[ids["comment only"]]
        ticket["subject"], ticket["updated_at"] = "Changed since", (moment.at.replace(day=24)).isoformat()
        sim.calls.clear()
        changed = await read_sweep_day(client, day=MONDAY, tz=TZ, user_id=DANA.user_id, store=office_store(pacer))
    assert [c for c in sim.calls if c == ("GET", "get_ticket")] == [("GET", "get_ticket")]  # that one only
    assert next(t for t in changed.tickets if t.id == ids["comment only"]).subject == "Changed since"
    assert len(again.tickets) == len(changed.tickets)


async def test_without_the_office_a_tech_sweep_reads_what_could_be_theirs_first_and_the_rest_as_background() -> None:
    """No Redis: the tickets that could be the tech's (assigned, their appointments, their clocks) are read as the
    tech's calls first; the day's other tickets after them, as background work, with the count said as it goes.
    The leaks are those of the same day read in one go (the shop's sweep reads everything at once)."""
    from syncro_tui.api import pacing

    moment = Moment(FIXED_NOW)
    sim = make_simulator(clock=moment)
    leaky_day(sim.store, moment, MONDAY, TZ)
    told: list[tuple[int, int, bool]] = []

    def progress(done: int, total: int) -> None:
        told.append((done, total, pacing._BACKGROUND.get()))

    async with make_client(sim) as client:
        everything = await read_sweep_day(client, day=MONDAY, tz=TZ, user_id=None)
        mine = await read_sweep_day(client, day=MONDAY, tz=TZ, user_id=DANA.user_id, progress=progress)
    foreground = [done for done, _, background in told if not background]
    background = [done for done, _, background in told if background]
    assert foreground and background  # both parts: some of the day is Dana's, some is not
    assert max(foreground) < min(background)  # hers first, all of them, then the rest
    assert told[-1][:2] == (len(mine.tickets), len(mine.tickets))  # every ticket counted toward the total
    assert [t.id for t in mine.tickets] == [t.id for t in everything.tickets]
    assert leaks_of(mine, DANA) == leaks_of(everything, DANA) and leaks_of(mine, DANA)


@pytest.mark.parametrize("live", [True, False], ids=["live timers", "no live timers"])
async def test_without_the_office_the_tickets_of_the_techs_own_timers_are_read_first(live: bool) -> None:
    """Dana's timer today on another tech's ticket (not hers, not on her appointments): one ``GET /ticket_timers``
    by her user id puts that ticket among those read first. An account without live timers ignores the filter and
    lists the shop's timers: the user is read back from each, and the same ticket comes first."""
    from syncro_tui.api import pacing
    from syncro_tui.simulator.scenarios import REMOTE, Day, clean_tickets

    moment = Moment(FIXED_NOW)
    sim = make_simulator(clock=moment)
    sim.store.account["live_timers"] = live
    ids = leaky_day(sim.store, moment, MONDAY, TZ)
    theirs = next(t for t in clean_tickets(sim.store, not_dana=True) if t not in ids.values())

    async def foreground_reads() -> int:
        told: list[bool] = []
        async with make_client(sim) as client:
            await read_sweep_day(client, day=MONDAY, tz=TZ, user_id=DANA.user_id,
                                 progress=lambda done, total: told.append(not pacing._BACKGROUND.get()))
        return sum(told)

    before = await foreground_reads()
    Day(sim.store, moment, MONDAY, TZ).at(16, 45)
    Day(sim.store, moment, MONDAY, TZ).timer(theirs, 20, REMOTE, charge=False)
    assert await foreground_reads() == before + 1


async def test_a_ticket_changed_after_the_sweeps_listed_it_is_read_once_more_not_by_each(server) -> None:
    """A ticket billed while the office sweeps: a sweep that listed it before reads its newer version from the
    store, once another has read it (not again from Syncro); an older kept version never stands for a newer one."""
    from datetime import timedelta

    moment = Moment(FIXED_NOW)
    sim = make_simulator(clock=moment)
    ids = leaky_day(sim.store, moment, MONDAY, TZ)
    pacer = office_pacer(server.url)
    store = office_store(pacer)
    async with make_client(sim, pacer=pacer) as client:
        from syncro_tui.api import requests as rq

        listed = await client.execute(rq.get_ticket(ids["comment only"]))  # the version the sweeps listed
        ticket = sim.store.t("tickets")[ids["comment only"]]
        ticket["subject"], ticket["updated_at"] = "Billed since", (listed.updated_at + timedelta(minutes=5)).isoformat()
        newer = await client.execute(rq.get_ticket(ids["comment only"]))
    store.put(newer)
    assert store.get(newer.id, listed.updated_at).subject == "Billed since"  # newer than listed: it stands
    assert store.get(newer.id, newer.updated_at + timedelta(seconds=1)) is None  # older than listed: read again


async def _sweep_waiting_on_a_claim(server, then) -> tuple[int, int]:
    """A sweep of the office while another machine's sweep holds the claim on one of the day's tickets: ``then``
    is run (with that store, the ticket's id and listed version) once the sweep has read everything else and waits.
    Returns the sweep's ticket reads and the tickets it found."""
    moment = Moment(FIXED_NOW)
    sim = make_simulator(clock=moment)
    ids = leaky_day(sim.store, moment, MONDAY, TZ)
    other = office_store(office_pacer(server.url))  # another machine's sweep
    pacer = office_pacer(server.url)
    async with make_client(sim, pacer=pacer) as client:
        from syncro_tui.api import requests as rq

        held = await client.execute(rq.get_ticket(ids["comment only"]))
        sim.calls.clear()
        assert other.claim(held.id, held.updated_at)
        waiting = asyncio.Event()
        sweeping = asyncio.create_task(read_sweep_day(
            client, day=MONDAY, tz=TZ, user_id=DANA.user_id, store=office_store(pacer),
            progress=lambda done, of: waiting.set() if done == of - 1 else None))
        await waiting.wait()
        for _ in range(5):  # the sweep looks, and reads nothing while the claim stands
            await asyncio.sleep(0)
        assert not sweeping.done()
        await then(other, held)
        day = await sweeping
    return sum(1 for call in sim.calls if call == ("GET", "get_ticket")), len(day.tickets)


async def test_a_sweep_waits_for_the_ticket_another_sweep_is_reading_and_reads_it_not(server) -> None:
    async def kept(other, held) -> None:
        async with other.holding(held.id, held.updated_at):
            pass
        other.put(held)

    reads, found = await _sweep_waiting_on_a_claim(server, kept)
    assert reads == found - 1  # every ticket but the one the other sweep read


async def test_a_claim_whose_read_fails_is_let_go_and_the_waiting_sweep_reads_the_ticket(server) -> None:
    from syncro_tui.api.errors import ServerError

    async def failed(other, held) -> None:
        with pytest.raises(ServerError):
            async with other.holding(held.id, held.updated_at):
                raise ServerError("Syncro answered 502")
        # Not asserted here that the claim is gone: the waiting sweep may already have claimed it for its own read.

    reads, found = await _sweep_waiting_on_a_claim(server, failed)
    assert reads == found  # the ticket the other sweep failed to read is read here


async def test_a_failed_read_lets_its_claim_go_at_once(server) -> None:
    from syncro_tui.api.errors import ServerError

    store = office_store(office_pacer(server.url))
    at = FIXED_NOW
    assert store.claim(108, at)
    with pytest.raises(ServerError):
        async with store.holding(108, at):
            raise ServerError("Syncro answered 502")
    assert not store._on_claim("claimed", 108, at)  # no other sweep here: nothing claims it again
    assert store.claim(108, at)  # the next sweep to come claims it without waiting the claim out


async def test_a_claim_is_kept_alive_while_its_read_waits_in_line(server) -> None:
    """Twenty sweeps and their techs' calls can keep a read in line longer than a claim lasts: the claim is renewed
    while it waits (here the renewal's wait is let through at once, and the claim had nearly lapsed)."""
    from datetime import datetime

    ticks: asyncio.Queue[None] = asyncio.Queue()

    async def at_once_then_never(seconds: float) -> None:
        ticks.put_nowait(None)
        if ticks.qsize() > 1:
            await asyncio.Event().wait()

    pacer = OfficePacer(server.url, "acct", Pacer(100_000), 100_000, sleep=at_once_then_never)
    store = office_store(pacer)
    at = datetime(2026, 11, 23, 16, 0, tzinfo=TZ)
    assert store.claim(7, at)
    key = store._claim_key(7, at)
    pacer._redis.pexpire(key, 2_000)  # about to lapse
    async with store.holding(7, at):
        while pacer._redis.pttl(key) <= 2_000:
            await asyncio.sleep(0)
        assert pacer._redis.pttl(key) > 20_000  # renewed to a whole claim
    assert store._on_claim("claimed", 7, at)  # a read that ends well keeps its claim until its ticket is kept
