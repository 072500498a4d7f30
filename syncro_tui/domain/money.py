"""Money as the app shows and computes it: Decimal, to the cent, always with its cents ($112.50, never $112.5)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

HUNDREDTH = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    """To the cent, half up (as invoices round)."""
    return value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def dollars(value: Decimal | int | str) -> str:
    """ "$1,262.50", "-$5.00": what a tech reads, whatever shape Syncro sent the amount in ("262.5", 262)."""
    amount = money(Decimal(value))
    return f"-${-amount:,.2f}" if amount < 0 else f"${amount:,.2f}"
