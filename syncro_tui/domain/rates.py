"""The shop's labor products and rates (docs/rules.md §7).

Every shop has its own product ids and prices; these are the shipped defaults
and the config may replace any of them. Money is Decimal, never float.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import TYPE_CHECKING
from .money import dollars

if TYPE_CHECKING:
    from ..api.models import Product


class LaborType(StrEnum):
    REMOTE = "remote"
    ONSITE = "onsite"
    IN_SHOP = "in_shop"
    EMERGENCY = "emergency"
    WARRANTY = "warranty"
    PROJECT = "project"
    INTERNAL = "internal"
    TRAVEL = "travel"
    WEBSITE = "website"


class BillingPath(StrEnum):
    """How the shop bills labor (``[billing] path``; docs/rules.md §7.2): both are legitimate shop policy."""

    #: A timer, then Syncro's charge makes the line: the hours show in Syncro's time reports.
    TIMER = "timer"
    #: One ``add_line_item`` with every field explicit; a timer only when the tech asks for one.
    LINE_ITEM = "line_item"

    @property
    def words(self) -> str:
        """Which path, and why, as the confirm and ``doctor`` say it."""
        if self is BillingPath.TIMER:
            return ("timer first: the shop's policy ([billing] path = \"timer\"), so the hours show in Syncro's "
                    "time reports; the charge makes the line")
        return ("a line item: the shop's policy ([billing] path = \"line_item\"), labor as one add_line_item with "
                "its product, hours and price explicit, and no timer")


class Unit(StrEnum):
    HOUR = "hour"
    TRIP = "trip"


@dataclass(frozen=True, slots=True)
class Rate:
    """One labor product as the shop sells it."""

    labor_type: LaborType
    product_id: int
    name: str
    price_retail: Decimal
    unit: Unit = Unit.HOUR
    #: Hours on this product are debited from a customer's prepaid block.
    debits_prepaid: bool = True
    #: Only used when the tech asks for it explicitly (never a default choice).
    explicit_only: bool = False


DEFAULT_RATES: tuple[Rate, ...] = (
    Rate(LaborType.REMOTE, 1190473, "Labor - Remote Business", Decimal("150.00")),
    Rate(LaborType.ONSITE, 26118, "Labor - Onsite Business", Decimal("175.00")),
    Rate(LaborType.IN_SHOP, 573881, "Labor - In Shop Business", Decimal("150.00")),
    Rate(LaborType.EMERGENCY, 26184, "Labor - Emergency or After Hours Business", Decimal("262.50")),
    Rate(LaborType.WARRANTY, 1049360, "Labor- Warranty work", Decimal("0.00"), debits_prepaid=False),
    # The project was paid for up front: its hours do not come off the customer's prepaid block (the shop verified
    # it on 2026-05-04; docs/rules.md §13).
    Rate(LaborType.PROJECT, 9269129, "Labor - Prepaid Project Labor", Decimal("0.00"), debits_prepaid=False,
         explicit_only=True),
    Rate(LaborType.INTERNAL, 9269124, "Labor - Internal Labor", Decimal("0.00"), debits_prepaid=False),
    Rate(LaborType.TRAVEL, 26117, "Fee - Travel Time", Decimal("40.00"), unit=Unit.TRIP, debits_prepaid=False),
    Rate(LaborType.WEBSITE, 68055, "Labor - Website Labor", Decimal("150.00")),
)


HUNDREDTH_HOUR = Decimal("0.01")
_INCREMENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(h|hr|hrs|hours?|m|min|mins|minutes?)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Rounding:
    """How the shop turns minutes into billed hours (``[billing] increment`` and ``direction``): one rule, here.

    The increment is in hours and a whole number of hundredths (0.01 h, 6 min = 0.1 h, 15 min = 0.25 h), since
    Syncro's quantities have two decimals; ``up`` bills up to the next increment, otherwise to the nearest.
    """

    increment: Decimal = HUNDREDTH_HOUR
    up: bool = False

    def __post_init__(self) -> None:
        if self.increment <= 0 or (self.increment / HUNDREDTH_HOUR) % 1:
            raise ValueError(f"a billing increment of {self.increment} h is not a whole number of hundredths of an hour")

    @classmethod
    def parse(cls, text: str, direction: str = "nearest") -> Rounding:
        """``"0.01 h"``, ``"6 min"``, ``"15m"``; direction ``nearest`` or ``up``."""
        found = _INCREMENT.match(text or "")
        if not found:
            raise ValueError(f"{text!r} is not an increment: write it as 0.01 h, 6 min or 15 min")
        try:
            amount = Decimal(found.group(1))
        except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
            raise ValueError(f"{text!r} is not an increment") from None
        hours = amount if found.group(2).lower().startswith("h") else amount / 60
        if direction not in ("nearest", "up"):
            raise ValueError(f"direction {direction!r}: write nearest or up")
        if hours <= 0 or (hours / HUNDREDTH_HOUR) % 1:
            raise ValueError(f"an increment of {text.strip()} is not a whole number of hundredths of an hour "
                             "(0.01 h is 36 seconds): use 0.01 h, or 3, 6, 12, 15, 30 or 60 min")
        return cls(hours, up=direction == "up")

    def hours(self, minutes: int) -> Decimal:
        """Minutes as billed hours: 20 min is 0.33 h to the nearest 0.01 h, 0.50 h up to the next 15 min.
        Work that was done is never rounded away: at least one increment."""
        return (max(self._steps(minutes), Decimal(1)) * self.increment).quantize(HUNDREDTH_HOUR)

    def _steps(self, minutes: int) -> Decimal:
        """Whole increments in the minutes, rounded the shop's way (0 for work under half an increment)."""
        rounding = ROUND_CEILING if self.up else ROUND_HALF_UP
        return (Decimal(minutes) / 60 / self.increment).to_integral_value(rounding=rounding)

    @property
    def words(self) -> str:
        """ "to the nearest 0.01 h", "up to the next 15 min"."""
        minutes = self.increment * 60
        step = (f"{minutes.normalize():f} min" if minutes == minutes.to_integral_value() and self.increment != HUNDREDTH_HOUR
                else f"{self.increment.normalize():f} h")
        return f"up to the next {step}" if self.up else f"to the nearest {step}"

    def reason(self, minutes: int) -> str:
        """ "20 min → 0.33 h: the shop bills to the nearest 0.01 h." """
        h, m = divmod(minutes, 60)
        said = f"{h} h {m:02d} min" if h else f"{m} min"
        least = ", and never less than one increment" if self._steps(minutes) < 1 else ""
        return f"{said} → {self.hours(minutes)} h: the shop bills {self.words}{least}."


