"""Twelve months of loans ending today, laid out copy by copy, and a few holds.

Each lendable copy gets a number of loans drawn from a skewed popularity (capped by what a
year can hold); its loans are then placed one after the other along the year with random
gaps, so that a copy never has two loans at once: every loan starts on an open day after
the previous one came back, is due `loan_days` later (moved to the next open day), may be
renewed, and is returned on an open day; the last loan of some copies is still open, some
of them overdue. Days are integers and instants POSIX seconds until the rows are written.
"""

from __future__ import annotations

import random
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate

from mediatheque.demo.catalogue import RecordFacts, Row
from mediatheque.demo.copies import CopyFacts
from mediatheque.demo.members import MemberFacts
from mediatheque.demo.timeline import Timeline, utc
from mediatheque.models.vocabulary import HoldStatus

RESERVE_DAYS = 2  # room kept per loan for the moves to open days
RENEWAL_SHARE = 0.15
LATE_SHARE = 0.13
OVERDUE_SHARE = 0.25  # of the loans still open
MAX_OPEN_SHARE = 0.85
MEMBER_ATTEMPTS = 6


@dataclass
class LoanLog:
    """The loans laid out, column by column (compact: a million loans fit in little memory)."""

    loaned: array[int] = field(default_factory=lambda: array("q"))
    copy: array[int] = field(default_factory=lambda: array("q"))
    member: array[int] = field(default_factory=lambda: array("q"))
    due: array[int] = field(default_factory=lambda: array("q"))  # day index
    returned: array[int] = field(default_factory=lambda: array("q"))  # -1 while open
    renewal_first: array[int] = field(default_factory=lambda: array("q"))
    renewal_count: array[int] = field(default_factory=lambda: array("q"))
    renewed: array[int] = field(default_factory=lambda: array("q"))
    renewal_previous_due: array[int] = field(default_factory=lambda: array("q"))
    renewal_new_due: array[int] = field(default_factory=lambda: array("q"))
    open_member: dict[int, int] = field(default_factory=dict)  # copy → member

    def __len__(self) -> int:
        return len(self.loaned)


