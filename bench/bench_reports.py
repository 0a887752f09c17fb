"""Reports on the demo database: the overdue list (≤ 1 s), the director's monthly workbook
(≤ 3 s) and 500 overdue letters (≤ 10 s), on `demo` data with 1,000,000 loans.

    python -m bench.bench_reports [--quick]
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from bench.common import TODAY, demo_database, parse_args, size_for, timed
from mediatheque.permissions import LOCAL_ADMIN
from mediatheque.reports.letters import write_letters
from mediatheque.reports.monthly import monthly_report
from mediatheque.reports.notice_settings import load_notice_settings
from mediatheque.reports.notices import preview_notices
from mediatheque.reports.overdue import overdue_list
from mediatheque.reports.workbook import write_monthly_workbook
from mediatheque.settings import load_library_settings

LETTERS = 500


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv, __doc__.splitlines()[0] if __doc__ else "")
    size = size_for(args.quick)
    database, path = demo_database(size)
    repeat = 2 if args.quick else 5
    month = date(TODAY.year, TODAY.month - 1, 1) if TODAY.month > 1 else date(TODAY.year - 1, 12, 1)
    try:
        with database.read() as session:
            members = overdue_list(session, LOCAL_ADMIN, today=TODAY)
            library = load_library_settings(session)
            settings = load_notice_settings(session)
        loans = sum(len(m.loans) for m in members)
        print(f"{path.name}: {len(members)} members with {loans} overdue loans", flush=True)

        def read_overdue() -> None:
            with database.read() as session:
                overdue_list(session, LOCAL_ADMIN, today=TODAY)

        timed("overdue list", read_overdue, repeat=repeat)

        with tempfile.TemporaryDirectory() as folder:
            workbook = Path(folder) / "monthly.xlsx"
            letters = Path(folder) / "letters.pdf"

            def monthly() -> None:
                with database.read() as session:
                    report = monthly_report(session, LOCAL_ADMIN, month=month, today=TODAY)
                write_monthly_workbook(workbook, report,
                                       director_language=library.director_language)

            timed(f"monthly workbook {month:%Y-%m}", monthly, repeat=repeat)

            notices = preview_notices(members)
            wanted = 20 if args.quick else LETTERS
            batch = (notices * (wanted // max(1, len(notices)) + 1))[:wanted] if notices else []

            def pdf_letters() -> None:
                write_letters(letters, batch, library=library, settings=settings,
                              today=TODAY)

            timed(f"{len(batch)} overdue letters (PDF)", pdf_letters,
                  repeat=2 if args.quick else 3)
    finally:
        database.dispose()


if __name__ == "__main__":
    main()
