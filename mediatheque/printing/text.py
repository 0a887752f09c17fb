"""Text that never overflows its box: shrink to a minimum size, then wrap to two lines,
then end with an ellipsis. Pure functions over reportlab's font metrics."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

ELLIPSIS = "…"
STEP = 0.5


@dataclass(frozen=True)
class FittedText:
    size: float
    lines: tuple[str, ...]
    truncated: bool = False


def _width(text: str, font: str, size: float) -> float:
    return float(stringWidth(text, font, size))


def _sizes(largest: float, smallest: float) -> list[float]:
    sizes = []
    size = largest
    while size > smallest + 1e-9:
        sizes.append(size)
        size -= STEP
    sizes.append(smallest)
    return sizes


def fit_text(text: str, *, font: str, width: float, max_size: float, min_size: float,
             max_lines: int = 2, wrap_max_size: float | None = None) -> FittedText:
    """The largest size at which `text` fits on one line of `width` points; below
    `min_size`, wraps on up to `max_lines` lines (at most `wrap_max_size`); when even that
    does not fit at `min_size`, the last line ends with an ellipsis."""
    text = " ".join(text.split())
    for size in _sizes(max_size, min_size):
        if _width(text, font, size) <= width:
            return FittedText(size, (text,))
    if max_lines > 1:
        for size in _sizes(min(wrap_max_size or max_size, max_size), min_size):
            lines = wrap(text, font, size, width, max_lines)
            if lines is not None:
                return FittedText(size, lines)
    lines = wrap(text, font, min_size, width, max_lines, allow_overflow=True) or (text,)
    last = ellipsize(lines[-1], font, min_size, width, force=True)
    return FittedText(min_size, (*lines[:-1], last), truncated=True)


def wrap(text: str, font: str, size: float, width: float, max_lines: int,
         *, allow_overflow: bool = False) -> tuple[str, ...] | None:
    """Greedy word wrap; a word wider than the line is cut between letters. None when the
    text needs more than `max_lines` lines, unless `allow_overflow` (the rest then goes on
    the last line, too wide, for the caller to ellipsize)."""
    lines: list[str] = []
    rest = text
    while rest:
        if len(lines) == max_lines - 1:
            if _width(rest, font, size) <= width:
                lines.append(rest)
                return tuple(lines)
            if allow_overflow:
                lines.append(rest)
                return tuple(lines)
            return None
        line, rest = _take_line(rest, font, size, width)
        lines.append(line)
    return tuple(lines)


def _take_line(text: str, font: str, size: float, width: float) -> tuple[str, str]:
    words = text.split(" ")
    line = ""
    taken = 0
    for word in words:
        candidate = f"{line} {word}" if line else word
        if _width(candidate, font, size) > width:
            break
        line = candidate
        taken += 1
    if taken == 0:  # one word wider than the line: cut it
        cut = 1
        while cut < len(text) and _width(text[: cut + 1], font, size) <= width:
            cut += 1
        return text[:cut], text[cut:].lstrip()
    return line, " ".join(words[taken:])


def ellipsize(text: str, font: str, size: float, width: float, *, force: bool = False) -> str:
    """`text` cut so that it and an ellipsis fit `width`; unchanged if it fits (unless
    `force`, used when further text was dropped)."""
    if not force and _width(text, font, size) <= width:
        return text
    cut = len(text)
    while cut > 0 and _width(text[:cut].rstrip() + ELLIPSIS, font, size) > width:
        cut -= 1
    return text[:cut].rstrip() + ELLIPSIS
