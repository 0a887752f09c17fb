"""Printing speed (issue 4): 1,000 member cards on A4 sheets ≤ 5 s and 2,400 copy labels
(60 sheets of 4 × 10) ≤ 5 s, from the data to the PDF bytes (text fitting, vector Code 128,
embedded font subsetting, compression), then the whole service with its database read
(`print_member_cards`, every member of a fresh SQLite library). Prints median and p95 of a
few runs; `--quick` renders 50 cards and 120 labels.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import select

from bench.common import NOW, open_sqlite, parse_args, timed
from mediatheque.library import initialise_library
from mediatheque.models import Member, MemberCategory
from mediatheque.permissions import LOCAL_ADMIN
from mediatheque.printing.batches import CardSelection
from mediatheque.printing.cards import CardData, CardLayout, CardOptions, render_cards
from mediatheque.printing.labels import LABEL_PRESETS, LabelData, LabelOptions, render_labels
from mediatheque.printing.service import print_member_cards
from mediatheque.settings import LibrarySettings

FIRST = ["Әсел", "Jean", "Айгерім", "Hélène", "Мұхтар", "Сергей", "Ғабит", "Marie-Claire"]
LAST = ["Қанатқызы", "Dupont", "Жұмабаева", "Lefèvre-Rousseau", "Нұрпейісов",
        "Кузнецов", "Құнанбайұлы", "de Saint-Exupéry"]
CALLS = ["843.914 HUG m", "FLE A2 GRE", "891.7 ПУШ е", "ҚАЗ 894.3 ӘУЕ", "DVD JEU a"]


def cards(count: int, rng: random.Random) -> list[CardData]:
    return [CardData(barcode=f"1001{index:07d}{index % 10}",
                     name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                     category=rng.choice(["Adulte", "Ересек", "Étudiant de l’Alliance"]),
                     expiry=date(2027, 1 + index % 12, 1 + index % 28),
                     language=rng.choice(["fr", "ru", "kk", "en"])) for index in range(count)]


def labels(count: int) -> list[LabelData]:
    return [LabelData(f"1002{index:07d}{index % 10}", CALLS[index % len(CALLS)])
            for index in range(count)]


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv, __doc__.splitlines()[0] if __doc__ else "")
    rng = random.Random(4)
    card_count, label_count, repeat = (50, 120, 2) if args.quick else (1_000, 2_400, 5)
    batch = cards(card_count, rng)
    options = CardOptions("Alliance Française d'Almaty", layout=CardLayout.A4)
    timed(f"{card_count} cards on A4 (limit 5,000 ms)",
          lambda: render_cards(batch, options), repeat=repeat, warmup=1)
    sheet = labels(label_count)
    label_options = LabelOptions("AF Almaty", grid=LABEL_PRESETS["4x10"])
    timed(f"{label_count} labels on 4 × 10 sheets (limit 5,000 ms)",
          lambda: render_labels(sheet, label_options), repeat=repeat, warmup=1)
    cr80 = CardOptions("Alliance Française d'Almaty", layout=CardLayout.CR80)
    timed(f"{card_count} CR80 cards", lambda: render_cards(batch, cr80), repeat=repeat,
          warmup=1)
    with tempfile.TemporaryDirectory(prefix="bench-printing-") as folder:
        database = open_sqlite(Path(folder) / "cards.db")
        with database.write() as session:
            initialise_library(session, LibrarySettings(name="AF Almaty", code="KZ-ALA"))
            category = session.scalar(select(MemberCategory.id).limit(1))
            session.add_all(Member(
                barcode=card.barcode, first_name=card.name.split(" ", 1)[0],
                last_name=card.name.split(" ", 1)[1], preferred_language=card.language,
                category_id=category, membership_start=date(2026, 1, 1),
                membership_expiry=card.expiry, created_at=NOW, updated_at=NOW)
                for card in batch)

        def service() -> None:
            with database.read() as session:
                print_member_cards(session, LOCAL_ADMIN, CardSelection(all_members=True),
                                   layout=CardLayout.A4)

        timed(f"{card_count} cards on A4 from the database", service, repeat=repeat, warmup=1)
        database.dispose()


if __name__ == "__main__":
    main()
