"""Demo copies: how many per record, their barcodes, call numbers, shelves and states."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from mediatheque.demo.catalogue import RecordFacts, Row
from mediatheque.demo.proportions import COPY_NOTES, MODE_SHARES, PRICES, STATUS_SHARES, Picker
from mediatheque.demo.timeline import Timeline
from mediatheque.models.vocabulary import AcquisitionMode, CopyStatus, MediaType

PAID = (AcquisitionMode.PURCHASE, AcquisitionMode.PROGRAMME)


@dataclass
class CopyFacts:
    """What the loans need to know of each copy (index = copy id - first id)."""

    record: list[int] = field(default_factory=list)
    lendable: list[bool] = field(default_factory=list)
    acquired: list[date] = field(default_factory=list)
    weight: list[float] = field(default_factory=list)


def spread_copies(rng: random.Random, facts: RecordFacts, total: int) -> list[int]:
    """Every record gets one copy; the rest go to the popular ones (never periodicals)."""
    counts = [1] * len(facts.media)
    extra = total - len(counts)
    if extra <= 0 or not counts:
        return counts
    weights = [0.0 if media == MediaType.PERIODICAL else popularity
               for media, popularity in zip(facts.media, facts.popularity, strict=True)]
    if sum(weights) <= 0:
        weights = [1.0] * len(counts)
    for index in rng.choices(range(len(counts)), weights=weights, k=extra):
        counts[index] += 1
    return counts


def copy_batches(
    rng: random.Random,
    timeline: Timeline,
    facts: RecordFacts,
    counts: list[int],
    *,
    first_record_id: int,
    first_copy_id: int,
    barcodes: list[str],
    locations: set[str],
    batch_size: int,
    out: CopyFacts,
) -> Iterator[list[Row]]:
    """Copy rows in batches; fills `out` as it goes."""
    today = timeline.today
    status_of = Picker(STATUS_SHARES)
    mode_of = Picker(MODE_SHARES)
    fallback = min(locations) if locations else None
    batch: list[Row] = []
    copy_id = first_copy_id
    for index, count in enumerate(counts):
        media = facts.media[index]
        catalogued = facts.catalogued[index]
        location = facts.location[index] if facts.location[index] in locations else fallback
        low, high = PRICES[media]
        for number in range(count):
            acquired = catalogued
            if number and rng.random() < 0.3:
                acquired += timedelta(days=rng.randrange((today - catalogued).days + 1))
            status = status_of(rng)
            if media == MediaType.PERIODICAL and rng.random() < 0.4:
                status = CopyStatus.REFERENCE
            mode = mode_of(rng)
            created = timeline.past_instant(rng, acquired)
            updated = created
            if status != CopyStatus.AVAILABLE:
                changed = acquired + timedelta(days=rng.randrange((today - acquired).days + 1))
                updated = max(created, timeline.past_instant(rng, changed))
            batch.append({
                "id": copy_id,
                "record_id": first_record_id + index,
                "barcode": barcodes[copy_id - first_copy_id],
                "call_number": facts.call_number[index],
                "location_code": location,
                "status": status,
                "acquired_on": acquired,
                "acquisition_mode": mode,
                "price": Decimal(rng.randrange(low, high, 100)) if mode in PAID else None,
                "public_note": COPY_NOTES[status] if status == CopyStatus.REFERENCE else None,
                "notes": COPY_NOTES.get(status) if status != CopyStatus.REFERENCE else None,
                "created_at": created,
                "updated_at": updated,
            })
            out.record.append(index)
            out.lendable.append(status == CopyStatus.AVAILABLE)
            out.acquired.append(acquired)
            out.weight.append(facts.popularity[index] * (1.0 if number == 0 else 0.7))
            copy_id += 1
            if len(batch) >= batch_size:
                yield batch
                batch = []
    if batch:
        yield batch
