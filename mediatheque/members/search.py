"""Finding members by name (Cyrillic or Latin, accents ignored, transliterated as in the
catalogue), card barcode, e-mail or phone, as you type: every word typed is the start of a
key (mediatheque.members.search_index). Paged; rows are frozen and outlive the session."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import Date, TextClause, TextualSelect, select, text
from sqlalchemy.orm import Session

from mediatheque.catalogue.normalise import search_keys
from mediatheque.members.search_index import compact
from mediatheque.members.validation import phone_digits
from mediatheque.models import Member, MemberCategory
from mediatheque.permissions import Actor, Permission

PAGE = 50
MAX_PAGE = 500
MAX_WORDS = 6
_PHONE_LIKE = re.compile(r"^\+?[0-9 ()./-]+$")


@dataclass(frozen=True)
class MemberRow:
    member_id: int
    barcode: str
    first_name: str
    last_name: str
    category_code: str
    category_name: str
    email: str | None
    phone: str | None
    membership_expiry: date
    status: str

    @property
    def display_name(self) -> str:
        return f"{self.last_name} {self.first_name}"

    def expired(self, today: date) -> bool:
        return self.membership_expiry < today


@dataclass(frozen=True)
class MemberPage:
    total: int
    offset: int
    rows: tuple[MemberRow, ...]


def query_tokens(text: str) -> tuple[list[list[str]], str]:
    """(tokens, whole): every token (a list of alternatives) must be the start of one of a
    member's keys; or else `whole`, the query's letters and digits, the start of one key
    (a barcode from an older system such as `A-0012`)."""
    query = text.strip()
    if not query:
        return [], ""
    whole = compact(query)
    if "@" in query:
        return [[whole]], whole
    if _PHONE_LIKE.match(query):
        digits = phone_digits(query)
        return [phone_alternatives(query.lstrip().startswith("+"), digits)], whole
    keys = list(dict.fromkeys(search_keys(query)))[:MAX_WORDS]
    return [[key] for key in keys], whole


def phone_alternatives(international: bool, digits: str) -> list[str]:
    """What typed phone digits may be the start of: 8 701… is +7 701… in Kazakhstan and
    Russia; +7 701… and +998 90… are also stored without their country code."""
    alternatives = [digits]
    if digits.startswith("8") and len(digits) > 1:
        alternatives += ["7" + digits[1:], digits[1:]]
    if international and digits.startswith("7") and len(digits) > 1:
        alternatives += ["8" + digits[1:], digits[1:]]
    if international and digits.startswith("998") and len(digits) > 3:
        alternatives.append(digits[3:])
    return alternatives


def _ranges(names: list[str]) -> str:
    return " OR ".join(f"(k.key >= :{n}_lo AND k.key < :{n}_hi)" for n in names)


def _token_names(shape: tuple[int, ...]) -> list[list[str]]:
    """Parameter names of each token's alternatives: t{token}_{alternative}."""
    return [[f"t{t}_{a}" for a in range(count)] for t, count in enumerate(shape)]


def _matches(shape: tuple[int, ...], whole: bool) -> str:
    """(member_id, sort_name) of the members matching: every token (INTERSECT), or else
    the whole query (UNION). Read from the key index alone."""
    select_ = "SELECT DISTINCT k.member_id, k.sort_name FROM member_search_key k WHERE "
    compound = " INTERSECT ".join(select_ + _ranges(names) for names in _token_names(shape))
    if whole:
        whole_ids = select_ + _ranges(["w"])
        compound = f"{compound} UNION {whole_ids}" if compound else whole_ids
    return compound


_COLUMNS = ("SELECT m.id, m.barcode, m.first_name, m.last_name, c.code, c.name, m.email, "
            "m.phone, m.membership_expiry, m.status FROM (")
_JOIN = (") page JOIN member m ON m.id = page.member_id "
         "JOIN member_category c ON c.id = m.category_id "
         "ORDER BY page.sort_name, page.member_id")
_LIMIT = " ORDER BY 2, 1 LIMIT :limit OFFSET :offset"


@lru_cache(maxsize=256)
def _page_statement(shape: tuple[int, ...], whole: bool) -> TextualSelect:
    """A page of members in name order (read from the key index alone), then joined to
    the members' rows."""
    if not shape and not whole:
        ids = "SELECT ms.member_id, ms.sort_name FROM member_search ms"
    else:
        ids = _matches(shape, whole)
    return text(f"{_COLUMNS}{ids}{_LIMIT}{_JOIN}").columns(membership_expiry=Date())


@lru_cache(maxsize=256)
def _count_statement(shape: tuple[int, ...], whole: bool) -> TextClause:
    if not shape and not whole:
        return text("SELECT count(*) FROM member_search")
    return text(f"SELECT count(*) FROM ({_matches(shape, whole)}) found")


def _bounds(name: str, prefix: str, into: dict[str, object]) -> None:
    into[f"{name}_lo"] = prefix
    into[f"{name}_hi"] = prefix[:-1] + chr(ord(prefix[-1]) + 1)


def search_members(session: Session, actor: Actor, text_: str, *, offset: int = 0,
                   limit: int = PAGE) -> MemberPage:
    """Members matching the text, sorted by last then first name; all members when empty."""
    actor.require(Permission.VIEW)
    limit, offset = max(1, min(limit, MAX_PAGE)), max(0, offset)
    tokens, whole = query_tokens(text_)
    tokens = [[a for a in alternatives if a] for alternatives in tokens]
    if not all(tokens):
        tokens = []
    if not tokens and not whole and text_.strip():
        return MemberPage(0, offset, ())  # only signs: nothing can match
    # The whole query as one key is for old barcodes (`A-0012`) and e-mails typed with their
    # dots (`anna.p`): a query of letters only is a name, found twice as fast without it.
    use_whole = (bool(whole) and [whole] not in tokens
                 and any(not (c.isalpha() or c.isspace()) for c in text_.strip()))
    params: dict[str, object] = {"limit": limit, "offset": offset}
    for t, alternatives in enumerate(tokens):
        for a, prefix in enumerate(alternatives):
            _bounds(f"t{t}_{a}", prefix, params)
    if use_whole:
        _bounds("w", whole, params)
    shape = tuple(len(alternatives) for alternatives in tokens)
    found = session.execute(_page_statement(shape, use_whole), params).all()
    if offset == 0 and len(found) < limit:
        total = len(found)  # the whole answer is on this page
    else:
        total = session.scalar(_count_statement(shape, use_whole), params) or 0
    return MemberPage(total, offset, tuple(MemberRow(*row) for row in found))


def member_rows(session: Session, ids: list[int]) -> list[MemberRow]:
    """Rows of these members, in the order of `ids` (unknown ids are left out)."""
    return _rows(session, ids)


def _rows(session: Session, ids: list[int]) -> list[MemberRow]:
    if not ids:
        return []
    found = {
        row.id: MemberRow(row.id, row.barcode, row.first_name, row.last_name, row.code,
                          row.name, row.email, row.phone, row.membership_expiry, row.status)
        for row in session.execute(
            select(Member.id, Member.barcode, Member.first_name, Member.last_name,
                   MemberCategory.code, MemberCategory.name, Member.email, Member.phone,
                   Member.membership_expiry, Member.status)
            .join(MemberCategory, MemberCategory.id == Member.category_id)
            .where(Member.id.in_(ids)))
    }
    return [found[member_id] for member_id in ids if member_id in found]
