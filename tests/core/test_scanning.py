"""The scanner without Qt: burst detection (timing), reading codes back from key positions
and from what each keyboard layout typed, validation, and the queue."""

from __future__ import annotations

import random
import string

import pytest

from mediatheque.barcodes import BarcodeKind, make_barcode
from mediatheque.scanning import (
    FRENCH,
    KAZAKH,
    LAYOUTS,
    RUSSIAN,
    Burst,
    BurstDetector,
    Check,
    KeyInput,
    KeyKind,
    Keymap,
    ReadStatus,
    RepeatGuard,
    ScanKey,
    ScanQueue,
    Source,
    char_at,
    check_code,
    from_layout,
    read_keys,
    read_text,
    scan_code_of,
)
from mediatheque.scanning.keymaps import US_KEYS, US_SHIFTED, Layout

# Everything a barcode on a book or card can hold and a keyboard wedge types.
BARCODE_CHARS = string.digits + string.ascii_uppercase + string.ascii_lowercase + "-./ "
MEMBER = make_barcode("100", BarcodeKind.MEMBER, 42)
COPY = make_barcode("100", BarcodeKind.COPY, 1234)
ISBN = "9782070360024"
LAYOUT_IDS = ["us", "fr", "ru", "kk"]


def typed_on(layout: Layout | None, char: str) -> str:
    """What the host types when a US-configured scanner presses the key of `char`."""
    if layout is None:
        return char
    typed = layout.typed(char)
    assert typed is not None
    return typed


def scanner_keys(code: str, layout: Layout | None, keymap: Keymap | None) -> list[ScanKey]:
    keys = []
    for char in code:
        scan_code, shift = scan_code_of(keymap or Keymap.X11, char)
        keys.append(ScanKey(typed_on(layout, char), scan_code if keymap else 0, shift))
    return keys


# key positions


@pytest.mark.parametrize("keymap", list(Keymap))
@pytest.mark.parametrize("char", list(BARCODE_CHARS))
def test_every_barcode_character_has_a_key_and_comes_back(keymap: Keymap, char: str) -> None:
    scan_code, shift = scan_code_of(keymap, char)
    assert char_at(keymap, scan_code, shift) == char


def test_the_digit_row_is_where_x11_and_windows_put_it() -> None:
    assert [char_at(Keymap.X11, code, False) for code in range(10, 20)] == list("1234567890")
    assert [char_at(Keymap.WINDOWS, code, False) for code in range(2, 12)] == list("1234567890")
    assert char_at(Keymap.X11, 38, True) == "A" and char_at(Keymap.WINDOWS, 0x1E, False) == "a"
    assert char_at(Keymap.X11, 24, False) == "q" and char_at(Keymap.WINDOWS, 0x10, True) == "Q"
    assert char_at(Keymap.X11, 65, False) == " " and char_at(Keymap.WINDOWS, 0x39, False) == " "


@pytest.mark.parametrize("keymap", list(Keymap))
def test_the_keypad_types_digits_with_or_without_shift(keymap: Keymap) -> None:
    codes = [87, 88, 89, 83, 84, 85, 79, 80, 81, 90] if keymap is Keymap.X11 else [
        0x4F, 0x50, 0x51, 0x4B, 0x4C, 0x4D, 0x47, 0x48, 0x49, 0x52]
    for shift in (False, True):
        assert "".join(char_at(keymap, c, shift) or "?" for c in codes) == "1234567890"


@pytest.mark.parametrize("keymap", list(Keymap))
def test_keys_outside_the_main_block_are_unknown(keymap: Keymap) -> None:
    assert char_at(keymap, 0, False) is None
    assert char_at(keymap, 9999, True) is None


def test_a_character_no_us_key_types_has_no_position() -> None:
    with pytest.raises(ValueError):
        scan_code_of(Keymap.X11, "é")


# layouts


