"""Prednisone-equivalent conversion from the protocol's glucocorticoid equivalence table."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from desktop_app.rules.protocol import Protocol

PREDNISONE_REFERENCE_MG = Decimal(5)


def prednisone_equivalent(protocol: Protocol, drug: str, dose_mg: Decimal) -> Decimal:
    """mg/day of prednisone equal to `dose_mg` of `drug` (table lists the dose equal to 5 mg)."""
    entry = protocol.glucocorticoid(drug)
    if entry is None:
        raise KeyError(drug)
    return (dose_mg * PREDNISONE_REFERENCE_MG / entry.equivalent_mg).normalize()


def for_people(value: Decimal) -> str:
    """A computed value as a person reads it: at most two decimals, no trailing zeros (10.07 for
    10.0666..., 2 for 2.00). Only for showing: every comparison uses the exact value."""
    return format_mg(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def format_mg(value: Decimal) -> str:
    """A dose without exponent notation or trailing zeros: 10, 7.5, 0.75."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
