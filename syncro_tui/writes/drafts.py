"""Unsent drafts on disk (issue 31): what the tech typed in the billing wizard, a comment or a new ticket, kept per
profile in ``drafts-<profile>.json``, so a crash, a kill or a closed terminal loses none of it.

Each window writes its own drafts into the file under a lock (``host.lock_for``) and leaves the other windows'
records as they are; a draft that was sent (or emptied) is taken out. At the next start the app offers every
draft it finds back, saying which and with what visibility, never silently. A record that cannot be read is
left out and the file as it was is kept beside it; the others come back.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, fields
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from collections.abc import Callable
from typing import Any

from ..domain.account import Drafts
from ..domain.billing_form import BillingForm, ItemForm
from ..domain.comment import CommentForm
from ..domain.new_ticket import NewTicketForm
from ..files import write_private
from ..host import lock_for

Key = tuple[str, str]  # ("billing" | "comment" | "new_ticket", ticket id or "")


def entries(drafts: Drafts) -> dict[Key, dict[str, Any]]:
    """The drafts worth keeping (something typed), as records."""
    out: dict[Key, dict[str, Any]] = {}
    for ticket_id, form in drafts.billing.items():
        if form.minutes.strip() or form.description.strip() or form.comment.strip() or form.items:
            out[("billing", str(ticket_id))] = _record(form)
    for ticket_id, comment in drafts.comments.items():
        if comment.text.strip() or comment.subject.strip():
            out[("comment", str(ticket_id))] = _record(comment)
    new = drafts.new_ticket
    if new is not None and (new.subject.strip() or new.description.strip() or new.customer_text.strip()):
        out[("new_ticket", "")] = _record(new)
    return out


def _record(form: Any) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, set):
            return sorted(value)
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value
    return {key: plain(value) for key, value in asdict(form).items()}


def _form(kind: str, data: dict[str, Any]) -> Any:
    """A form from its record; ValueError, KeyError or TypeError when it is not one."""
    if kind == "billing":
        known = {f.name for f in fields(BillingForm)}
        values = {k: v for k, v in data.items() if k in known}
        values["ticked"] = set(values.get("ticked", []))
        values["charge_timers"] = {int(t) for t in values.get("charge_timers", [])}
        values["items"] = [ItemForm(int(i["product_id"]), str(i["name"]), str(i["description"]),
                                    Decimal(str(i["price_retail"])), Decimal(str(i["quantity"])), bool(i["taxable"]))
                           for i in values.get("items", [])]
        form: Any = BillingForm(**values)
        if not isinstance(form.minutes, str) or not isinstance(form.comment, str):
            raise TypeError("a billing draft's text is not text")
        return form
    kinds = {"comment": CommentForm, "new_ticket": NewTicketForm}
    cls = kinds[kind]
    known = {f.name for f in fields(cls)}
    form = cls(**{k: v for k, v in data.items() if k in known})
    if not all(isinstance(getattr(form, name), str) for name in ("subject",)):
        raise TypeError("a draft's subject is not text")
    return form


class DraftStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        #: What happened to a damaged file or record (None: nothing to say).
        self.damage: str | None = None
        self._mine: set[Key] = set()

    @classmethod
    def for_profile(cls, data_dir: Path, profile: str) -> DraftStore:
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", profile) or "default"
        return cls(data_dir / f"drafts-{safe}.json")

    def _read(self) -> dict[Key, dict[str, Any]]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            self.damage = f"The unsent drafts could not be read ({exc.strerror or exc})."
            return {}
        try:
            items = json.loads(raw.decode("utf-8"))["drafts"]
            return {(str(i["kind"]), str(i["key"])): dict(i["form"]) for i in items}
        except (ValueError, KeyError, TypeError) as exc:
            aside = self._keep_aside()
            self.damage = f"The unsent drafts file was damaged ({type(exc).__name__}); it is kept at {aside}."
            return {}

    def _keep_aside(self) -> Path:
        aside = self.path.with_name(f"{self.path.name}.damaged-{datetime.now():%Y%m%d-%H%M%S}")
        try:
            aside.write_bytes(self.path.read_bytes())
        except OSError:
            return self.path
        return aside

    def _write(self, records: dict[Key, dict[str, Any]]) -> None:
        body = {"drafts": [{"kind": kind, "key": key, "form": form} for (kind, key), form in sorted(records.items())]}
        write_private(self.path, json.dumps(body, indent=1, ensure_ascii=False), durable=False)

    def restore(self, into: Drafts, name: Callable[[int], str] = lambda ticket_id: f"ticket {ticket_id}",
                ) -> list[str]:
        """Put every draft on disk into ``into`` (they become this window's); what came back, in words (``name``:
        a ticket as the tech knows it, by its id)."""
        with lock_for(self.path):
            records = self._read()
        said: list[str] = []
        bad = 0
        for (kind, key), data in records.items():
            try:
                form = _form(kind, data)
                if kind == "billing":
                    into.billing[int(key)] = form
                elif kind == "comment":
                    into.comments[int(key)] = form
                else:
                    into.new_ticket = form
            except (ValueError, KeyError, TypeError):
                bad += 1
                continue
            self._mine.add((kind, key))
            said.append(restored_words(kind, name(int(key)) if key else "", form))
        if bad:
            self.damage = (f"{bad} unsent draft{'s' if bad != 1 else ''} could not be read and "
                           f"{'were' if bad != 1 else 'was'} left out; the file as it was is kept at {self._keep_aside()}.")
        return said

    def keep(self, drafts: Drafts) -> None:
        """Write this window's drafts as they are now; the other windows' records stay as they are."""
        mine = entries(drafts)
        with lock_for(self.path):
            records = {k: v for k, v in self._read().items() if k not in self._mine}
            records.update(mine)
            if records or self.path.exists():
                self._write(records)
        self._mine = set(mine)


def restored_words(kind: str, ticket: str, form: Any) -> str:
    from ..domain.comment import Visibility

    if kind == "billing":
        comment = f"; its comment a {Visibility(form.visibility).label}" if form.comment.strip() else ""
        return f"the billing of {ticket} ({form.minutes or '?'} min{comment})"
    if kind == "comment":
        return f"a comment on {ticket}, set to {Visibility(form.visibility).label}"
    return "the new ticket" + (f" “{form.subject}”" if form.subject else "")