@dataclass(frozen=True, slots=True)
class RateTable:
    """The shop's billing policy in force: the rate table (look up by labor type or by product id), how minutes
    become hours, and the path labor is billed by."""

    rates: tuple[Rate, ...] = DEFAULT_RATES
    rounding: Rounding = Rounding()
    path: BillingPath = BillingPath.TIMER

    def __post_init__(self) -> None:
        types = [r.labor_type for r in self.rates]
        ids = [r.product_id for r in self.rates]
        if len(set(types)) != len(types):
            raise ValueError("each labor type may appear only once in the rate table")
        if len(set(ids)) != len(ids):
            raise ValueError("each product id may appear only once in the rate table")

    def for_type(self, labor_type: LaborType | str) -> Rate:
        lt = LaborType(labor_type)
        for rate in self.rates:
            if rate.labor_type is lt:
                return rate
        raise KeyError(f"no product is configured for labor type {lt.value!r}")

    def for_product(self, product_id: int) -> Rate | None:
        for rate in self.rates:
            if rate.product_id == product_id:
                return rate
        return None

    def is_labor_product(self, product_id: int) -> bool:
        return self.for_product(product_id) is not None

    @property
    def by_line(self) -> bool:
        """Labor is billed as a line item (no timer) under the shop's policy."""
        return self.path is BillingPath.LINE_ITEM

    def policy_lines(self) -> list[str]:
        """The policy in words, as ``doctor`` prints it: the path, the rounding, which products debit a block."""
        debit = [r.name for r in self.rates if r.debits_prepaid]
        exempt = [r.name for r in self.rates if not r.debits_prepaid and r.unit is Unit.HOUR]
        return [f"Labor is billed as {self.path.words}.",
                f"Minutes become hours {self.rounding.words}.",
                "Prepaid blocks are debited by: " + (", ".join(debit) or "no product") + ".",
                "Not debited from a block: " + (", ".join(exempt) or "none") + "."]


def differences(rates: RateTable, products: dict[int, Product | None]) -> list[str]:
    """Where the rate table and Syncro's products (``GET /products/{id}``, None when missing) disagree.

    The rate table is what the app sends (Syncro does not fill prices in through
    the API); a difference is shown so the shop can decide which one is wrong.
    """
    out = []
    for rate in rates.rates:
        if rate.product_id not in products:
            continue
        product = products[rate.product_id]
        if product is None:
            out.append(f"{rate.labor_type.value}: product {rate.product_id} ({rate.name}) is not in Syncro.")
            continue
        if product.price_retail != rate.price_retail:
            out.append(f"{rate.labor_type.value}: Syncro's {product.name} ({product.id}) is ${product.price_retail:.2f}; "
                       f"the rate table says {dollars(rate.price_retail)}, which is what the app sends.")
        if product.disabled:
            out.append(f"{rate.labor_type.value}: {product.name} ({product.id}) is disabled in Syncro.")
    return out
