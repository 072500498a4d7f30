"""The tech's calls go first: background work (the queue's loads) yields, within the one budget. No real time."""

from __future__ import annotations

import asyncio

from syncro_tui.api.pacing import MachinePacer, Pacer, background


class Clock:
    """Time that moves only when the pacer sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


async def order_of_grants(pacer: Pacer, clock: Clock) -> list[str]:
    granted: list[str] = []

    async def load() -> None:
        with background():
            for n in range(4):
                await pacer.acquire()
                granted.append(f"page {n + 1}")

    async def tech() -> None:
        await asyncio.sleep(0)  # the load has started and waits for a token
        await pacer.acquire()
        granted.append("open ticket")

    await asyncio.gather(load(), tech())
    return granted


def drained(pacer: Pacer) -> Pacer:
    pacer.drain()  # the burst is spent: every token from here is a wait
    return pacer


async def test_a_call_of_the_techs_goes_before_a_load_that_was_waiting_first() -> None:
    clock = Clock()
    pacer = drained(Pacer(60, headroom=0, burst=2, clock=clock, sleep=clock.sleep))
    assert (await order_of_grants(pacer, clock))[0] == "open ticket"


async def test_without_background_the_order_is_first_come() -> None:
    """The same race with the load not marked as background: the load's first request wins (the test can fail)."""
    clock = Clock()
    pacer = drained(Pacer(60, headroom=0, burst=2, clock=clock, sleep=clock.sleep))
    granted: list[str] = []

    async def load() -> None:
        await pacer.acquire()
        granted.append("page 1")

    async def tech() -> None:
        await asyncio.sleep(0)
        await pacer.acquire()
        granted.append("open ticket")

    await asyncio.gather(load(), tech())
    assert granted == ["page 1", "open ticket"]


async def test_background_work_still_draws_on_the_one_budget_and_is_shown_waiting() -> None:
    clock = Clock()
    pacer = drained(Pacer(60, headroom=0, burst=2, clock=clock, sleep=clock.sleep))
    start = clock.now

    async def watch() -> int:
        await asyncio.sleep(0)
        return pacer.budget().background_waiting

    grants, waiting = await asyncio.gather(order_of_grants(pacer, clock), watch())
    assert waiting == 1 and pacer.budget().background_waiting == 0
    assert len(grants) == 5
    rate = (60 - 2) / 60
    assert clock.now - start >= 5 / rate - 0.5  # five tokens at the bucket's rate: no request skipped the budget


async def test_the_machine_wide_bucket_gives_the_tech_priority_too(tmp_path) -> None:
    clock = Clock()
    pacer = MachinePacer(tmp_path / "pacing.sqlite", "acct", 60, headroom=0, burst=2, clock=clock, sleep=clock.sleep)
    await pacer.acquire()  # the account's row exists once a request has gone out (a 429 comes after one)
    drained(pacer)
    assert (await order_of_grants(pacer, clock))[0] == "open ticket"
