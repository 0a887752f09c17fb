"""Dates, numbers, amounts of money and percentages as people read them, in one language
(the desk's, or the member's for a letter): always through Babel, never `strftime` or
`str(decimal)`. No Qt: the core, the CLI, the PDFs, the workbooks and the UI all use these.

    long_day(date(2026, 11, 22), "ru")  -> "22 ноября 2026 г."
    short_day(date(2026, 11, 22), "kk") -> "2026 ж. 22 қар."
    money(Decimal("1234.5"), "KZT", "fr") -> "1 234,50 ₸"
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal, format_percent, get_currency_symbol

from mediatheque.i18n import _, current_language

# The Babel locale of each interface language: British English (22 November 2026), not US.
LOCALES: dict[str, str] = {"fr": "fr_FR", "ru": "ru_RU", "kk": "kk_KZ", "en": "en_GB"}
# Symbols people write, where CLDR's default is the ISO code in most languages ("KZT").
LOCAL_SYMBOLS: dict[str, str] = {"KZT": "₸", "RUB": "₽"}
# Excel/LibreOffice date cell formats per language (the reader's software shows the rest).
SHEET_DAY_FORMATS: dict[str, str] = {
    "fr": "dd/mm/yyyy", "ru": "dd.mm.yyyy", "kk": "dd.mm.yyyy", "en": "dd/mm/yyyy",
}


def locale_of(language: str | None = None) -> str:
    """The Babel locale for a language code ('fr', 'ru', 'kk', 'en'; None: the current)."""
    code = language or current_language()
    return LOCALES.get(code.replace("-", "_").split("_")[0].lower(), LOCALES["fr"])


def long_day(day: date, language: str | None = None) -> str:
    """22 novembre 2026 / 22 ноября 2026 г. / 2026 ж. 22 қараша / 22 November 2026."""
    return format_date(day, format="long", locale=locale_of(language))


def short_day(day: date, language: str | None = None) -> str:
    """22 nov. 2026 / 22 нояб. 2026 г. / 2026 ж. 22 қар. / 22 Nov 2026 (tables, lists)."""
    return format_date(day, format="medium", locale=locale_of(language))


def month_year(month: date, language: str | None = None) -> str:
    """Novembre 2026 / Ноябрь 2026 / Қараша 2026 / November 2026 (capitalised)."""
    text = format_date(month, format="LLLL yyyy", locale=locale_of(language))
    return text[:1].upper() + text[1:]


def moment(instant: datetime, zone: ZoneInfo | None = None, language: str | None = None) -> str:
    """'22 nov. 2026 15:40': an instant in the library's time zone (aware datetimes)."""
    local = instant.astimezone(zone) if zone is not None else instant
    locale = locale_of(language)
    day = format_date(local, "medium", locale=locale)
    return f"{day} {format_time(local, 'short', locale=locale)}"


def number(value: int | float | Decimal, language: str | None = None) -> str:
    """1 234 567 / 1,234,567: grouped the way the language groups."""
    return format_decimal(value, locale=locale_of(language))


def decimal(value: float | Decimal, digits: int = 1, language: str | None = None) -> str:
    """A number with a fixed count of decimals: 12,5 / 12.5 (digits=1)."""
    pattern = "#,##0." + "0" * digits if digits > 0 else "#,##0"
    return format_decimal(value, pattern, locale=locale_of(language))


def plain_decimal(value: Decimal, language: str | None = None) -> str:
    """An amount for an input field: two decimals, no grouping (12,50 / 12.50), so that it
    can be typed back as it reads."""
    return format_decimal(value, "0.00", locale=locale_of(language))


def money(amount: Decimal | int | float, currency: str = "KZT", language: str | None = None) -> str:
    """1 234,50 ₸ / 1 234,50 € / ₸1,234.50 — the library's currency in the reader's style."""
    locale = locale_of(language)
    code = (currency or "KZT").upper()
    text = format_currency(amount, code, locale=locale)
    local = LOCAL_SYMBOLS.get(code)
    if local is not None:
        text = text.replace(get_currency_symbol(code, locale=locale), local)
    return text


def percent(ratio: float, language: str | None = None) -> str:
    """0.125 -> 12,5 % (fr, ru) / 12,5% (kk) / 12.5% (en): the language's own pattern."""
    locale = Locale.parse(locale_of(language))
    pattern = locale.percent_formats[None].pattern.replace("0", "0.0", 1)
    return format_percent(ratio, pattern, locale=locale)


def sheet_day_format(language: str | None = None) -> str:
    """The number format of a date cell in a workbook written in that language."""
    code = language or current_language()
    return SHEET_DAY_FORMATS.get(code, SHEET_DAY_FORMATS["fr"])


def sheet_money_format(currency: str = "KZT") -> str:
    """The number format of an amount cell: '#,##0.00" ₸"' (separators are the reader's)."""
    code = (currency or "KZT").upper()
    symbol = LOCAL_SYMBOLS.get(code) or get_currency_symbol(code, locale="fr_FR")
    return f'#,##0.00" {symbol}"'


def labelled(label: str, value: object) -> str:
    """'label: value', with the punctuation of the language (a no-break space before the
    colon in French)."""
    return _("{label}: {value}").format(label=label, value=value)


def with_detail(text: str, detail: str) -> str:
    """A reason and what it is about ('unknown language, left out: klingon'), or the reason
    alone when there is no detail."""
    return labelled(text, detail) if detail else text
