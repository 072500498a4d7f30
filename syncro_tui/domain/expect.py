"""What a billing run's check steps expect to read back (docs/rules.md §8), as typed values.

A check step carries its expectation as plain data, which the journal keeps
(``record``), and the check reads it back typed (``of``): a key misspelt on
either side is a TypeError or a refusal to guess, never a silent ``None``.
Ids a later call returns are ``Ref``s until the write path puts them in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from ..api.call import Ref


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None


def _record(value: object, order: tuple[str, ...], *, keep_none: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The fields said, in ``order`` (how the confirm shows them); a None is left out unless it means something
    (``keep_none``)."""
    out = {}
    for name in order:
        item = getattr(value, name)
        if item is not None or name in keep_none:
            out[name] = list(item) if isinstance(item, tuple) else item
    return out


def _unknown(cls: type, data: Mapping[str, Any]) -> None:
    extra = set(data) - {f.name for f in fields(cls)}
    if extra:
        raise ValueError(f"the check names what it does not know: {', '.join(sorted(extra))}")


@dataclass(frozen=True)
class LineExpectation:
    """The line a run makes (a charged timer's, or a line item), and how it is found again: the timer's link where
    Syncro gives one (``timer_id``), else the one new line of the product since ``lines_before``. Groups journaled
    by earlier versions name the line itself (``line_item_id``)."""

    product_id: int | None
    quantity: Decimal
    price_retail: Decimal
    #: The quantity the charge itself makes (a trip: the timer's hours; a timer Syncro charged when it stopped),
    #: which the run then sets to ``quantity``. None: the charge makes the quantity billed.
    charged_quantity: Decimal | None = None
    timer_id: int | Ref | None = None
    lines_before: tuple[int, ...] | None = None
    line_item_id: int | Ref | None = None

    def record(self) -> dict[str, Any]:
        return _record(self, ("timer_id", "lines_before", "line_item_id", "product_id", "quantity", "price_retail",
                              "charged_quantity"))

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> LineExpectation:
        """As a check step carries it; ValueError when it names no price or quantity (a plan always names both: a
        journal that does not is not guessed at) or names what a line check does not know."""
        _unknown(cls, data)
        quantity, price = _decimal(data.get("quantity")), _decimal(data.get("price_retail"))
        if quantity is None or price is None:
            raise ValueError("the check names no price or quantity to compare with")
        before = data.get("lines_before")
        return cls(product_id=data.get("product_id"), quantity=quantity, price_retail=price,
                   charged_quantity=_decimal(data.get("charged_quantity")), timer_id=data.get("timer_id"),
                   lines_before=tuple(before) if before is not None else None, line_item_id=data.get("line_item_id"))


@dataclass(frozen=True)
class InvoiceExpectation:
    """The invoice a run makes: how many lines it pulls and its subtotal; its total too when no line is taxable
    (otherwise the tax is Syncro's to work out: ``total`` None). The run's labor line, when it bills time, must be
    on it at its price (``product_id``, ``quantity``, ``price_retail``)."""

    subtotal: Decimal
    total: Decimal | None
    lines: int | None = None
    product_id: int | None = None
    quantity: Decimal | None = None
    price_retail: Decimal | None = None

    @property
    def amount(self) -> Decimal:
        """What the confirm says the invoice comes to: the total, or the subtotal before tax."""
        return self.total if self.total is not None else self.subtotal

    def record(self) -> dict[str, Any]:
        return _record(self, ("product_id", "quantity", "price_retail", "lines", "subtotal", "total"),
                       keep_none=frozenset({"total"}))

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> InvoiceExpectation:
        """As a check step carries it (a billing run's, or a draft's fix: subtotal and total only); ValueError
        when it names no subtotal, or what an invoice check does not know. A labor line's fields are those of the
        run's line check (``charged_quantity``, ``timer_id``, ``lines_before``, ``line_item_id`` are its own)."""
        line_only = {"charged_quantity", "timer_id", "lines_before", "line_item_id"}
        _unknown(cls, {k: v for k, v in data.items() if k not in line_only})
        subtotal = _decimal(data.get("subtotal"))
        if subtotal is None:
            raise ValueError("the check names no subtotal to compare with")
        lines = data.get("lines")
        return cls(subtotal=subtotal, total=_decimal(data.get("total")), lines=int(lines) if lines is not None else None,
                   product_id=data.get("product_id"), quantity=_decimal(data.get("quantity")),
                   price_retail=_decimal(data.get("price_retail")))