class LoanLayout:
    def __init__(
        self,
        rng: random.Random,
        timeline: Timeline,
        copies: CopyFacts,
        members: MemberFacts,
        *,
        loan_days: int,
        max_renewals: int,
        check: Callable[[], None],
    ) -> None:
        self.rng = rng
        self.timeline = timeline
        self.copies = copies
        self.members = members
        self.loan_days = max(1, loan_days)
        self.max_renewals = max_renewals if self.loan_days >= 2 else 0
        self.check = check
        self.log = LoanLog()
        self.member_cumulative = list(accumulate(members.weight))
        self.last_index = len(timeline.next_open) - 1
        sample = [self._plan()[0] for _ in range(500)]
        self.mean_days = sum(sample) / len(sample) + 1
        self.mean_block = self.mean_days + RESERVE_DAYS

    def run(self, wanted: int) -> LoanLog:
        timeline, copies = self.timeline, self.copies
        if timeline.end < 0 or wanted <= 0 or not self.member_cumulative:
            return self.log
        starts = [max(0, timeline.index(day)) for day in copies.acquired]
        caps = [
            int((timeline.end - start + 1) / self.mean_block) if lendable else 0
            for start, lendable in zip(starts, copies.lendable, strict=True)
        ]
        # A copy bought during the year is lent at the same pace, so for a shorter time.
        days = timeline.end + 1
        weights = [
            weight * (days - start) / days if cap else 0.0
            for weight, cap, start in zip(copies.weight, caps, starts, strict=True)
        ]
        targets = distribute(self.rng, weights, caps, wanted)
        owed = 0
        for index, target in enumerate(targets):
            if index % 5000 == 0:
                self.check()
            want = target + owed
            if want:
                owed = want - self._copy(index, min(want, caps[index]), starts[index])
        return self.log

    def _plan(self) -> tuple[int, tuple[int, ...]]:
        """Days kept and renewal offsets of one loan, relative to the day it is lent."""
        random_, days = self.rng.random, self.loan_days
        renewals: tuple[int, ...] = ()
        if self.max_renewals and random_() < RENEWAL_SHARE:
            first = 2 + int(random_() * (days - 1))
            renewals = (first,)
            if self.max_renewals > 1 and random_() < 0.3:
                renewals = (first, first + 2 + int(random_() * (days - 1)))
        base = renewals[-1] if renewals else 0
        due = base + days
        if random_() >= LATE_SHARE:  # on time, most often close to the due date
            kept = base + 1 + int((due - base) * (1 - random_() * random_()))
            return min(kept, due), renewals
        return due + 1 + int(self.rng.expovariate(1 / 12)), renewals

    def _copy(self, copy: int, count: int, start: int) -> int:
        """Lays out up to `count` loans of one copy; returns how many were placed."""
        timeline, rng = self.timeline, self.rng
        end = timeline.end
        if count <= 0 or start > end:
            return 0
        plans = [self._plan() for _ in range(count)]
        open_day = -1
        if rng.random() < min(MAX_OPEN_SHARE, count * self.mean_days / (end - start + 1)):
            days = self.loan_days
            overdue = rng.random() < OVERDUE_SHARE
            age = days + 3 + int(rng.random() * 90) if overdue else int(rng.random() * days)
            if end - age >= start and timeline.prev_open[end - age] >= start:
                open_day = timeline.prev_open[end - age]
                plans.pop()
        limit = open_day - 1 if open_day >= 0 else end
        blocks = [kept + 1 + RESERVE_DAYS for kept, _ in plans]
        room = limit - start + 1
        used = sum(blocks)
        while plans and used > room:
            used -= blocks.pop()
            plans.pop()
        slack = max(0, room - used)
        cuts = sorted(int(rng.random() * (slack + 1)) for _ in plans)
        placed, planned, previous_cut, previous_return = 0, start, 0, start - 1
        for (kept, renewals), block, cut in zip(plans, blocks, cuts, strict=True):
            planned += cut - previous_cut
            previous_cut = cut
            day = timeline.next_open[max(planned, previous_return + 1)]
            if day > limit:
                break
            returned = self._closed(copy, day, kept, renewals, limit)
            if returned < 0:
                break
            placed += 1
            previous_return = returned
            planned += block
        if open_day >= 0:
            self._open(copy, open_day)
            placed += 1
        return placed

    def _closed(self, copy: int, day: int, kept: int, offsets: tuple[int, ...],
                limit: int) -> int:
        following = self.timeline.next_open
        due = following[day + self.loan_days]
        renewals: list[tuple[int, int, int]] = []
        last = day
        for offset in offsets:
            renewed = following[day + offset]
            if renewed <= last or renewed > due or renewed > limit:
                break
            new_due = following[renewed + self.loan_days]
            if new_due <= due:
                break
            renewals.append((renewed, due, new_due))
            due, last = new_due, renewed
        back = following[min(max(day + kept, last + 1), self.last_index)]
        if back > limit:
            return -1
        self._record(copy, day, due, back, renewals)
        return back

    def _open(self, copy: int, day: int) -> None:
        timeline, rng = self.timeline, self.rng
        due = timeline.next_open[day + self.loan_days]
        renewals: list[tuple[int, int, int]] = []
        if self.max_renewals and day < timeline.end and rng.random() < RENEWAL_SHARE:
            renewed = timeline.next_open[day + 1 + int(rng.random() * self.loan_days)]
            if renewed <= min(due, timeline.end):
                new_due = timeline.next_open[renewed + self.loan_days]
                renewals.append((renewed, due, new_due))
                due = new_due
        member = self._record(copy, day, due, -1, renewals)
        self.log.open_member[copy] = member

    def _record(self, copy: int, day: int, due: int, back: int,
                renewals: list[tuple[int, int, int]]) -> int:
        timeline, log, random_ = self.timeline, self.log, self.rng.random
        member = self._member(day)
        log.loaned.append(timeline.opening[day] + int(random_() * timeline.span[day]))
        log.copy.append(copy)
        log.member.append(member)
        log.due.append(due)
        log.returned.append(
            timeline.opening[back] + int(random_() * timeline.span[back]) if back >= 0 else -1
        )
        log.renewal_first.append(len(log.renewed))
        log.renewal_count.append(len(renewals))
        for renewed, previous_due, new_due in renewals:
            log.renewed.append(timeline.opening[renewed] + int(random_() * timeline.span[renewed]))
            log.renewal_previous_due.append(previous_due)
            log.renewal_new_due.append(new_due)
        return member

    def _member(self, day: int) -> int:
        """A member (skewed: some read a lot) whose membership covers the day, if one is
        found in a few draws."""
        cumulative, members, random_ = self.member_cumulative, self.members, self.rng.random
        last = len(cumulative) - 1
        member = 0
        for _ in range(MEMBER_ATTEMPTS):
            member = min(bisect_right(cumulative, random_() * cumulative[-1]), last)
            if members.joined[member] <= day <= members.expiry[member]:
                break
        return member


def distribute(rng: random.Random, weights: list[float], caps: list[int], total: int) -> list[int]:
    """Splits `total` in proportion to `weights`, no share above its cap; as much as fits."""
    counts = [0] * len(weights)
    weight_sum = sum(weights)
    total = min(total, sum(caps))
    if total <= 0 or weight_sum <= 0:
        return counts
    for index, weight in enumerate(weights):
        share = total * weight / weight_sum
        whole = int(share)
        counts[index] = min(caps[index], whole + (rng.random() < share - whole))
    for _ in range(100):
        missing = total - sum(counts)
        if missing == 0:
            break
        if missing > 0:
            room = [i for i, count in enumerate(counts) if count < caps[i] and weights[i] > 0]
            if not room:
                break
            for index in rng.choices(room, weights=[weights[i] for i in room], k=missing):
                counts[index] += counts[index] < caps[index]
        else:
            having = [i for i, count in enumerate(counts) if count > 0]
            for index in rng.choices(having, k=-missing):
                counts[index] -= counts[index] > 0
    return counts


