"""The coach: what the field under the cursor is for, the shop rule that applies, and why it exists (no I/O).

Each place a tech can stand (a field of the billing wizard, the comment form or
the new-ticket form, a ticket in the queue, a leak in the sweep) has a note:
what it is, the rule (its number in docs/rules.md) and the incident behind
it. Where the form already says something about the field (its problem, or
what the billing rules made of it), that comes last, as "now". The rules are
not restated here: "now" is what ``billing_form.review`` and the comment
checks said, so the coach and the wizard cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .billing import MinutesProblem, parse_minutes
from .situation import Situation
from .billing_form import BillingForm, BillingReview
from .comment import CommentDraft, audience
from .rates import BillingPath, RateTable
from .sweep import LeakKind
from .ticket import email_recipient


@dataclass(frozen=True)
class Coaching:
    """What the coach says about one place."""

    title: str
    what: str
    rule: str
    why: str = ""
    #: What the form says about this field as it stands (its problem, or what the rules made of it).
    now: tuple[str, ...] = ()


_COMMENT_RULE = ("docs/rules.md §6: a customer-visible comment never carries internal notes or anything that looks like a "
                 "credential (passwords, API keys, tokens). Line breaks become <br>; lists do not render in Syncro.")
_COMMENT_WHY = ("An email cannot be taken back: a password sent to a customer's inbox has to be changed everywhere "
                "it is used, and an internal note sent to them is read as the shop's opinion of them.")
_VISIBILITY = Coaching(
    "Who sees the comment",
    "Public comments are emailed to the customer's contact and shown on their portal; a private note is for the "
    "shop only; a public comment can also be left unemailed.",
    _COMMENT_RULE, _COMMENT_WHY)

NOTES: dict[str, Coaching] = {
    "bill.minutes": Coaching(
        "Minutes worked",
        "The minutes you worked on this piece of work, as you say them: never taken from a guess or a default.",
        "docs/rules.md §7.1 and §7.3: you state the minutes every time. The quantity is minutes ÷ 60 in decimal "
        "hours (45 minutes is 0.75 h, not 0.77), and the timer's start and end span exactly that quantity.",
        "An hour billed for 45 minutes overcharges by a quarter hour; the customer who finds it disputes every "
        "invoice after, and the time reports stop agreeing with the invoices."),
    "bill.long": Coaching(
        "More than 24 hours",
        "Minutes over a day are usually a typo (4500 for 45). Tick it only when the work really took that long.",
        "docs/rules.md §7.1: the minutes are the tech's to state, so the app asks instead of trimming them.",
        "A slipped zero (4500 for 45) would put 75 hours on the customer's invoice."),
    "bill.labor": Coaching(
        "Labor type",
        "What kind of work it was. It picks the product and its rate from the shop's rate table.",
        "docs/rules.md §7.1, §7.4 and §7.5: never assumed. Emergency or after-hours work for a customer with a prepaid "
        "block is onsite at 1.5 × the hours, never the emergency product as well; without a block it is the "
        "emergency product, whose rate already has the 1.5 ×. Warranty work is the warranty product at $0.00, "
        "never a billable product marked not billable. Travel is per trip, not per hour.",
        "Emergency labor for a prepaid customer billed as the emergency product at 1.5 × the hours applied the 1.5 "
        "twice: 2.25 × the onsite rate for each hour worked instead of 1.5 ×."),
    "bill.ended": Coaching(
        "Work ended",
        "When the work ended, in the account's time zone. The timer runs back from here by the billed quantity.",
        "docs/rules.md §7.2 and §7.3: time is billed as a timer first, and the timer's length equals the quantity "
        "billed. Work outside the shop's hours is after-hours work: the app asks you to say whether it was.",
        "A wrong end puts the work at the wrong hour in the time reports, and can bill an after-hours call at the "
        "day rate (or the other way round)."),
    "bill.hints": Coaching(
        "What the hours and the block say",
        "What the shop's hours or the customer's prepaid block say about the labor type you chose. Tick one when "
        "the plan is right as it is; otherwise change the plan.",
        "docs/rules.md §7.1 and §7.4: the app never changes the labor type for you; it shows why it might be wrong.",
        "A silent switch to emergency labor would bill a call the shop promised at the day rate."),
    "bill.timers": Coaching(
        "Timers already on the ticket",
        "Timers someone started on the ticket in Syncro and never charged. Tick one to charge it in this run.",
        "docs/rules.md §7.2 and §7.8: charging a timer makes its line; an invoice pulls every line on the ticket, "
        "but never an uncharged timer. Charge it, or remove it (ctrl+t) when the work is billed here instead.",
        "A timer left uncharged is work never billed, and billing the same work again by hand bills it twice."),
    "bill.description": Coaching(
        "Billing description",
        "The words on the invoice line: the customer reads them next to the price.",
        "docs/rules.md §7.10: drafted (by you or the model), reviewed and confirmed with the rest of the run.",
        "An invoice line that says only \"Labor\" comes back as a question before it is paid."),
    "bill.subject": Coaching(
        "Comment subject",
        "The subject of the resolution comment (Resolution, Update…): shown in the ticket's history and the email.",
        _COMMENT_RULE, _COMMENT_WHY),
    "bill.visibility": _VISIBILITY,
    "bill.comment": Coaching(
        "Resolution comment",
        "What was done, in words the reader understands. The run posts it before the time.",
        _COMMENT_RULE, _COMMENT_WHY),
    "bill.ack": Coaching(
        "Bill anyway",
        "The warnings at the top say something about this ticket that may make the bill wrong (already invoiced, "
        "lines waiting). Read them; tick only when billing is still right.",
        "docs/rules.md §7.8 and §7.9: an invoice pulls every line on the ticket, and lines are never removed once "
        "invoiced.",
        "A second invoice for work already invoiced bills the customer twice: a credit note and an apology."),
    "comment.subject": Coaching(
        "Subject",
        "Update, Resolution, Internal Note…: shown in the ticket's history and in the email's subject.",
        _COMMENT_RULE, _COMMENT_WHY),
    "comment.visibility": _VISIBILITY,
    "comment.body": Coaching(
        "The comment",
        "What the reader needs to know. Public comments go to the customer as written.",
        _COMMENT_RULE, _COMMENT_WHY),
    "new.customer": Coaching(
        "Customer",
        "Whose ticket this is: their contacts, sites and assets come from here.",
        "docs/rules.md §5: a ticket is created with its first comment and appointment in one form, previewed and "
        "confirmed once.",
        "A ticket on the wrong customer sends their emails to someone else's contact."),
    "new.subject": Coaching(
        "Subject",
        "One line the queue and the customer see.",
        "docs/rules.md §11: the queue shows number, status, customer and subject: make the subject say the problem.",
        "\"Help\" as a subject makes a queue of thirty tickets impossible to triage."),
    "new.problem_type": Coaching(
        "Issue type",
        "Syncro's Issue Type list; the closest match, else \"Not determined\".",
        "docs/rules.md §5: the shop's reports by issue type only work when every ticket has one.", ""),
    "new.priority": Coaching(
        "Priority",
        "\"2 Normal\" unless it is not; \"4 Urgent\" for emergency and after-hours calls.",
        "docs/rules.md §5: priority is a number-prefixed string; emergency work is \"4 Urgent\".",
        "An after-hours call left at Normal waits for the morning."),
    "new.issue": Coaching(
        "Initial issue",
        "Posted as the ticket's first comment, subject \"Initial Issue\".",
        _COMMENT_RULE, _COMMENT_WHY),
    "new.do_not_email": Coaching(
        "Do not email",
        "Whether the first comment is emailed to the customer's contact.",
        "docs/rules.md §5 and §6: do_not_email is sent with the first comment. Calendar invites cannot be turned off "
        "through the API.", ""),
    "new.start": Coaching(
        "Appointment start",
        "When a start is given, an appointment is made with the ticket (end: start + 90 minutes unless said).",
        "docs/rules.md §5: the appointment is the third call of the one confirmed run.", ""),
}

#: What a note says instead on a shop whose policy bills labor as a line item (docs/rules.md §7.2 and §13).
BY_LINE: dict[str, Coaching] = {
    "bill.minutes": replace(
        NOTES["bill.minutes"],
        rule="docs/rules.md §7.1 and §7.3: you state the minutes every time. The quantity is minutes ÷ 60 in decimal "
             "hours (45 minutes is 0.75 h, not 0.77), and it is the line's quantity: this shop bills labor as one "
             "line item, with no timer."),
    "bill.ended": replace(
        NOTES["bill.ended"],
        what="When the work ended, in the account's time zone: the line is the day's work, and the shop's hours "
             "say whether it was after hours.",
        rule="docs/rules.md §7.2 and §13: this shop bills labor as one line item (its policy); work outside the "
             "shop's hours is after-hours work: the app asks you to say whether it was."),
}

_STATUS: dict[str, tuple[str, str]] = {
    "New": ("Not picked up yet: set its priority and assign a tech (s, p, a).",
            "docs/rules.md §5: priority is \"2 Normal\" unless said; \"4 Urgent\" for emergency and after-hours work."),
    "In Progress": ("Being worked: bill each piece of work when it is done (b).",
                    "docs/rules.md §7.2: a timer first, then its charge; never a bare line item for labor."),
    "Waiting on Customer": ("The shop waits for the customer: the work done so far can be billed now (b).",
                            "docs/rules.md §7.1: the minutes and the labor type are stated, never guessed later."),
    "Waiting on Vendor": ("The shop waits for a vendor: a private comment (n) keeps the vendor's case number.",
                          "docs/rules.md §6: a private note is hidden from the customer and not emailed."),
    "Scheduled": ("A visit is booked: its time is billed when it is over.",
                  "docs/rules.md §7.3: the quantity is exactly the time worked."),
    "Resolved": ("The work is done and may not be billed yet: bill it (b), or check its lines are on an invoice.",
                 "docs/rules.md §7.8: the invoice pulls every line; the sweep (E) finds Resolved tickets whose lines "
                 "are on no invoice."),
    "Invoiced": ("Billed and invoiced.", "docs/rules.md §7.9: never remove line items from a ticket after invoicing."),
    "Closed": ("Closed.", "Closing with nothing billed is asked about first: work done and not billed is lost."),
}

#: The statuses whose rule is the billing path's, on a shop that bills labor as a line item.
_STATUS_BY_LINE = {"In Progress": "docs/rules.md §7.2: this shop bills labor as one line item with every field "
                                  "explicit; a timer only when you ask for one."}

_LEAKS: dict[LeakKind, Coaching] = {
    LeakKind.UNBILLED: Coaching(
        "No time recorded", "You touched this ticket today (a comment, a status, a visit) and billed no time on it.",
        "docs/rules.md §7.2: all work with a time component is billed (a timer first, or a labor line on a shop "
        "whose policy is line items); only cancelled tickets are exempt.",
        "Work touched and not billed is given away, a few minutes a ticket, every day."),
    LeakKind.NOT_INVOICED: Coaching(
        "Lines on no invoice", "The ticket is Resolved or Invoiced, and some of its lines are on no invoice.",
        "docs/rules.md §7.8: the invoice pulls every line on the ticket, then the status is set to Invoiced.",
        "A ticket marked Invoiced with nothing invoiced is never looked at again."),
    LeakKind.ZERO_INVOICE: Coaching(
        "A $0.00 invoice", "An invoice of $0.00 that carries lines the rate table prices.",
        "docs/rules.md §7.8 and §13: where the account has draft invoices, it goes back to draft, takes the rate "
        "table's prices and is published again; elsewhere it is recovered by patching the lines, deleting it (in "
        "Syncro's web) and invoicing again.", "A $0.00 invoice sent to a customer is work given away."),
    LeakKind.ZERO_LINE: Coaching(
        "A $0.00 line", "A charged line at $0.00 for a product the rate table prices.",
        "docs/rules.md §7.7: charging sometimes makes a $0.00 line; it is patched to the rate table's price, the "
        "only legitimate price patch.", "Unpatched, the line goes onto the invoice at $0.00."),
    LeakKind.UNCHARGED_TIMER: Coaching(
        "A timer not charged", "A timer on the ticket that was never charged, so it made no line.",
        "docs/rules.md §7.2 and §7.8: charging makes the line; invoices never pull an uncharged timer.",
        "The time shows in reports and never on an invoice."),
    LeakKind.CLOCK: Coaching(
        "A work clock", "A clock you started in the app that is still running, paused, or stopped and not billed.",
        "docs/rules.md §7.1: the clock's minutes are yours to confirm; W stops it and bills it.",
        "A clock left running overnight would offer sixteen hours for an hour's work."),
}


def note(place: str) -> Coaching | None:
    return NOTES.get(place)


def fields(screen: str) -> tuple[str, ...]:
    """The fields of ``screen`` ("bill", "comment", "new") the coach has a note for: their widget ids."""
    return tuple(key.split(".", 1)[1] for key in NOTES if key.startswith(f"{screen}."))


def with_now(place: str, *now: str | None) -> Coaching | None:
    """The note for ``place`` with what the form says about it now (its problem, a hint), if anything."""
    found = note(place)
    return replace(found, now=tuple(n for n in now if n)) if found is not None else None


def billing(field: str, form: BillingForm, review: BillingReview, situation: Situation | None,
            rates: RateTable) -> Coaching | None:
    """The wizard's field ``field`` (its widget id), with what the review made of it."""
    found = BY_LINE.get(f"bill.{field}") if rates.by_line else None
    found = found or note(f"bill.{field}")
    if found is None:
        return None
    now: list[str] = []
    problem = review.problems.get("comment" if field in ("subject", "visibility") else field)
    if problem:
        now.append(problem)
    time = review.time
    if field == "minutes" and time is None:  # the quantity is known before the labor type is
        try:
            minutes = parse_minutes(form.minutes, long_confirmed=form.long_confirmed)
        except MinutesProblem:
            pass  # the review's problem says why
        else:
            now.append(rates.rounding.reason(minutes))
    if time is not None:
        if field == "minutes":
            now += [time.reasons[0],
                    f"One line of {time.quantity} h, no timer." if time.by_line else
                    f"The timer runs {time.start_at:%H:%M} to {time.end_at:%H:%M}: {time.timer_hours.normalize()} h."]
        elif field == "labor":
            now.append(time.reasons[1])  # why this product: the labor type's own reason
        elif field == "hints":
            now += [h.text for h in review.hints]
    if field == "labor" and situation is not None:
        block = situation.prepaid
        now.append(f"This customer has a prepaid block of {block} h: after-hours work is onsite at 1.5 × the hours."
                   if block is not None else
                   "This customer has no prepaid block: after-hours work is the emergency product, at its own rate.")
    if field in ("visibility", "comment", "subject"):
        if situation is not None:
            now.append(audience(form.comment_draft.visibility, email_recipient(situation.ticket)))
        now += [f"{c.name}: {c.reason}" for c in review.checks if not c.passed and "comment" in c.name]
    return replace(found, now=tuple(now))


def comment(field: str, draft: CommentDraft, recipient: str | None) -> Coaching | None:
    """The comment form's field ``field``, with who will read it and what stops it."""
    found = note(f"comment.{field}")
    if found is None:
        return None
    return replace(found, now=(audience(draft.visibility, recipient), *draft.problems(),
                               *([draft.stopped] if draft.stopped else [])))


def ticket_status(status: str, path: BillingPath = BillingPath.TIMER) -> Coaching:
    """A ticket under the cursor: what its status means and what comes next (by the shop's billing path)."""
    meaning, rule = _STATUS.get(status, ("A status this shop added: bill the work done before it is closed.", ""))
    if path is BillingPath.LINE_ITEM:
        rule = _STATUS_BY_LINE.get(status, rule)
    return Coaching(f"Status: {status}", meaning, rule)


def leak(kind: LeakKind, fix_words: str) -> Coaching:
    """A leak under the cursor in the sweep: the rule it breaks, and what Enter does about it."""
    return replace(_LEAKS[kind], now=(f"Enter: {fix_words}",))
