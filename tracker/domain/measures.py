"""What a problem's plan counts: a measure before and after its response, an amount of money or a measured number,
and the plan's progress from its commitments' statuses."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from tracker.domain.errors import InvalidValue
from tracker.domain.events import Sealed
from tracker.domain.values import AnalysisSource, CommitmentStatus


@dataclass(frozen=True)
class Measure:
    """A number before and after the response, e.g. reported cases of extortion at school No. 3: 7 in 2014, 1 in
    2015 (police data). `what` is sealed text; the numbers, periods and source are plain."""

    what: Sealed
    before: Decimal
    after: Decimal
    before_period: str
    after_period: str
    source: AnalysisSource

    def as_fields(self) -> dict[str, str]:
        return {
            "what": self.what,
            "before": str(self.before),
            "after": str(self.after),
            "before_period": self.before_period,
            "after_period": self.after_period,
            "source": self.source.value,
        }


def amount_of(value: object, field: str = "amount") -> Decimal:
    """An amount of money or a measured number: a finite decimal, not negative, at most two decimal places."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidValue(field, f"{value!r} is not a number") from None
    if not amount.is_finite() or amount < 0:
        raise InvalidValue(field, f"{value!r} must be a number of 0 or more")
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidValue(field, f"{value!r} has more than two decimal places")
    return amount


def progress_of(items: list[tuple[int, CommitmentStatus]]) -> Fraction | None:
    """A plan's progress from its commitments, each (weight, status): kept counts 1, partly kept 1/2, the others 0;
    withdrawn ones are left out. None when nothing counts."""
    counted = [(weight, status) for weight, status in items if status is not CommitmentStatus.WITHDRAWN]
    total = sum(weight for weight, _ in counted)
    if not total:
        return None
    score = {CommitmentStatus.KEPT: Fraction(1), CommitmentStatus.PARTLY_KEPT: Fraction(1, 2)}
    return sum((weight * score.get(status, Fraction(0)) for weight, status in counted), Fraction(0)) / total