def test_the_layouts_are_the_real_ones() -> None:
    digits = "1234567890"
    assert "".join(typed_on(FRENCH, d) for d in digits) == "&é\"'(-è_çà"
    assert "".join(typed_on(RUSSIAN, d) for d in digits) == digits
    assert "".join(typed_on(KAZAKH, d) for d in digits + "-=") == "\"әіңғ,.үұқөһ"
    assert "".join(typed_on(KAZAKH, s) for s in "!@#$%^&*()_+") == "!ӘІҢҒ;:ҮҰҚӨҺ"
    assert "".join(typed_on(FRENCH, s) for s in "!@#$%^&*()") == digits
    assert "".join(typed_on(FRENCH, c) for c in "qwaz;m,./") == "azqwm,;:!"
    assert "".join(typed_on(RUSSIAN, c) for c in "qwertyAF,./") == "йцукенФАбю."
    assert typed_on(KAZAKH, "/") == "№" and typed_on(KAZAKH, "?") == "?"
    assert FRENCH.typed("[") is None  # the circumflex dead key


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.code)
@pytest.mark.parametrize("char", list(BARCODE_CHARS + "+$%"))
def test_every_barcode_character_comes_back_from_each_layout(layout: Layout, char: str) -> None:
    assert from_layout(layout, typed_on(layout, char)) == char


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.code)
def test_a_layout_types_each_character_on_one_key_only(layout: Layout) -> None:
    typed = [c for c in layout.plain + layout.shifted if c not in "\0 "]
    assert len(typed) == len(set(typed))
    assert len(layout.plain) == len(layout.shifted) == len(US_KEYS) == len(US_SHIFTED)


def test_characters_a_layout_does_not_type_give_nothing() -> None:
    assert from_layout(FRENCH, "ф") is None
    assert from_layout(RUSSIAN, "ә") is None
    assert from_layout(KAZAKH, "é") is None


# reading a burst


CODES = [MEMBER, COPY, ISBN, "AF00012345", "ab-12.3/x", "HA112", "LIV 0042", "0013748911"]


@pytest.mark.parametrize("keymap", list(Keymap))
@pytest.mark.parametrize("layout", [None, *LAYOUTS], ids=LAYOUT_IDS)
@pytest.mark.parametrize("code", CODES)
def test_scan_codes_read_the_code_on_every_layout(
    keymap: Keymap, layout: Layout | None, code: str
) -> None:
    result = read_keys(scanner_keys(code, layout, keymap), keymap)
    assert result.code == code
    assert result.usable


@pytest.mark.parametrize("keymap", list(Keymap))
@pytest.mark.parametrize("layout", [None, *LAYOUTS], ids=LAYOUT_IDS)
def test_scan_codes_read_every_barcode_character_on_every_layout(
    keymap: Keymap, layout: Layout | None
) -> None:
    result = read_keys(scanner_keys(BARCODE_CHARS, layout, keymap), keymap)
    assert result.code == BARCODE_CHARS
    assert result.source in (Source.SCAN_CODES, Source.TYPED)


@pytest.mark.parametrize("layout", [None, *LAYOUTS], ids=LAYOUT_IDS)
@pytest.mark.parametrize("code", [MEMBER, COPY, ISBN, "0013748911", "9780306406157"])
def test_without_scan_codes_digits_come_back_through_the_reverse_tables(
    layout: Layout | None, code: str
) -> None:
    result = read_keys(scanner_keys(code, layout, None))
    assert (result.code, result.usable) == (code, True)


def test_generated_barcodes_are_checked_on_each_layout() -> None:
    for layout in LAYOUTS:
        result = read_keys(scanner_keys(COPY, layout, None))
        assert result.status is ReadStatus.OK
        assert result.source is (Source.TYPED if layout is RUSSIAN else Source(layout.code))


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.code)
@pytest.mark.parametrize("code", ["HA112", "AF0001-2345", "ZW12.5/M"])
def test_letters_come_back_when_the_layout_is_known(layout: Layout, code: str) -> None:
    result = read_keys(scanner_keys(code, layout, None), None, layout.code)
    assert result.code == code


def test_letters_with_digits_are_recognised_without_a_hint() -> None:
    # The AZERTY digits are not barcode characters, so the French reading wins.
    assert read_keys(scanner_keys("HA112", FRENCH, None)).code == "HA112"
    assert read_keys(scanner_keys("AF123", RUSSIAN, None)).code == "AF123"
    assert read_keys(scanner_keys("AF123", KAZAKH, None)).code == "AF123"


def test_a_us_layout_reads_as_typed() -> None:
    result = read_keys(scanner_keys("AF-12", None, None))
    assert (result.code, result.source, result.status) == ("AF-12", Source.TYPED,
                                                          ReadStatus.UNCHECKED)


