"""Importing members from a spreadsheet (a class list from the course-management software):
read and check every row first (`read_member_csv`), then import in the caller's one
transaction or only report (`import_members_csv(..., dry_run=True)`).

The file is decoded and its delimiter sniffed as for the catalogue
(mediatheque.catalogue.csv_reading). Headers are recognised in French, Russian, Kazakh and
English without regard to case or accents (nom / фамилия / тегі, prénom / имя / аты…);
a single full-name column (ФИО, nom complet) is read as last name then first names.

A row is rejected, with its line number and a reason, for: wrong_column_count,
missing_name, invalid_name, invalid_email, invalid_phone, invalid_date,
expiry_before_start, invalid_barcode, unknown_category, duplicate_barcode (a card, a
replaced card, a copy or an earlier row has it). Warnings (the row is imported):
unknown_language (the library's language is used), possible_duplicate (same names and
phone or e-mail as a member, or as an earlier row).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediatheque.audit import record_audit
from mediatheque.catalogue.copies import clean_barcode
from mediatheque.catalogue.csv_columns import fold_header, language_code
from mediatheque.catalogue.csv_reading import CsvIssue, read_text, sniff_delimiter
from mediatheque.errors import (
    ExpiryBeforeStart,
    ImportCancelled,
    InvalidEmail,
    InvalidName,
    InvalidPhone,
    InvalidValue,
    MediathequeError,
    MemberCsvColumns,
    UnknownCategory,
    UnreadableCsv,
)
from mediatheque.members.card_numbers import barcodes_taken, new_member_barcodes
from mediatheque.members.duplicates import find_duplicates, names_key
from mediatheque.members.editing import MemberInput, validated_member
from mediatheque.members.search_index import index_members
from mediatheque.members.validation import (
    check_dates,
    clean_email,
    clean_name,
    clean_phone,
    phone_key,
)
from mediatheque.models import Member, MemberCategory
from mediatheque.permissions import Actor, Permission
from mediatheque.settings import load_library_settings

FIELDS = ("last_name", "first_name", "full_name", "email", "phone", "category", "language",
          "barcode", "membership_start", "membership_expiry", "address", "notes")
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "last_name": ("last name", "lastname", "surname", "family name", "nom", "nom de famille",
                  "фамилия", "тегі", "тегi"),
    "first_name": ("first name", "firstname", "given name", "given names", "prenom",
                   "prenoms", "имя", "аты", "есімі"),
    "full_name": ("name", "full name", "nom complet", "nom et prenom", "nom prenom",
                  "фио", "ф и о", "аты жөні", "аты жоні", "толық аты"),
    "email": ("email", "e mail", "mail", "courriel", "adresse e mail", "adresse email",
              "почта", "эл почта", "электронная почта", "e почта", "электрондық пошта"),
    "phone": ("phone", "telephone", "tel", "mobile", "portable", "phone number",
              "телефон", "тел", "мобильный", "номер телефона", "телефон нөмірі"),
    "category": ("category", "categorie", "категория", "санат", "type de lecteur",
                 "type d adherent"),
    "language": ("language", "langue", "lang", "язык", "тіл", "тілі",
                 "preferred language", "langue preferee"),
    "barcode": ("barcode", "card", "card number", "code barre", "code barres", "carte",
                "numero de carte", "штрихкод", "штрих код", "номер карты", "билет"),
    "membership_start": ("start", "membership start", "debut", "date d inscription",
                         "inscription", "date de debut", "дата регистрации",
                         "дата записи", "начало"),
    "membership_expiry": ("expiry", "expires", "expiration", "date d expiration",
                          "fin d adhesion", "fin", "valid until", "срок действия",
                          "действует до", "дата окончания", "окончание"),
    "address": ("address", "adresse", "адрес", "мекенжай"),
    "notes": ("notes", "note", "remarque", "remarques", "comment", "classe", "groupe",
              "class", "group", "примечание", "группа", "класс", "топ", "ескертпе"),
}
_BY_HEADER = {fold_header(s): f for f, synonyms in _SYNONYMS.items() for s in synonyms}
_BY_HEADER.update({fold_header(field): field for field in FIELDS})
_LANGUAGES = {"fre": "fr", "rus": "ru", "kaz": "kk", "eng": "en"}
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PlannedMember:
    line: int
    data: MemberInput
    language_given: bool


@dataclass(frozen=True)
class MemberCsvPlan:
    source: str
    encoding: str
    delimiter: str
    columns: dict[str, str]  # header → field
    ignored: tuple[str, ...]
    rows: tuple[PlannedMember, ...]
    rejected: tuple[CsvIssue, ...]
    warnings: tuple[CsvIssue, ...]


@dataclass(frozen=True)
class MemberImportReport:
    members_new: int
    rejected: tuple[CsvIssue, ...]
    warnings: tuple[CsvIssue, ...]
    dry_run: bool
    member_ids: tuple[int, ...] = ()  # the new members, in file order (none in a dry run)


def field_for_header(header: str) -> str | None:
    folded = fold_header(header)
    return _BY_HEADER.get(folded) or _BY_HEADER.get(folded.replace(" ", ""))


def parse_date(text: str) -> date | None:
    """2026-09-01, 01.09.2026 or 01/09/2026 (day first); None when unreadable."""
    found = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", text)
    parts = (int(found[1]), int(found[2]), int(found[3])) if found else None
    if parts is None:
        dotted = re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", text)
        if dotted:
            parts = (int(dotted[3]), int(dotted[2]), int(dotted[1]))
    try:
        return date(*parts) if parts else None
    except ValueError:
        return None


def read_member_csv(source: Path | str | bytes) -> MemberCsvPlan:
    """Reads and checks a members spreadsheet (nothing is written)."""
    name, text, encoding = read_text(source)
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers: list[str] | None = None
    by_index: dict[int, str] = {}
    rows: list[PlannedMember] = []
    rejected: list[CsvIssue] = []
    warnings: list[CsvIssue] = []
    last_line = 0
    for cells in reader:
        line, last_line = last_line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if headers is None:
            headers = cells
            by_index = _map_columns(headers, name)
            continue
        if len(cells) < len(headers) or any(c.strip() for c in cells[len(headers):]):
            rejected.append(CsvIssue(line, "wrong_column_count",
                                     f"{len(cells)}/{len(headers)}"))
            continue
        cell = {field: cells[index].strip() for index, field in by_index.items()}
        try:
            rows.append(_plan_row(line, cell, warnings))
        except _Rejected as refusal:
            rejected.append(CsvIssue(line, refusal.reason, refusal.detail[:80]))
    if headers is None:
        raise UnreadableCsv(name, "empty")
    named = {headers[i].strip(): f for i, f in by_index.items()}
    ignored = tuple(headers[i].strip() for i in range(len(headers)) if i not in by_index)
    return MemberCsvPlan(name, encoding, delimiter, named, ignored, tuple(rows),
                         tuple(rejected), tuple(warnings))


def _map_columns(headers: list[str], source: str) -> dict[int, str]:
    by_index: dict[int, str] = {}
    for index, header in enumerate(headers):
        found = field_for_header(header)
        if found is not None and found not in by_index.values():
            by_index[index] = found
    fields = set(by_index.values())
    if "last_name" not in fields and "full_name" not in fields:
        raise MemberCsvColumns(source, " | ".join(h.strip() for h in headers))
    return by_index


class _Rejected(Exception):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason, self.detail = reason, detail


_REASONS: dict[type[MediathequeError], str] = {
    InvalidEmail: "invalid_email", InvalidPhone: "invalid_phone",
    ExpiryBeforeStart: "expiry_before_start",
}


def _plan_row(line: int, cell: dict[str, str], warnings: list[CsvIssue]) -> PlannedMember:
    last, first = cell.get("last_name", ""), cell.get("first_name", "")
    if not last and cell.get("full_name"):
        parts = cell["full_name"].split()
        last, first = parts[0], " ".join(parts[1:]) or first
    try:
        clean_name("last_name", last)
        clean_name("first_name", first)
        clean_email(cell.get("email"))
        clean_phone(cell.get("phone"))
    except InvalidName as error:
        reason = "missing_name" if error.problem == "empty" else "invalid_name"
        raise _Rejected(reason, error.field) from error
    except (InvalidEmail, InvalidPhone) as error:
        raise _Rejected(_REASONS[type(error)], error.value) from error
    dates: dict[str, date | None] = {}
    for field in ("membership_start", "membership_expiry"):
        text = cell.get(field, "")
        dates[field] = parse_date(text) if text else None
        if text and dates[field] is None:
            raise _Rejected("invalid_date", text)
    start, expiry = dates["membership_start"], dates["membership_expiry"]
    if start and expiry:
        try:
            check_dates(start, expiry)
        except ExpiryBeforeStart as error:
            raise _Rejected("expiry_before_start", error.expiry) from error
    barcode = None
    if cell.get("barcode"):
        try:
            barcode = clean_barcode(cell["barcode"])
        except InvalidValue as error:
            raise _Rejected("invalid_barcode", cell["barcode"]) from error
    language = "fr"
    given = bool(cell.get("language"))
    if given:
        code = _LANGUAGES.get(language_code(cell["language"]) or "")
        if code is None:
            warnings.append(CsvIssue(line, "unknown_language", cell["language"][:80]))
            given = False
        else:
            language = code
    data = MemberInput(
        first_name=first, last_name=last, email=cell.get("email") or None,
        phone=cell.get("phone") or None, address=cell.get("address") or None,
        preferred_language=language, category_code=cell.get("category") or None,
        membership_start=start, membership_expiry=expiry, notes=cell.get("notes") or None,
        barcode=barcode)
    return PlannedMember(line, data, given)


def import_members_csv(
    session: Session, actor: Actor, plan: MemberCsvPlan, *, dry_run: bool, now: datetime,
    today: date, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
) -> MemberImportReport:
    """Imports the plan in the caller's transaction (with `dry_run`, only reports: every
    decision is taken before the first write). Raises ImportCancelled when `cancelled()`
    says so; the caller's transaction must then be rolled back."""
    actor.require(Permission.MEMBERS)
    total = max(1, len(plan.rows))

    def check(done: int) -> None:
        if cancelled is not None and cancelled():
            raise ImportCancelled(done=done, total=len(plan.rows))
        if progress is not None:
            progress(min(done, total), total)

    check(0)
    language = load_library_settings(session).language
    rejected, warnings = list(plan.rejected), list(plan.warnings)
    taken = barcodes_taken(session, [r.data.barcode for r in plan.rows if r.data.barcode])
    categories = _category_resolver(session)
    seen: dict[tuple[tuple[str, ...], str], int] = {}
    accepted: list[tuple[PlannedMember, dict[str, object]]] = []
    for number, row in enumerate(plan.rows):
        if number % 200 == 199:
            check(number)
        data = row.data if row.language_given else replace(row.data,
                                                           preferred_language=language)
        try:
            data = replace(data, category_code=categories(data.category_code))
            values = validated_member(session, data, today=today)
        except UnknownCategory as error:
            rejected.append(CsvIssue(row.line, "unknown_category", error.category[:80]))
            continue
        except ExpiryBeforeStart as error:  # an expiry given without its start
            rejected.append(CsvIssue(row.line, "expiry_before_start", error.expiry))
            continue
        if data.barcode and data.barcode in taken:
            rejected.append(CsvIssue(row.line, "duplicate_barcode", data.barcode))
            continue
        if data.barcode:
            taken.add(data.barcode)
        _warn_duplicates(session, row.line, values, seen, warnings)
        accepted.append((row, {**values, "barcode": data.barcode}))
    ids: list[int] = []
    if not dry_run and accepted:
        ids = _write(session, actor, accepted, now)
    check(total)
    return MemberImportReport(len(accepted), tuple(sorted(rejected, key=lambda i: i.line)),
                              tuple(sorted(warnings, key=lambda i: i.line)), dry_run,
                              tuple(ids))


