"""Demo members: French, Russian and Kazakh names, contact details, categories, and
membership periods (some expired), as rows for bulk inserts."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from mediatheque.demo import pools, text
from mediatheque.demo.catalogue import Row
from mediatheque.demo.proportions import Picker
from mediatheque.demo.timeline import Timeline
from mediatheque.models.vocabulary import MemberStatus

ORIGIN_SHARES = {"kaz": 48, "rus": 32, "fre": 13, "eng": 7}
PREFERRED = {  # preferred language by the language of the name
    "kaz": {"kk": 50, "ru": 42, "fr": 6, "en": 2},
    "rus": {"ru": 85, "fr": 9, "en": 4, "kk": 2},
    "fre": {"fr": 92, "en": 6, "ru": 2},
    "eng": {"en": 80, "fr": 20},
}
CATEGORY_SHARES = {"ADULT": 45, "STUDENT": 35, "CHILD": 10, "STAFF": 3, "PARTNER": 7}
EXPIRED_SHARE = 0.15


@dataclass
class MemberFacts:
    """What the loans need to know of each member (index = member id - first id)."""

    category: list[int] = field(default_factory=list)
    joined: list[int] = field(default_factory=list)  # timeline day index, may be negative
    expiry: list[int] = field(default_factory=list)  # timeline day index
    weight: list[float] = field(default_factory=list)


def member_rows(
    rng: random.Random,
    timeline: Timeline,
    *,
    count: int,
    first_id: int,
    barcodes: list[str],
    categories: list[tuple[int, str, int]],
    out: MemberFacts,
) -> list[Row]:
    """`categories` are (id, code, membership months) of the library's categories."""
    today = timeline.today
    category_of = Picker([(category, CATEGORY_SHARES.get(category[1], 5))
                          for category in categories])
    origin_of = Picker(ORIGIN_SHARES)
    preferred_of = {origin: Picker(shares) for origin, shares in PREFERRED.items()}
    rows: list[Row] = []
    for number in range(count):
        member_id = first_id + number
        origin = origin_of(rng)
        female = rng.random() < 0.58
        last_name, first_name = text.person(rng, origin, female)
        category_id, code, months = category_of(rng)
        period = timedelta(days=round(months * 30.44))
        # A third joined during the last year; the others up to six years ago.
        joined = today - timedelta(days=rng.randrange(365 if rng.random() < 0.33 else 6 * 365))
        if rng.random() < EXPIRED_SHARE:
            expiry = today - timedelta(days=rng.randint(1, 300))
            start = expiry - period
            joined = min(joined, start)
        else:
            earliest = max(joined, today - period + timedelta(days=1))
            start = earliest + timedelta(days=rng.randrange((today - earliest).days + 1))
            expiry = start + period
        created = timeline.past_instant(rng, joined)
        email = None
        if rng.random() < 0.85:
            local = f"{text.latin(first_name)}.{text.latin(last_name)}"
            if rng.random() < 0.4:
                local += str(rng.randint(1, 99))
            email = f"{local}@{rng.choice(pools.EMAIL_DOMAINS)}"
        phone = None
        if rng.random() < 0.9:
            phone = (f"+7 {rng.choice(pools.MOBILE_PREFIXES)} {rng.randint(100, 999)} "
                     f"{rng.randint(10, 99)} {rng.randint(10, 99)}")
        address = None
        if rng.random() < 0.4:
            address = f"{rng.choice(pools.STREETS)}, {rng.randint(1, 180)}"
            if rng.random() < 0.6:
                address += f", кв. {rng.randint(1, 120)}"
            address += ", Алматы"
        rows.append({
            "id": member_id,
            "barcode": barcodes[number],
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "phone": phone,
            "address": address,
            "preferred_language": preferred_of[origin](rng),
            "category_id": category_id,
            "membership_start": start,
            "membership_expiry": expiry,
            "status": MemberStatus.BLOCKED if rng.random() < 0.01 else MemberStatus.ACTIVE,
            "history_opt_in": rng.random() < 0.3,
            "notes": None,
            "created_at": created,
            "updated_at": max(created, timeline.past_instant(rng, start)),
        })
        out.category.append(category_id)
        out.joined.append(timeline.index(joined))
        out.expiry.append(timeline.index(expiry))
        out.weight.append(rng.lognormvariate(0, 1.0) * (0.3 if code == "STAFF" else 1.0))
    return rows