def test_a_scanner_configured_for_azerty_on_an_azerty_host_is_read_as_typed() -> None:
    # The scanner presses Shift+1 for "1": the keys say "!", the text says "1".
    keys = [ScanKey(d, scan_code_of(Keymap.X11, "!@#$%^&*()"[int(d) - 1 if d != "0" else 9])[0],
                    True) for d in COPY]
    result = read_keys(keys, Keymap.X11)
    assert (result.code, result.source, result.status) == (COPY, Source.TYPED, ReadStatus.OK)


def test_garbage_is_a_layout_mismatch() -> None:
    for garbage in ["§µ£¤", "日本語です", "ÀÉÎÕÜ", "()[]{}"]:
        result = read_text(garbage)
        assert result.status is ReadStatus.LAYOUT_MISMATCH
        assert (result.code, result.usable, result.typed) == ("", False, garbage)


def test_a_misread_isbn_is_a_checksum_error() -> None:
    result = read_text("9782070360025")
    assert result.status is ReadStatus.CHECKSUM_ERROR
    assert result.code == "9782070360025" and not result.usable


def test_a_wrong_isbn_is_right_in_no_layout() -> None:
    # Typed on AZERTY, the wrong check digit still fails after reading back.
    keys = scanner_keys("9782070360025", FRENCH, None)
    assert read_keys(keys).status is ReadStatus.CHECKSUM_ERROR


@pytest.mark.parametrize(("code", "check"), [
    (MEMBER, Check.VALID), (COPY, Check.VALID), (ISBN, Check.VALID),
    ("9780306406157", Check.VALID), ("4006381333931", Check.VALID),  # an EAN-13
    ("2070360024", Check.VALID),  # ISBN-10
    ("9782070360025", Check.WRONG), ("9792070360020", Check.WRONG),
    (MEMBER[:-1] + str((int(MEMBER[-1]) + 1) % 10), Check.UNCHECKED),  # could be an old code
    ("2070360025", Check.UNCHECKED), ("AF0001", Check.UNCHECKED), ("12 34", Check.UNCHECKED),
    ("", Check.GARBAGE), ("ab_c", Check.GARBAGE), ("éé", Check.GARBAGE),
])
def test_check_code(code: str, check: Check) -> None:
    assert check_code(code) is check


def test_read_text_strips_and_reads_hand_typed_codes() -> None:
    assert read_text(f"  {COPY}\n").code == COPY
    assert read_text("&é\"'(-è_çà").code == "1234567890"


# burst detection


def press(at: float, text: str, *, keymap: Keymap = Keymap.X11, kind: KeyKind | None = None,
          token: object = None) -> KeyInput:
    if kind is None:
        kind = KeyKind.CHARACTER
    scan_code, shift = scan_code_of(keymap, text) if kind is KeyKind.CHARACTER else (0, False)
    return KeyInput(at, kind, text, scan_code, shift, token=token or text)


def enter(at: float) -> KeyInput:
    return KeyInput(at, KeyKind.TERMINATOR, "\r", 36, token="Enter")


def scanner(code: str, start: float, rng: random.Random, *, suffix: bool = True,
            gap: tuple[float, float] = (2, 10)) -> list[KeyInput]:
    keys, at = [], start
    for char in code:
        keys.append(press(at, char))
        at += rng.uniform(*gap)
    if suffix:
        keys.append(enter(at))
    return keys


class Run:
    """Feeds keys to a detector with a timer tick every `tick_ms` in between, and collects
    what is given back (tokens) and what is scanned (codes)."""

    def __init__(self, detector: BurstDetector, tick_ms: float = 5) -> None:
        self.detector = detector
        self.tick_ms = tick_ms
        self.given: list[object] = []
        self.scans: list[Burst] = []
        self.now = 0.0

    def take(self, verdict: object) -> None:
        assert hasattr(verdict, "give_back")
        self.given += [key.token for key in verdict.give_back]
        self.scans += list(verdict.scans)

    def advance(self, until: float) -> None:
        while self.now + self.tick_ms <= until:
            self.now += self.tick_ms
            self.take(self.detector.tick(self.now))
        self.now = max(self.now, until)

    def feed(self, keys: list[KeyInput], settle: float = 500) -> None:
        for key in keys:
            self.advance(key.at_ms)
            self.take(self.detector.feed(key))
        self.advance(self.now + settle)

    def codes(self, keymap: Keymap = Keymap.X11) -> list[str]:
        return [read_keys(b.scan_keys(), keymap).code for b in self.scans]


