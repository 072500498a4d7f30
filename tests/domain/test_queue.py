"""The queue as data: arrivals placed in one pass, a full load that only moves the watermark once it is in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from syncro_tui.api.models import TicketSummary
from syncro_tui.domain.queue import Queue, insert_in_order, sort_key

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def ticket(ident: int, priority: str = "2 Normal", minutes: int = 0, status: str = "New") -> TicketSummary:
    at = T0 + timedelta(minutes=minutes)
    return TicketSummary.model_validate({"id": ident, "number": 30000 + ident, "subject": f"t{ident}", "status": status,
                                         "priority": priority, "created_at": at, "updated_at": at})


def naive_place(rows: list[int], arrivals: list[TicketSummary], tickets: dict[int, TicketSummary]) -> list[int]:
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
