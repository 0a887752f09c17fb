"""A full loan-desk session in the real window, the scanner simulated by raw X key codes.

Run under Xvfb (the keys go to the X server, so the application sees real native scan codes
and X timestamps):

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python tools/desk_session.py --out shots

It builds a demo library (2,000 records) in a temporary data folder unless --data-dir names
one, picks a member, three copies on the shelf, a copy on loan to someone else (the refusal)
and, once the first copy is lent, places a hold on it for another member; then it starts the
application and types, 5 ms per key like a USB scanner: the card, three copies, the refused
copy, F4 (renew all), F3 (returns) and two returns (one put aside for the hold), Esc. Each
state is saved as a screenshot (ImageMagick `import -window root`).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import exists, func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mediatheque.circulation import place_hold  # noqa: E402
from mediatheque.db import connect, sqlite_url  # noqa: E402
from mediatheque.models import Copy, Hold, Loan, Member  # noqa: E402
from mediatheque.permissions import LOCAL_ADMIN  # noqa: E402

# X keycodes of the US digit row (evdev + 8): '1' is 10 … '9' is 18, '0' is 19.
DIGIT_KEYCODES = {str(d): str(9 + d) for d in range(1, 10)} | {"0": "19"}
RETURN = "36"


def keycodes(code: str) -> list[str]:
    return [DIGIT_KEYCODES[char] for char in code] + [RETURN]


def xdotool(*args: str) -> None:
    subprocess.run(["xdotool", *args], check=True)


def scan(code: str) -> None:
    """What a USB scanner does: the keys 5 ms apart, then Enter."""
    xdotool("key", "--delay", "5", *keycodes(code))


def key(name: str) -> None:
    xdotool("key", name)


def shot(out: Path, name: str, wait: float = 1.2) -> None:
    time.sleep(wait)
    subprocess.run(["import", "-window", "root", str(out / f"{name}.png")], check=True)
    print("screenshot", out / f"{name}.png", flush=True)


def pick(data_dir: Path) -> dict[str, object]:
    database = connect(sqlite_url(data_dir / "mediatheque.db"))
    today = date.today()
    open_loan = exists().where(Loan.copy_id == Copy.id, Loan.returned_at.is_(None))
    with database.read() as session:
        busy_members = select(Loan.member_id).where(Loan.returned_at.is_(None))
        member = session.execute(
            select(Member.id, Member.barcode, Member.first_name, Member.last_name)
            .where(Member.status == "active", Member.membership_expiry > today + timedelta(60),
                   Member.id.not_in(busy_members))
            .order_by(Member.id).limit(1)
        ).one()
        other = session.execute(
            select(Member.id).where(Member.status == "active", Member.id != member.id,
                                    Member.membership_expiry > today + timedelta(60))
            .order_by(Member.id.desc()).limit(1)
        ).scalar_one()
        single = (select(Copy.record_id).group_by(Copy.record_id)
                  .having(func.count() == 1))
        held = select(Hold.record_id)
        shelf = session.execute(
            select(Copy.barcode, Copy.record_id)
            .where(Copy.status == "available", ~open_loan, Copy.record_id.in_(single),
                   Copy.record_id.not_in(held))
            .order_by(Copy.id).limit(3)
        ).all()
        on_loan = session.execute(
            select(Copy.barcode).where(open_loan).order_by(Copy.id).limit(1)
        ).scalar_one()
    database.dispose()
    return {"member": member, "other": other, "shelf": shelf, "on_loan": on_loan}


def hold_for_other(data_dir: Path, member_id: int, record_id: int) -> None:
    database = connect(sqlite_url(data_dir / "mediatheque.db"))
    with database.write() as session:
        place_hold(session, LOCAL_ADMIN, member_id=member_id, record_id=record_id,
                   now=datetime.now(UTC))
    database.dispose()


def main() -> int:  # noqa: PLR0915 (one scripted session)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("desk-shots"))
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--records", type=int, default=2000)
    args = parser.parse_args()
    if "DISPLAY" not in os.environ:
        parser.error("no X display: run me under xvfb-run")
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="desk-session-"))
    program = str(ROOT / ".venv" / "bin" / "mediatheque")
    if not (data_dir / "mediatheque.db").exists():
        subprocess.run([program, "--data-dir", str(data_dir), "demo", "--records",
                        str(args.records), "--members", "300", "--loans", "4000",
                        "--seed", "7"], check=True)
    chosen = pick(data_dir)
    member = chosen["member"]
    shelf = chosen["shelf"]
    print("member", member, "copies", shelf, "refused", chosen["on_loan"], flush=True)
    env = dict(os.environ, QT_QPA_PLATFORM="xcb")
    app = subprocess.Popen([program, "--data-dir", str(data_dir), "--lang", "en"], env=env)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            found = subprocess.run(["xdotool", "search", "--name", "Médiathèque"],
                                   capture_output=True, text=True, check=False)
            if found.stdout.strip():
                break
            time.sleep(0.5)
        window = found.stdout.split()[-1]
        xdotool("windowsize", window, "1280", "780")
        xdotool("windowmove", window, "0", "0")
        xdotool("windowfocus", "--sync", window)
        shot(out, "01-start", 2)
        scan(member.barcode)  # type: ignore[attr-defined]
        shot(out, "02-member")
        for barcode, _record in shelf:  # type: ignore[attr-defined]
            scan(barcode)
        shot(out, "03-three-loans")
        scan(str(chosen["on_loan"]))
        shot(out, "04-refusal")
        key("F4")
        shot(out, "05-renew-all")
        hold_for_other(data_dir, int(chosen["other"]), shelf[0][1])  # type: ignore[index]
        key("F3")
        shot(out, "06-return-mode")
        scan(shelf[0][0])  # type: ignore[index]
        shot(out, "07-return-put-aside")
        scan(shelf[1][0])  # type: ignore[index]
        shot(out, "08-second-return")
        key("F3")
        key("Escape")
        shot(out, "09-member-closed")
    finally:
        app.terminate()
        app.wait(20)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