@pytest.mark.parametrize("seed", range(20))
def test_scanner_speed_is_a_scan(seed: int) -> None:
    rng = random.Random(seed)
    run = Run(BurstDetector())
    run.feed(scanner(COPY, 1000, rng))
    assert run.codes() == [COPY]
    assert run.given == []  # nothing reached the widget, not even Enter
    assert run.scans[0].terminator is not None


@pytest.mark.parametrize("seed", range(20))
def test_human_speed_is_given_back_in_order(seed: int) -> None:
    rng = random.Random(seed)
    run = Run(BurstDetector())
    keys = scanner("bonjour 123", 1000, rng, gap=(45, 300))
    run.feed(keys)
    assert run.scans == []
    assert run.given == [key.token for key in keys]


def test_a_held_key_waits_no_longer_than_the_gap() -> None:
    detector = BurstDetector()
    assert detector.feed(press(0, "a")).give_back == ()
    assert detector.deadline_ms() == 40
    assert detector.tick(40).give_back == ()
    assert [k.token for k in detector.tick(41).give_back] == ["a"]
    assert not detector.holding


def test_the_gap_limit_is_40_ms() -> None:
    run = Run(BurstDetector(), tick_ms=1)
    run.feed([press(i * 39.0, c) for i, c in enumerate("12345")] + [enter(5 * 39.0)])
    assert run.codes() == ["12345"]
    run = Run(BurstDetector(), tick_ms=1)
    keys = [press(i * 41.0, c) for i, c in enumerate("12345")] + [enter(5 * 41.0)]
    run.feed(keys)
    assert run.scans == [] and run.given == [k.token for k in keys]


def test_a_short_burst_is_typing() -> None:
    run = Run(BurstDetector())
    keys = [press(0, "o"), press(8, "k"), enter(16)]
    run.feed(keys)
    assert run.scans == [] and run.given == ["o", "k", "Enter"]


def test_a_scanner_without_suffix_is_read_after_silence() -> None:
    rng = random.Random(1)
    run = Run(BurstDetector(), tick_ms=1)
    keys = scanner(ISBN, 0, rng, suffix=False)
    run.feed(keys, settle=99)
    assert run.scans == []  # still waiting: a scanner may pause between keys
    run.advance(keys[-1].at_ms + 101)
    assert run.codes() == [ISBN] and run.scans[0].terminator is None and run.given == []


def test_tab_suffix_is_a_terminator_too() -> None:
    run = Run(BurstDetector())
    keys = [press(i * 3.0, c) for i, c in enumerate(MEMBER)]
    run.feed([*keys, KeyInput(40, KeyKind.TERMINATOR, "\t", 23, token="Tab")])
    assert run.codes() == [MEMBER] and run.given == []


def test_dead_keys_and_accents_are_untouched() -> None:
    # ^ then e → ê, typed by a person: the dead key is given back at once (with anything
    # held before it), the composed letter after the gap, in order.
    detector = BurstDetector()
    dead = KeyInput(0, KeyKind.OTHER, "", token="dead^")
    assert [k.token for k in detector.feed(dead).give_back] == ["dead^"]
    e_hat = KeyInput(120, KeyKind.CHARACTER, "ê", 26, token="ê")
    assert detector.feed(e_hat).give_back == ()
    assert [k.token for k in detector.tick(200).give_back] == ["ê"]
    # Fast: "t" held, then a dead key: both given back in order right away.
    assert detector.feed(press(300, "t")).give_back == ()
    verdict = detector.feed(KeyInput(310, KeyKind.OTHER, "", token="dead¨"))
    assert [k.token for k in verdict.give_back] == ["t", "dead¨"]


def test_keys_no_scanner_sends_end_the_burst_and_keep_the_order() -> None:
    run = Run(BurstDetector())
    keys = [press(0, "1"), press(3, "2"), press(6, "3"), press(9, "4"),
            KeyInput(12, KeyKind.OTHER, "c", token="Ctrl+C"), press(15, "5"), enter(18)]
    run.feed(keys)
    assert run.scans == []
    assert run.given == ["1", "2", "3", "4", "Ctrl+C", "5", "Enter"]


