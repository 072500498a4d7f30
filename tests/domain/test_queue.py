"""The queue as data: arrivals placed in one pass, a full load that only moves the watermark once it is in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sys

from syncro_tui.api.models import TicketSummary
from syncro_tui.domain.queue import Queue, QueueRow, insert_in_order, sort_key

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def ticket(ident: int, priority: str = "2 Normal", minutes: int = 0, status: str = "New") -> QueueRow:
    at = T0 + timedelta(minutes=minutes)
    return QueueRow.of(TicketSummary.model_validate({"id": ident, "number": 30000 + ident, "subject": f"t{ident}",
                                                     "status": status, "priority": priority, "created_at": at,
                                                     "updated_at": at}))


def naive_place(rows: list[int], arrivals: list[QueueRow], tickets: dict[int, QueueRow]) -> list[int]:
    """What the queue did before: for each arrival, scan every row for the first that sorts after it."""
    out = list(rows)
    for arrival in arrivals:
        place = next((i for i, key in enumerate(out)
                      if (other := tickets.get(key)) is not None and sort_key(other) > sort_key(arrival)), len(out))
        out.insert(place, arrival.id)
    return out


def test_arrivals_land_where_the_row_by_row_scan_put_them_with_rows_out_of_order() -> None:
    shown = [ticket(1, "4 Urgent", 5), ticket(2, "2 Normal", 50), ticket(3, "1 High", 40), ticket(4, "3 Low", 1)]
    # ticket 3 was re-prioritised in place: the rows are no longer sorted, and keep their places
    arrivals = sorted([ticket(10, "1 High", 45), ticket(11, "4 Urgent", 1), ticket(12, "3 Low", 9),
                       ticket(13, "2 Normal", 60)], key=sort_key)
    tickets = {t.id: t for t in (*shown, *arrivals)}
    rows = [t.id for t in shown]
    assert insert_in_order(rows, arrivals, tickets) == naive_place(rows, arrivals, tickets)
    assert insert_in_order(rows, [], tickets) == rows
    assert insert_in_order([], arrivals, tickets) == [t.id for t in arrivals]


def test_a_full_load_moves_the_watermark_only_when_every_page_is_in() -> None:
    queue = Queue()
    first = queue.merge([ticket(1, minutes=5), ticket(2, minutes=30)], advance=False)
    assert [t.id for t in first.added] == [1, 2] and queue.watermark is None  # cut short here: load again
    queue.merge([ticket(3, minutes=10), ticket(4, minutes=20, status="Resolved")], advance=False)
    gone = queue.loaded({1, 2, 3, 4})
    assert gone.removed == [] and queue.watermark == T0 + timedelta(minutes=30)
    assert sorted(queue.tickets) == [1, 2, 3]
    again = Queue(tickets={t.id: t for t in (ticket(1), ticket(9))})
    assert again.loaded({1}).removed == [9] and list(again.tickets) == [1]


def test_a_filter_that_only_narrows_is_known_as_such() -> None:
    from syncro_tui.domain.sections import Needle

    assert Needle("prin").narrows(Needle("pri")) and Needle("printer acme").narrows(Needle("printer"))
    assert Needle("acme printer").narrows(Needle("print acm"))
    assert not Needle("pri").narrows(Needle("prin"))  # a letter deleted: more can match
    assert not Needle("scanner").narrows(Needle("printer")) and not Needle("x").narrows(Needle(""))


LISTED = {"id": 108412001, "number": 31702, "subject": "Printer offline", "status": "In Progress",
          "priority": "1 High", "problem_type": "Hardware", "customer_id": 30010001,
          "customer_business_then_name": "Brightline Dental", "contact_fullname": "Ana Ruiz", "user_id": 1843,
          "user": {"id": 1843, "full_name": "Dana Whitfield", "email": "dana@example.com"},
          "created_at": "2026-11-19T09:00:00.000-06:00", "updated_at": "2026-11-20T10:30:00.000-06:00",
          "due_date": "2026-11-21T00:00:00.000Z", "customer_reply": "true", "sla_breaching_soon": True,
          "properties": {"Site": "Main", "Budget": 400}}


def test_a_row_keeps_what_the_queue_shows_in_utc_with_repeated_text_shared() -> None:
    row = QueueRow.of(TicketSummary.model_validate(LISTED))
    assert (row.id, row.number, row.subject, row.status, row.priority, row.tech_name, row.user_id) == (
        108412001, 31702, "Printer offline", "In Progress", "1 High", "Dana Whitfield", 1843)
    assert row.updated_at == datetime(2026, 11, 20, 16, 30, tzinfo=UTC) and row.updated_at.tzinfo is UTC
    assert row.customer_reply and row.sla_breaching_soon and not row.sla_breached and row.problem_type == "Hardware"
    other = QueueRow.of(TicketSummary.model_validate({**LISTED, "id": 2, "number": 3}))
    assert other.customer_business_then_name is row.customer_business_then_name and other.status is row.status
    assert not hasattr(row, "__dict__") and sys.getsizeof(row) < 200


def test_a_row_goes_to_the_cache_and_back_unchanged() -> None:
    row = QueueRow.of(TicketSummary.model_validate(LISTED))
    assert QueueRow.from_record(row.record()) == row
    unassigned = QueueRow.of(TicketSummary.model_validate({**LISTED, "user": None, "user_id": None, "due_date": None}))
    assert QueueRow.from_record(unassigned.record()) == unassigned and unassigned.tech_name is None


def test_a_rows_place_in_the_queue_is_worked_out_once_and_follows_every_change() -> None:
    from dataclasses import replace

    row = ticket(1, "2 Normal", minutes=5)
    assert sort_key(row) == (2, -(T0 + timedelta(minutes=5)).timestamp(), -30001)
    raised = replace(row, priority="4 Urgent")  # a changed ticket is a new row: its place is worked out again
    assert sort_key(raised)[0] == 0 and sort_key(QueueRow.from_record(raised.record())) == sort_key(raised)
    assert "order" not in row.record()  # the cache keeps the ticket, not where it sorts (an older app's rows read)


def test_a_record_that_is_not_a_row_is_refused() -> None:
    import pytest

    record = QueueRow.of(TicketSummary.model_validate(LISTED)).record()
    for broken in ({k: v for k, v in record.items() if k != "updated_at"}, {**record, "number": "31702"},
                   {**record, "created_at": None}, {**record, "updated_at": "yesterday"}):
        with pytest.raises((KeyError, TypeError, ValueError)):
            QueueRow.from_record(broken)


def test_a_column_sort_keeps_the_queues_order_among_ties_both_ways() -> None:
    from syncro_tui.domain.queue import sort_rows

    rows = [ticket(1, "2 Normal", 5), ticket(2, "4 Urgent", 1), ticket(3, "2 Normal", 9), ticket(4, "1 High", 3)]
    assert [t.id for t in sort_rows(rows, None)] == [2, 4, 3, 1]
    assert [t.id for t in sort_rows(rows, "priority")] == [2, 4, 3, 1]
    assert [t.id for t in sort_rows(rows, "priority", descending=True)] == [3, 1, 4, 2]  # ties still newest first
    assert [t.id for t in sort_rows(rows, "number")] == [1, 2, 3, 4]
    assert [t.id for t in sort_rows(rows, "updated", descending=True)] == [3, 1, 4, 2]


def test_a_changed_rows_mark_says_what_changed() -> None:
    from dataclasses import replace

    from syncro_tui.domain.queue import change_mark

    row = ticket(1, "2 Normal", 5)
    assert change_mark(None, row) == "+"
    assert change_mark(row, replace(row, priority="4 Urgent", status="Resolved")) == "P"
    assert change_mark(row, replace(row, user_id=2107)) == "T"
    assert change_mark(row, replace(row, status="Waiting on Customer")) == "S"
    assert change_mark(row, replace(row, updated_at=row.updated_at + timedelta(minutes=1))) == "●"  # a comment, say


def test_short_statuses_stay_unlike_each_other_in_ten_cells() -> None:
    from syncro_tui.domain.queue import short_status

    stock = ["New", "In Progress", "Waiting on Customer", "Waiting on Vendor", "Waiting for Parts", "Customer Reply",
             "Scheduled", "Resolved"]
    shorts = [short_status(s) for s in stock]
    assert len(set(shorts)) == len(stock) and all(len(s) <= 10 for s in shorts)
    assert short_status("Waiting on Customer") == "Wait cust" and short_status("Waiting on Vendor") == "Wait vend"
    # a shop's own status: the first word's start and the last word, so two custom "Waiting…" also differ
    assert short_status("Waiting on Insurance Approval") == "Wait appro"
    assert short_status("Awaiting Quote") == "Awai quote"
    assert short_status("Quarantined") == "Quarantin…"  # one long word: cut, and said to be cut
    assert short_status("Billing") == "Billing"


def test_a_short_due_drops_the_hour_of_a_far_date_and_keeps_the_sla_words() -> None:
    from syncro_tui.domain.queue import short_due

    assert short_due("Nov 15 17:00") == "Nov 15"
    assert short_due("Mon 17:00") == "Mon 17:00"  # fits: kept whole
    assert short_due("SLA breached") == "SLA breach" and short_due("SLA due soon") == "SLA soon"
    assert short_due("—") == "—"
