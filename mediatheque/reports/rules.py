"""Pure rules of the overdue follow-up: days late, notice level reached, days-late bands."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

# Days-late bands of the director's workbook: (first day, last day or None = and more).
LATE_BANDS: tuple[tuple[int, int | None], ...] = (
    (1, 7), (8, 14), (15, 30), (31, 60), (61, 90), (91, None),
)


def days_late(due_on: date, today: date) -> int:
    """Whole days after the due date; 0 when not late (due today or later)."""
    return max(0, (today - due_on).days)


def level_reached(late: int, delays: Sequence[int]) -> int:
    """The highest notice level whose delay has passed (0 = none yet). `delays` ascending."""
    level = 0
    for index, delay in enumerate(delays, start=1):
        if late >= delay:
            level = index
    return level


def level_to_send(reached: int, already_sent: int) -> int:
    """The notice to send now: the level reached, if a notice of that level (or a higher
    one) has not been sent yet; 0 = nothing to send. A loan far late gets the notice of
    its level directly, not the earlier ones in a row."""
    return reached if reached > already_sent else 0


def late_band(late: int) -> int:
    """Index in LATE_BANDS of a number of days late (≥ 1)."""
    for index, (low, high) in enumerate(LATE_BANDS):
        if late >= low and (high is None or late <= high):
            return index
    raise ValueError(late)
