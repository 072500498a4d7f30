"""The local cache: per account and profile, read back as checked rows, set aside when damaged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from syncro_tui import cache as cache_module
from syncro_tui.api.models import Ticket, TicketSummary
from syncro_tui.cache import Cache
from syncro_tui.domain.queue import QueueRow
from syncro_tui.host import exposure

AT = datetime(2026, 11, 20, 20, 2, tzinfo=UTC)


def summary(ident: int, status: str = "New") -> TicketSummary:
    return TicketSummary.model_validate({"id": ident, "number": 31000 + ident, "subject": f"Ticket {ident}",
                                         "status": status, "priority": "2 Normal", "created_at": AT, "updated_at": AT})


def row(ident: int, status: str = "New") -> QueueRow:
    return QueueRow.of(summary(ident, status))


def test_a_saved_queue_comes_back_as_it_was_and_only_for_its_owner(tmp_path) -> None:
    cache = Cache(tmp_path / "cache.sqlite", owner="https://acme.syncromsp.com/api/v1|dana")
    assert cache.queue() is None
    cache.save_queue(changed=[row(1), row(2)], removed=[], watermark=AT, at=AT, replace=True)
    cache.save_queue(changed=[row(3)], removed=[1], watermark=AT + timedelta(minutes=1), at=AT + timedelta(minutes=1),
                     zone="America/Chicago")
    back = cache.queue()
    assert back is not None and sorted(t.id for t in back.tickets) == [2, 3]
    assert back.tickets[0] == row(back.tickets[0].id) and back.watermark == AT + timedelta(minutes=1)
    assert back.saved_at == AT + timedelta(minutes=1) and back.zone == "America/Chicago"
    assert Cache(tmp_path / "cache.sqlite", owner="https://acme.syncromsp.com/api/v1|tom").queue() is None
    assert Cache(tmp_path / "cache.sqlite", owner="https://other.syncromsp.com/api/v1|dana").queue() is None
    assert exposure(tmp_path / "cache.sqlite") is None


def test_a_damaged_cache_is_set_aside_and_started_again(tmp_path) -> None:
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"not a database at all" * 200)
    cache = Cache(path, owner="x")
    assert cache.damage and "moved aside" in cache.damage and cache.queue() is None
    assert [p.name for p in tmp_path.iterdir() if "damaged" in p.name]
    cache.save_queue(changed=[row(1)], removed=[], watermark=AT, at=AT, replace=True)
    assert [t.id for t in cache.queue().tickets] == [1]  # type: ignore[union-attr]


def test_a_record_the_app_cannot_read_is_left_out_not_shown_wrong(tmp_path) -> None:
    cache = Cache(tmp_path / "cache.sqlite", owner="x")
    cache.save_queue(changed=[row(1), row(2), row(3)], removed=[], watermark=AT, at=AT, replace=True)
    cache._db.execute("UPDATE queue SET record='{\"id\": 2}' WHERE ticket_id=2")
    cache._db.execute("UPDATE queue SET record=replace(record, '\"number\": 31003', '\"number\": \"31003\"') "
                      "WHERE ticket_id=3")
    assert [t.id for t in cache.queue().tickets] == [1]  # type: ignore[union-attr]


def test_an_older_apps_queue_is_dropped_and_read_again(tmp_path) -> None:
    """Before rows, the cache kept whole listed tickets: a start with such a file reads the queue from Syncro."""
    path = tmp_path / "cache.sqlite"
    cache = Cache(path, owner="x")
    cache.save_queue(changed=[row(1)], removed=[], watermark=AT, at=AT, replace=True)
    cache._db.execute("UPDATE queue SET record=?", (summary(1).model_dump_json(),))
    cache._db.execute("PRAGMA user_version=1")
    cache.close()
    assert Cache(path, owner="x").queue() is None


def test_the_tickets_opened_recently_are_kept_newest_first(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(cache_module, "RECENT_TICKETS", 2)
    cache = Cache(tmp_path / "cache.sqlite", owner="x")
    for n in range(3):
        ticket = Ticket.model_validate({**summary(n).model_dump(mode="json"), "comments": []})
        cache.save_ticket(ticket, at=AT + timedelta(minutes=n))
    assert cache.ticket(0) is None
    kept = cache.ticket(2)
    assert kept is not None and kept.ticket.id == 2 and kept.saved_at == AT + timedelta(minutes=2)


def test_a_cache_that_is_locked_or_cannot_be_opened_is_never_set_aside(tmp_path, monkeypatch) -> None:
    import sqlite3

    import pytest

    Cache(tmp_path / "cache.sqlite", owner="x").save_queue(changed=[row(1)], removed=[], watermark=AT, at=AT)

    def locked(self):  # another window holding it past the timeout, or a directory it cannot write
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(Cache, "_connect", locked)
    with pytest.raises(sqlite3.OperationalError):  # the session then runs without a cache
        Cache(tmp_path / "cache.sqlite", owner="x")
    monkeypatch.undo()
    assert not [p for p in tmp_path.iterdir() if "damaged" in p.name]
    assert [t.id for t in Cache(tmp_path / "cache.sqlite", owner="x").queue().tickets] == [1]  # type: ignore[union-attr]


def test_the_first_rows_are_the_first_in_the_queues_order_and_the_total_counts_them_all(tmp_path) -> None:
    """A start from a cache of 20,000 draws its first screenfuls before reading the rest."""
    from syncro_tui.domain.queue import Queue

    priorities = ["1 High", "2 Normal", "0 Urgent", None, "3 Low"]
    rows = [QueueRow.of(summary(i).model_copy(update={"priority": priorities[i % 5],
                                                     "updated_at": AT - timedelta(minutes=(i * 7) % 11)}))
            for i in range(1, 41)]
    cache = Cache(tmp_path / "cache.sqlite", owner="x")
    cache.save_queue(changed=rows[:30], removed=[], watermark=AT, at=AT, replace=True)
    cache.save_queue(changed=rows[30:], removed=[5], watermark=AT, at=AT)  # kept in two saves, one row gone
    queue = Queue()
    queue.merge([r for r in rows if r.id != 5], advance=False)
    first = cache.queue(first=12)
    assert first is not None and first.total == 39
    assert first.tickets == queue.ordered()[:12]
    assert cache.queue().tickets == queue.ordered() and cache.queue().total == 39  # type: ignore[union-attr]
    assert cache.queue(first=100).total == 39  # type: ignore[union-attr]


def test_a_cache_kept_before_the_queues_order_was_is_dropped_then_kept_again(tmp_path) -> None:
    import sqlite3

    path = tmp_path / "cache.sqlite"
    db = sqlite3.connect(path)
    db.executescript("CREATE TABLE queue (owner TEXT NOT NULL, ticket_id INTEGER NOT NULL, record TEXT NOT NULL, "
                     "PRIMARY KEY (owner, ticket_id)); CREATE TABLE saved (owner TEXT PRIMARY KEY, at TEXT NOT NULL, "
                     "watermark TEXT, zone TEXT); PRAGMA user_version=2;")
    db.execute("INSERT INTO queue VALUES ('x', 1, ?)", (__import__("json").dumps(row(1).record()),))
    db.execute("INSERT INTO saved VALUES ('x', ?, NULL, NULL)", (AT.isoformat(),))
    db.commit()
    db.close()
    cache = Cache(path, owner="x")
    assert cache.queue() is None  # read from Syncro again
    cache.save_queue(changed=[row(2)], removed=[], watermark=AT, at=AT, replace=True)
    assert [t.id for t in Cache(path, owner="x").queue().tickets] == [2]  # type: ignore[union-attr]


def test_a_cache_with_garbage_pages_is_set_aside_when_read_so_the_next_start_works(tmp_path) -> None:
    path = tmp_path / "cache.sqlite"
    cache = Cache(path, owner="x")
    long = [QueueRow.of(summary(n).model_copy(update={"subject": "S" * 3000})) for n in range(1, 100)]
    cache.save_queue(changed=long, removed=[], watermark=AT, at=AT, replace=True)
    cache._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    cache.close()
    data = bytearray(path.read_bytes())
    page, pages = 4096, len(data) // 4096
    for n in range(pages // 2, pages - 1):  # the rows' pages: garbage; the schema and the indexes intact
        data[n * page:(n + 1) * page] = bytes(range(256)) * (page // 256)
    path.write_bytes(bytes(data))
    damaged = Cache(path, owner="x")
    assert damaged.damage is None  # it opens: the damage is inside
    assert damaged.queue() is None
    assert damaged.damage and "moved aside" in damaged.damage
    assert [p.name for p in tmp_path.iterdir() if "damaged" in p.name]
    damaged.save_queue(changed=[row(1)], removed=[], watermark=AT, at=AT, replace=True)
    assert [t.id for t in Cache(path, owner="x").queue().tickets] == [1]  # type: ignore[union-attr]
