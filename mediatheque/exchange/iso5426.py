"""ISO 5426 (the 8-bit set of old French UNIMARC files, declared `01`/`03` in 100$a/26-29)
to Unicode. As in ANSEL, a non-spacing diacritic byte comes *before* its base letter."""

from __future__ import annotations

import unicodedata

_DIACRITICS = {
    0xC0: "\u0309", 0xC1: "\u0300", 0xC2: "\u0301", 0xC3: "\u0302", 0xC4: "\u0303",
    0xC5: "\u0304", 0xC6: "\u0306", 0xC7: "\u0307", 0xC8: "\u0308", 0xC9: "\u0308",
    0xCA: "\u030a", 0xCB: "\u0315", 0xCC: "\u0312", 0xCD: "\u030b", 0xCE: "\u031b",
    0xCF: "\u030c", 0xD0: "\u0327", 0xD1: "\u031c", 0xD2: "\u0328", 0xD3: "\u0323",
    0xD4: "\u0324", 0xD5: "\u0325", 0xD6: "\u0333", 0xD7: "\u0332", 0xD8: "\u0326",
    0xD9: "\u031c", 0xDA: "\u032e", 0xDD: "\u0361", 0xDE: "\u0360",
}
_SPECIALS = {
    0xA1: "¡", 0xA2: "\u201e", 0xA3: "£", 0xA4: "$", 0xA5: "¥", 0xA6: "#", 0xA7: "§",
    0xA8: "\u2019", 0xA9: "\u2018", 0xAA: "\u201c", 0xAB: "«", 0xAC: "\u266d", 0xAD: "©",
    0xAE: "\u2117", 0xAF: "®", 0xB0: "\u02bb", 0xB1: "\u02bc", 0xB2: "\u201a",
    0xB6: "\u2021", 0xB7: "·", 0xBA: "\u201d", 0xBB: "»", 0xBC: "\u266f", 0xBD: "\u02b9",
    0xBE: "\u02ba", 0xBF: "¿", 0xE1: "Æ", 0xE2: "Đ", 0xE6: "Ĳ", 0xE8: "Ł", 0xE9: "Ø",
    0xEA: "Œ", 0xEC: "Þ", 0xF1: "æ", 0xF2: "đ", 0xF3: "ð", 0xF5: "ı", 0xF6: "ĳ",
    0xF8: "ł", 0xF9: "ø", 0xFA: "œ", 0xFB: "ß", 0xFC: "þ",
    0x88: "\u0088", 0x89: "\u0089",
}


def decode_iso5426(data: bytes) -> str:
    """Never fails: a byte with no meaning in ISO 5426 becomes U+FFFD."""
    out: list[str] = []
    pending: list[str] = []
    for byte in data:
        if byte < 0x80:
            out.append(chr(byte))
            out.extend(reversed(pending))
            pending.clear()
        elif byte in _DIACRITICS:
            pending.append(_DIACRITICS[byte])
        else:
            out.append(_SPECIALS.get(byte, "\ufffd"))
            out.extend(reversed(pending))
            pending.clear()
    out.extend(pending)
    return unicodedata.normalize("NFC", "".join(out))
