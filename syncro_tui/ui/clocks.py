"""The keys that move the work clocks (``w``, ``W``): what to ask, confirm and say; the clocks themselves are
``writes/clocks.WorkClocks`` (on this machine, or the tech's Syncro timers, docs/rules.md §13)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from .base import SyncroBase
from .messages import ClocksChanged, StopClock, ToggleClock

if TYPE_CHECKING:
    from ..api.models import Timer
    from ..domain.clock import LiveTimer
    from ..writes.plans import Plan
    from ..domain.rates import Rate


class ClockKeys(SyncroBase):
    """The app's handling of ``ToggleClock`` and ``StopClock``, whichever screen sent them."""

    def on_toggle_clock(self, message: ToggleClock) -> None:
        if message.ticket_id not in self.clocks and self.work_clocks.reads_live():  # the clock is kept in Syncro
            self.live_clock(message)
            return
        said: list[str] = []
        if self.change_clocks(lambda clocks: said.append(clocks.toggle(message.ticket_id, message.number,
                                                                       message.subject))):
            self.notify(f"Work clock on #{message.number} {said[0]}.", title="Work clock", timeout=6)

    @work(group="work-clock", exit_on_error=False)
    async def live_clock(self, message: ToggleClock) -> None:
        """``w`` on Syncro's live timers: start one (the labor type picked, or the shop's), pause or resume it; each a
        confirmed write. Where the account has none (404), the clock is kept on this machine from now on."""
        from ..api.models import Timer
        from ..writes.timer_plans import live_timer

        held = self.work_clocks.live.get(message.ticket_id)
        if held is None:
            rate = await self.clock_rate(message.number)
            if rate is None:
                return
            plan = live_timer(message.ticket_id, message.number, message.subject, rate=rate)
        else:
            move = "pause_timer" if held.running else "start_timer"
            plan = live_timer(message.ticket_id, message.number, message.subject, timer=held.timer, move=move,
                              minutes=held.minutes(self.session.now()))
        timer = await self.send_timer_plan(plan)
        if timer is None and self.work_clocks.live_account is False:
            self.on_toggle_clock(message)  # the account has no live timers: the clock on this machine
        elif isinstance(timer, Timer):
            self.keep_live(timer, message.number)
            said = "running in Syncro: W stops it and bills the time" if timer.status == "running" else "paused: w resumes it"
            self.notify(f"Timer on #{message.number} {said}.", title="Work clock", timeout=6)

    async def clock_rate(self, number: int) -> Rate | None:
        """The labor type a new Syncro timer starts with: the shop's ([clock] labor), else the tech's pick."""
        from ..domain.rates import Unit
        from .billing import LABOR_LABELS
        from .dialogs import ChoiceScreen

        rates = self.session.config.rate_table()
        if self.session.config.clock.labor is not None:
            return rates.for_type(self.session.config.clock.labor)
        choices = [(r.labor_type.value, LABOR_LABELS[r.labor_type]) for r in rates.rates
                   if r.unit is Unit.HOUR and not r.explicit_only]
        picked = await self.push_screen_wait(ChoiceScreen(f"Start a timer in Syncro on #{number}: what kind of work "
                                                          "is it? (the wizard asks again when it is billed)", choices))
        return rates.for_type(picked) if picked else None

    async def send_timer_plan(self, plan: Plan) -> Timer | None:
        """A timer's move confirmed and sent; the timer as Syncro answers it (None when nothing landed; a 404 at the
        first call marks the account as without live timers, and says so)."""
        from ..api.models import Timer
        from .writing import confirm_and_send

        outcome = await confirm_and_send(self, plan, says_done=True)
        if outcome is None:
            return None
        stop = outcome.stopped
        if stop is not None and stop.status == 404 and plan.steps[0].call == "start_live_timer":
            self.work_clocks.live_account = False
            self.notify("This account has no live timers in Syncro: the work clock is kept on this machine.",
                        title="Work clock", severity="warning", timeout=10)
            return None
        if not outcome.done:
            return None
        self.work_clocks.live_account = True
        return outcome.record(Timer)

    def keep_live(self, timer: Timer, number: int | None) -> None:
        self.work_clocks.moved(timer, number)
        self.post_message(ClocksChanged())

    def on_stop_clock(self, message: StopClock) -> None:
        self.stop_clock(message.ticket_id)

    @work(group="work-clock", exit_on_error=False)
    async def stop_clock(self, ticket_id: int) -> None:
        """Stop the clock and open the wizard with its minutes and end filled in; a long clock, or one across
        midnight, asks first (and keeps running when the tech says not now)."""
        from ..domain.billing_form import BillingForm
        from ..domain.clock import concerns
        from ..domain.when import typed
        from .billing import BillingScreen
        from .dialogs import ChoiceScreen

        clock = self.clocks.get(ticket_id)
        held = self.work_clocks.live.get(ticket_id)
        if clock is None and held is not None:
            await self.stop_live(held)
            return
        if clock is None:
            self.notify("No work clock on this ticket: w starts one.", title="Work clock", timeout=6)
            return
        now, tz = self.session.now(), self.account.time_zone
        stopped = clock.stop(now) if not clock.stopped else clock
        asked = concerns(stopped, now, tz)
        if asked and not clock.stopped:
            answer = await self.push_screen_wait(ChoiceScreen(
                f"Stop the work clock on #{clock.number}?\n" + "\n".join(f"⚠ {a}" for a in asked),
                [("use", f"Bill {stopped.minutes(now)} min as worked"), ("keep", "Not now: the clock goes on")]))
            if answer != "use":
                return
        if not self.change_clocks(lambda clocks: clocks.stopped(stopped)):
            return
        draft = self.drafts.billing.setdefault(ticket_id, BillingForm())
        draft.minutes = str(stopped.minutes(now))
        draft.ended = typed(stopped.ended_at(now), tz)
        if asked:
            draft.long_confirmed = draft.long_confirmed or stopped.minutes(now) > 24 * 60
        self.push_screen(BillingScreen(ticket_id))

    async def stop_live(self, held: LiveTimer) -> None:
        """``W`` on a Syncro timer: stopped (confirmed), then the wizard bills that timer with its minutes and end.
        Whether Syncro charged it on stopping is read by the wizard from the ticket, never assumed."""
        from ..domain.billing_form import BillingForm
        from ..writes.timer_plans import live_timer
        from ..domain.ticket import timer_minutes
        from ..domain.when import typed
        from .billing import BillingScreen

        timer = held.timer
        plan = live_timer(timer.ticket_id, held.number, "", timer=timer, move="stop_timer",
                          minutes=held.minutes(self.session.now()))
        stopped = await self.send_timer_plan(plan)
        if stopped is None:
            return
        self.keep_live(stopped, held.number)
        draft = self.drafts.billing.setdefault(timer.ticket_id, BillingForm())
        draft.minutes = str(max(timer_minutes(stopped), 1))
        draft.ended = typed(stopped.end_time or self.session.now(), self.account.time_zone)
        draft.live_timer = stopped.id
        self.push_screen(BillingScreen(timer.ticket_id))