def loan_batches(
    log: LoanLog,
    timeline: Timeline,
    *,
    records: RecordFacts,
    copies: CopyFacts,
    members: MemberFacts,
    first_ids: dict[str, int],
    batch_size: int,
) -> Iterator[tuple[list[Row], list[Row]]]:
    """(loan rows, renewal rows) in batches, loans numbered in the order they were lent."""
    order = sorted(range(len(log)), key=log.loaned.__getitem__)
    dates = timeline.dates
    loan_id, renewal_id = first_ids["loan"], first_ids["renewal"]
    for start in range(0, len(order), batch_size):
        loans: list[Row] = []
        renewals: list[Row] = []
        for position in order[start:start + batch_size]:
            copy, member = log.copy[position], log.member[position]
            record = copies.record[copy]
            loaned = utc(log.loaned[position])
            returned = log.returned[position]
            count = log.renewal_count[position]
            loans.append({
                "id": loan_id,
                "copy_id": first_ids["copy"] + copy,
                "record_id": first_ids["record"] + record,
                "member_id": first_ids["member"] + member,
                "member_category_id": members.category[member],
                "media_type": records.media[record],
                "language": records.language[record],
                "loaned_at": loaned,
                "due_on": dates[log.due[position]],
                "returned_at": utc(returned) if returned >= 0 else None,
                "renewals": count,
                "recorded_at": loaned,
                "staff_id": None,
            })
            first = log.renewal_first[position]
            for event in range(first, first + count):
                renewals.append({
                    "id": renewal_id,
                    "loan_id": loan_id,
                    "renewed_at": utc(log.renewed[event]),
                    "previous_due_on": dates[log.renewal_previous_due[event]],
                    "new_due_on": dates[log.renewal_new_due[event]],
                })
                renewal_id += 1
            loan_id += 1
        yield loans, renewals


def hold_rows(
    rng: random.Random,
    timeline: Timeline,
    log: LoanLog,
    *,
    copies: CopyFacts,
    members: MemberFacts,
    count: int,
    first_ids: dict[str, int],
) -> list[Row]:
    """A few holds: waiting ones on records whose copies are all out, ready ones with a
    copy set aside on the hold shelf."""
    end = timeline.end
    current = [m for m in range(len(members.category))
               if members.joined[m] <= end and members.expiry[m] >= timeline.today_index]
    if end < 0 or count <= 0 or not current:
        return []
    lendable: dict[int, int] = {}
    out: dict[int, int] = {}
    free: dict[int, int] = {}
    borrowers: dict[int, set[int]] = {}
    for copy, record in enumerate(copies.record):
        if not copies.lendable[copy]:
            continue
        lendable[record] = lendable.get(record, 0) + 1
        if copy in log.open_member:
            out[record] = out.get(record, 0) + 1
            borrowers.setdefault(record, set()).add(log.open_member[copy])
        else:
            free.setdefault(record, copy)
    busy = [record for record, number in out.items() if number == lendable[record]]
    shelf = list(free)
    rows: list[Row] = []
    taken: set[tuple[int, int]] = set()
    for number in range(count * 3):  # a few draws may be skipped
        if len(rows) >= count:
            break
        waiting = number % 3 != 1
        candidates = busy if waiting else shelf
        if not candidates:
            continue
        record = rng.choice(candidates)
        member = rng.choice(current)
        if (member, record) in taken or member in borrowers.get(record, ()):
            continue
        taken.add((member, record))
        # Waiting for up to three weeks; ready ones set aside during the last week, so that
        # their pickup date has not passed yet.
        ready_day = timeline.prev_open[max(0, end - rng.randint(0, 5))]
        placed_day = timeline.prev_open[
            max(0, end - rng.randint(0, 20) if waiting else ready_day - rng.randint(0, 15))
        ]
        if placed_day < 0 or ready_day < 0:
            continue
        placed = timeline.moment(rng, placed_day)
        row: Row = {"id": first_ids["hold"] + len(rows),
                    "record_id": first_ids["record"] + record,
                    "member_id": first_ids["member"] + member, "placed_at": utc(placed),
                    "status": HoldStatus.WAITING, "copy_id": None, "ready_at": None,
                    "pickup_by": None, "closed_at": None}
        if not waiting:
            shelf.remove(record)
            ready = (timeline.later_moment(rng, ready_day, placed) if ready_day == placed_day
                     else timeline.moment(rng, ready_day))
            row.update(status=HoldStatus.READY, copy_id=first_ids["copy"] + free[record],
                       ready_at=utc(ready),
                       pickup_by=timeline.dates[timeline.next_open[ready_day + 7]])
        rows.append(row)
    return rows
