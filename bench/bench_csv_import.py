"""Spreadsheet import speed (the requirement: at least 5,000 rows/s), from the file to the
committed transaction, search index included, into a fresh SQLite database:

- the real goodreads file of ../shared/data (11,127 dirty rows), when it is there;
- a generated catalogue of 50,000 rows (French, Russian and Kazakh titles and names, ISBNs,
  one copy for every other row).

Prints the median rows/s over a few runs; `--quick` uses 2,000 generated rows and one run.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.common import NOW, open_sqlite, parse_args
from mediatheque.catalogue.csv_import import import_catalogue_csv, read_catalogue_csv
from mediatheque.permissions import LOCAL_ADMIN

GOODREADS = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / \
    "goodreads_books.csv"
WORDS = {
    "fre": ["maison", "nuit", "mer", "voyage", "été", "mémoire", "jardin", "lumière", "ville",
            "rêve", "hiver", "chemin"],
    "rus": ["дом", "ночь", "море", "дорога", "память", "сад", "свет", "город", "зима",
            "сон", "степь", "река"],
    "kaz": ["дала", "түн", "теңіз", "жол", "бақ", "жарық", "қала", "қыс", "түс", "өзен",
            "ән", "күз"],
}
NAMES = {
    "fre": (["Dubois", "Lefèvre", "Moreau", "Garnier", "Rousseau"],
            ["Élise", "Jean", "Marie", "François", "Hélène"]),
    "rus": (["Иванов", "Смирнова", "Кузнецов", "Попова", "Соколов"],
            ["Анна", "Сергей", "Ольга", "Дмитрий", "Татьяна"]),
    "kaz": (["Әуезов", "Сейфуллин", "Жұмабаева", "Нұрпейісов", "Құнанбайұлы"],
            ["Мұхтар", "Айгерім", "Сәкен", "Ғабит", "Әсем"]),
}


def isbn13(rng: random.Random) -> str:
    body = "978" + "".join(rng.choice("0123456789") for _ in range(9))
    odd = sum(int(d) for d in body[0::2])
    even = sum(int(d) for d in body[1::2])
    return body + str((10 - (odd + 3 * even) % 10) % 10)


def generated_csv(rows: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    lines = ["title;authors;isbn13;publisher;year;language;pages;copies"]
    for number in range(rows):
        language = rng.choice(("fre", "fre", "rus", "kaz"))
        words = WORDS[language]
        title = " ".join(rng.sample(words, rng.randint(1, 4))).capitalize() + f" {number}"
        surnames, forenames = NAMES[language]
        authors = " / ".join(f"{rng.choice(forenames)} {rng.choice(surnames)}"
                             for _ in range(rng.choice((1, 1, 1, 2))))
        lines.append(";".join((
            title, authors, isbn13(rng), rng.choice(("Gallimard", "АСТ", "Жазушы", "Actes Sud")),
            f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{rng.randint(1950, 2025)}",
            language, str(rng.randint(40, 900)), rng.choice(("1", "0")),
        )))
    return "\n".join(lines) + "\n"


def import_once(source: Path, directory: Path) -> tuple[int, float]:
    """(rows read, seconds) for one import into a fresh database."""
    database = open_sqlite(directory / f"import-{time.perf_counter_ns()}.db")
    try:
        started = time.perf_counter()
        plan = read_catalogue_csv(source, latest_year=NOW.year + 1)
        with database.write() as session:
            import_catalogue_csv(session, LOCAL_ADMIN, plan, dry_run=False, now=NOW)
        seconds = time.perf_counter() - started
    finally:
        database.dispose()
    return plan.total_rows, seconds


def measure(name: str, source: Path, directory: Path, runs: int) -> None:
    rates = []
    rows = 0
    for _ in range(runs):
        rows, seconds = import_once(source, directory)
        rates.append(rows / seconds)
    print(f"import-csv {name}: {rows} rows, median {statistics.median(rates):,.0f} rows/s "
          f"(min {min(rates):,.0f}, max {max(rates):,.0f}, n={runs})", flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv, __doc__ or "")
    runs = 1 if args.quick else 3
    with tempfile.TemporaryDirectory(prefix="bench-csv-") as folder:
        directory = Path(folder)
        if GOODREADS.exists() and not args.quick:
            measure("goodreads", GOODREADS, directory, runs)
        generated = directory / "generated.csv"
        size = 2_000 if args.quick else 50_000
        generated.write_text(generated_csv(size), encoding="utf-8")
        measure(f"generated {size}", generated, directory, runs)


if __name__ == "__main__":
    main()
