"""The demo's calendar: the year of loans ending today, open days, opening hours, instants.

Days are handled as integers (index 0 is `today - 365 days`) and instants as POSIX seconds,
so that a million loans are laid out without creating a datetime per step; aware UTC
datetimes are made only for the rows written.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WINDOW_DAYS = 365
HORIZON_DAYS = 400  # due dates may fall after today
OPENING = time(10, 0)
OPEN_SECONDS = 9 * 3600  # 10:00-19:00 local time
MARGIN_SECONDS = 60


class Timeline:
    def __init__(
        self,
        *,
        today: date,
        now: datetime,
        zone: ZoneInfo,
        closed_weekdays: set[int],
        closures: list[tuple[date, date]],
        horizon_days: int = HORIZON_DAYS,
    ) -> None:
        self.today = today
        self.now = now.astimezone(UTC)
        self.now_ts = int(self.now.timestamp())
        self.zone = zone
        self.base = today.toordinal() - WINDOW_DAYS
        self.today_index = WINDOW_DAYS
        size = WINDOW_DAYS + max(HORIZON_DAYS, horizon_days)
        closed_days: set[int] = set()
        for start, end in closures:
            for ordinal in range(start.toordinal(), end.toordinal() + 1):
                closed_days.add(ordinal - self.base)
        self.dates = [date.fromordinal(self.base + i) for i in range(size)]
        self.is_open = [
            self.dates[i].weekday() not in closed_weekdays and i not in closed_days
            for i in range(size)
        ]
        self.is_open[-1] = True  # a sentinel, so that next_open never runs off the end
        self.next_open = [0] * size
        following = size - 1
        for i in range(size - 1, -1, -1):
            if self.is_open[i]:
                following = i
            self.next_open[i] = following
        self.prev_open = [-1] * size
        preceding = -1
        for i in range(size):
            if self.is_open[i]:
                preceding = i
            self.prev_open[i] = preceding
        self.opening = [
            int(datetime.combine(self.dates[i], OPENING, zone).timestamp())
            for i in range(self.today_index + 1)
        ]
        # The last day on which something can have happened before `now`: open, and opened
        # at least half an hour ago.
        self.end = -1
        for i in range(self.today_index, -1, -1):
            if self.is_open[i] and self.opening[i] + 1800 <= self.now_ts - MARGIN_SECONDS:
                self.end = i
                break
        self.span = [OPEN_SECONDS] * (self.today_index + 1)
        if self.end >= 0:
            self.span[self.end] = min(
                OPEN_SECONDS, self.now_ts - MARGIN_SECONDS - self.opening[self.end]
            )

    def index(self, day: date) -> int:
        return day.toordinal() - self.base

    def moment(self, rng: random.Random, i: int) -> int:
        """POSIX seconds of a random moment in the opening hours of day `i` (≤ end)."""
        return self.opening[i] + rng.randrange(self.span[i])

    def later_moment(self, rng: random.Random, i: int, after: int) -> int:
        """A random moment of day `i` strictly after the instant `after` (same day)."""
        low = max(self.opening[i], after + 1)
        high = self.opening[i] + self.span[i]
        return low if high <= low else rng.randrange(low, high)

    def past_instant(self, rng: random.Random, day: date) -> datetime:
        """A working-hours instant of any past day (catalogue, members), never after now."""
        local = datetime.combine(day, time(9, 0), self.zone) + timedelta(
            seconds=rng.randrange(OPEN_SECONDS)
        )
        return min(local.astimezone(UTC), self.now - timedelta(seconds=MARGIN_SECONDS))


def utc(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