def test_shift_and_releases_travel_with_the_held_keys() -> None:
    run = Run(BurstDetector())
    shift = KeyInput(0, KeyKind.MODIFIER, token="Shift")
    a_up = KeyInput(60, KeyKind.CHARACTER, "A", release=True, token="A up")
    shift_up = KeyInput(61, KeyKind.MODIFIER, release=True, token="Shift up")
    run.feed([shift, press(50, "A"), a_up, shift_up])
    assert run.given == ["Shift", "A", "A up", "Shift up"]
    run = Run(BurstDetector())
    keys = []
    for i, char in enumerate("AF12"):
        keys += [press(100 + i * 4.0, char),
                 KeyInput(101 + i * 4.0, KeyKind.CHARACTER, char, release=True, token="up")]
    run.feed([*keys, enter(120)])
    assert run.codes() == ["AF12"] and run.given == []


def test_typing_just_before_a_scan_is_given_back_first() -> None:
    rng = random.Random(3)
    run = Run(BurstDetector())
    run.feed([press(0, "x"), *scanner(COPY, 30 + 45, rng)])
    assert run.given == ["x"] and run.codes() == [COPY]


def test_back_to_back_scans_are_separate() -> None:
    rng = random.Random(4)
    run = Run(BurstDetector())
    first = scanner(COPY, 0, rng)
    second = scanner(MEMBER, first[-1].at_ms + 5, rng)
    run.feed(first + second)
    assert run.codes() == [COPY, MEMBER]


def test_flush_gives_everything_back() -> None:
    detector = BurstDetector()
    detector.feed(press(0, "1"))
    detector.feed(press(2, "2"))
    assert [k.token for k in detector.flush().give_back] == ["1", "2"]
    assert detector.tick(1000).give_back == ()


def test_detector_settings_are_checked() -> None:
    with pytest.raises(ValueError):
        BurstDetector(max_gap_ms=200, silence_ms=100)
    with pytest.raises(ValueError):
        BurstDetector(min_length=0)


# queue


def test_twenty_scans_a_second_for_a_minute_lose_nothing() -> None:
    """1,200 scans, one every 50 ms (simulated), each processed in 120 ms: the queue grows,
    every scan is processed once, in the order scanned."""
    rng = random.Random(7)
    detector, queue = BurstDetector(), ScanQueue()
    expected = [make_barcode("100", BarcodeKind.COPY, n) for n in range(1, 1201)]
    events: list[KeyInput] = []
    for index, code in enumerate(expected):
        events += scanner(code, index * 50.0, rng, gap=(2, 3))
    processed: list[str] = []
    busy_until = 0.0
    longest = 0

    def work(now: float) -> None:
        nonlocal busy_until
        if queue.busy and now >= busy_until:
            current = queue.current
            assert current is not None
            processed.append(current.code)
            queue.done()
        if not queue.busy and queue.take() is not None:
            busy_until = now + 120

    for key in events:
        work(key.at_ms)
        verdict = detector.feed(key)
        assert verdict.give_back == ()
        for burst in verdict.scans:
            queue.put(read_keys(burst.scan_keys(), Keymap.X11).code, burst.ended_ms)
        longest = max(longest, len(queue))
    now = events[-1].at_ms
    while len(queue):
        now += 10
        work(now)
    assert processed == expected
    assert longest > 100  # the queue really was used


def test_queue_numbers_and_order() -> None:
    queue = ScanQueue()
    assert queue.take() is None
    first, second = queue.put("a"), queue.put("b")
    assert (first.number, second.number) == (1, 2)
    assert queue.take() == first and queue.take() is None  # one at a time
    assert [s.code for s in queue] == ["a", "b"] and queue.waiting() == (second,)
    queue.done()
    assert queue.take() == second
    queue.done()
    assert len(queue) == 0
    with pytest.raises(RuntimeError):
        queue.done()


def test_repeat_guard() -> None:
    guard = RepeatGuard(2000)
    assert not guard.seen(COPY, 0)
    assert guard.seen(COPY, 1500)
    assert guard.seen(COPY, 1999)  # still within two seconds of the first sighting
    assert not guard.seen(COPY, 2001)
    assert not guard.seen(MEMBER, 2002)
    guard.forget(COPY)
    assert not guard.seen(COPY, 2003)
    for n in range(200):  # many codes: old ones are forgotten, recent ones kept
        guard.seen(str(n), 10_000 + n)
    assert guard.seen("199", 10_300)