def _category_resolver(session: Session) -> Callable[[str | None], str | None]:
    """Category cell → category code: the code itself or the category's name, folded."""
    known: dict[str, str] = {}
    for code, name in session.execute(
            select(MemberCategory.code, MemberCategory.name).order_by(MemberCategory.id)):
        known.setdefault(fold_header(code), code)
        known.setdefault(fold_header(name), code)

    def resolve(cell: str | None) -> str | None:
        if not cell:
            return None
        found = known.get(fold_header(cell))
        if found is None:
            raise UnknownCategory(cell)
        return found

    return resolve


def _warn_duplicates(session: Session, line: int, values: dict[str, object],
                     seen: dict[tuple[tuple[str, ...], str], int],
                     warnings: list[CsvIssue]) -> None:
    first, last = str(values["first_name"]), str(values["last_name"])
    email, phone = values["email"], values["phone"]
    found = find_duplicates(session, first_name=first, last_name=last,
                            email=email if isinstance(email, str) else None,
                            phone=phone if isinstance(phone, str) else None)
    if found:
        warnings.append(CsvIssue(line, "possible_duplicate",
                                 " ".join(str(d.member_id) for d in found)))
        return
    names = names_key(first, last)
    contacts = [c for c in (str(email).lower() if email else None,
                            phone_key(phone if isinstance(phone, str) else None)) if c]
    for contact in contacts:
        earlier = seen.get((names, contact))
        if earlier is not None:
            warnings.append(CsvIssue(line, "possible_duplicate", f"line {earlier}"))
            break
    for contact in contacts:
        seen.setdefault((names, contact), line)


def _write(session: Session, actor: Actor, accepted: list[tuple[PlannedMember, dict[str, object]]],
           now: datetime) -> list[int]:
    generated = iter(new_member_barcodes(
        session, sum(1 for _row, values in accepted if not values["barcode"])))
    members = []
    for _row, values in accepted:
        member = Member(**{**values, "barcode": values["barcode"] or next(generated)},
                        created_at=now, updated_at=now)
        session.add(member)
        members.append(member)
    session.flush()
    ids = [member.id for member in members]
    index_members(session, ids)
    for member, (row, values) in zip(members, accepted, strict=True):
        record_audit(session, actor, action="member_create", entity="member",
                     entity_id=member.id, now=now,
                     details={"source": "csv", "line": row.line,
                              "category_id": values["category_id"]})
    return ids
