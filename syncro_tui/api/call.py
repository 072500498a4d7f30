"""A Syncro call as a value: method, path, query, JSON body and how its answer is read, with ``Ref`` for an id
an earlier call of the same group returns.

A request is built by ``api/requests.py``, shown to the tech (the confirm screen renders ``body_json()``), and
sent by the client as those very bytes: what is previewed is what is sent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, Generic, TypeVar

from .errors import SentRequest

T = TypeVar("T")


@dataclass(frozen=True)
class Ref:
    """An id that an earlier call of the same group will return: ``Ref(0)`` is the id of call 1's record.

    A multi-call operation is planned (and confirmed) before its first call is
    sent, so later calls name the ids they need this way. ``resolve`` puts the
    real values in once they are known. In the journal a Ref is the token
    ``$ref:STEP.FIELD``; on the confirm screen it reads ``<id from call N>``.
    """

    step: int
    field: str = "id"

    PREFIX: ClassVar[str] = "$ref:"

    def __str__(self) -> str:
        return f"{self.PREFIX}{self.step}.{self.field}"

    @property
    def label(self) -> str:
        return f"<{self.field} from call {self.step + 1}>"

    @classmethod
    def parse(cls, text: str) -> Ref | None:
        match = _REF.fullmatch(text)
        return cls(int(match.group(1)), match.group(2)) if match else None


_REF = re.compile(r"\$ref:(\d+)\.(\w+)")
_REF_IN_TEXT = re.compile(r"\$ref:\d+\.\w+")


Id = int | Ref


def record_id(value: Id) -> Id:
    """A record id for a path or body: an int (never text that could change the path), or a Ref."""
    return value if isinstance(value, Ref) else int(value)


def jsonable(value: Any) -> Any:
    if isinstance(value, Ref):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("timestamps sent to Syncro must be timezone-aware")
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def clean_body(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON body: blank fields omitted (never sent as null), Decimal and datetimes as strings."""
    return {k: jsonable(v) for k, v in fields.items() if v is not None and v != ""}


@dataclass(frozen=True)
class ApiRequest(Generic[T]):
    call: str
    method: str
    path: str
    parse: Callable[[Any], T] = field(repr=False, compare=False)
    params: Mapping[str, Any] = field(default_factory=dict)
    body: Mapping[str, Any] | None = None
    #: The Syncro permission the call needs (from the spec), for error messages.
    permission: str | None = None
    #: A *check* step of a group (``check_*`` calls): what reading ``path`` back must find.
    #: The write path reads and compares; the expectation itself is never sent.
    expect: Mapping[str, Any] | None = None
    #: A conditional step: sent only when this field of an earlier step's result is true.
    only_if: Ref | None = None
    #: For a create: the ids of the records that already existed and could look like it (the ticket's comments,
    #: timers, lines or invoices, the customer's tickets, that day's appointments), taken before it is sent.
    #: After a doubtful answer only a record not among them can be this write's. Never sent.
    before: tuple[int, ...] | None = None

    @property
    def is_write(self) -> bool:
        return self.method in ("POST", "PUT", "PATCH", "DELETE")

    @property
    def is_check(self) -> bool:
        return self.expect is not None

    @property
    def read(self) -> ApiRequest[T]:
        """A check step as the plain GET it makes."""
        return replace(self, expect=None)

    def body_json(self) -> str:
        """The exact body that is sent (and shown before sending); a Ref shows as ``<id from call N>``."""
        if self.body is None:
            return ""
        return json.dumps(self.body, indent=2, ensure_ascii=False, sort_keys=False, default=_ref_label)

    def preview(self) -> dict[str, Any]:
        """The call as the confirm screen and ``bill --plan --json`` show it (ids to come as labels)."""
        out: dict[str, Any] = {"call": self.call, "method": self.method, "path": self.display_path}
        if self.body is not None:
            out["body"] = json.loads(self.body_json())
        if self.expect is not None:
            out["expect"] = json.loads(json.dumps(self.expect, default=_ref_label))
        if self.only_if is not None:
            out["only_if"] = self.only_if.label
        return out

    @property
    def display_path(self) -> str:
        return _REF_IN_TEXT.sub(lambda m: Ref.parse(m.group(0)).label, self.path)  # type: ignore[union-attr]

    @property
    def refs(self) -> tuple[Ref, ...]:
        """The ids from earlier calls this request still waits for."""
        found = [Ref.parse(m.group(0)) for m in _REF_IN_TEXT.finditer(self.path)]
        found += _refs_in(self.body) + _refs_in(self.expect)
        return tuple(r for r in found if r is not None)

    @property
    def depends_on(self) -> tuple[Ref, ...]:
        """Every earlier result this step needs, its condition included."""
        return self.refs + ((self.only_if,) if self.only_if else ())

    def resolve(self, results: Sequence[Mapping[str, Any] | None]) -> ApiRequest[T]:
        """This request with every Ref replaced by the value the earlier call returned (``results[step]``)."""
        if not self.refs:
            return self

        def value(ref: Ref) -> Any:
            record = results[ref.step] if ref.step < len(results) else None
            if not record or record.get(ref.field) is None:
                raise ValueError(f"{self.call} needs the {ref.field} from call {ref.step + 1}, which has not returned it")
            return record[ref.field]

        path = _REF_IN_TEXT.sub(lambda m: str(int(value(Ref.parse(m.group(0))))), self.path)  # type: ignore[arg-type]
        return replace(self, path=path, body=_swap(self.body, value), expect=_swap(self.expect, value))

    def sent(self) -> SentRequest:
        return SentRequest(self.call, self.method, self.path, dict(self.params), dict(self.body) if self.body is not None else None)


def _ref_label(value: Any) -> Any:
    if isinstance(value, Ref):
        return value.label
    raise TypeError(f"{type(value).__name__} is not JSON")


def _refs_in(value: Any) -> list[Ref]:
    if isinstance(value, Ref):
        return [value]
    if isinstance(value, Mapping):
        return [r for v in value.values() for r in _refs_in(v)]
    if isinstance(value, list | tuple):
        return [r for v in value for r in _refs_in(v)]
    return []


def _swap(value: Any, resolve: Callable[[Ref], Any]) -> Any:
    if isinstance(value, Ref):
        return resolve(value)
    if isinstance(value, Mapping):
        return {k: _swap(v, resolve) for k, v in value.items()}
    if isinstance(value, list):
        return [_swap(v, resolve) for v in value]
    return value


def from_journal(value: Any) -> Any:
    """Journal JSON back to a body: ``$ref:`` tokens become Refs again."""
    if isinstance(value, str):
        return Ref.parse(value) or value
    if isinstance(value, dict):
        return {k: from_journal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_journal(v) for v in value]
    return value


def query_params(**values: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in values.items():
        if v is None or v == "":
            continue
        out[k] = ("true" if v else "false") if isinstance(v, bool) else jsonable(v)
    return out
