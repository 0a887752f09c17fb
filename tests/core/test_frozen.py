"""quick_init makes the same objects as a frozen dataclass's own __init__, only faster, and
refuses the dataclasses it could get wrong."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass, field
from typing import Any

import pytest

from mediatheque.catalogue.copies import CopyInput
from mediatheque.catalogue.records import RecordInput
from mediatheque.frozen import quick_init


@dataclass(frozen=True)
class Plain:
    name: str
    size: int = 3
    tags: tuple[str, ...] = ()
    extra: dict[str, int] = field(default_factory=dict, compare=False)


@quick_init
@dataclass(frozen=True)
class Quick:  # the same fields as Plain
    name: str
    size: int = 3
    tags: tuple[str, ...] = ()
    extra: dict[str, int] = field(default_factory=dict, compare=False)


@pytest.mark.parametrize(("args", "kwargs"), [
    (("a",), {}),
    (("a", 5), {"tags": ("x",)}),
    ((), {"name": "b", "extra": {"k": 1}}),
])
def test_same_fields_as_the_dataclass_init(args: tuple[Any, ...],
                                           kwargs: dict[str, Any]) -> None:
    made, reference = Quick(*args, **kwargs), Plain(*args, **kwargs)
    assert vars(made) == vars(reference)
    assert list(vars(made)) == list(vars(reference))  # the fields' order, for repr and pickle


def test_defaults_and_factories() -> None:
    first, second = Quick("a"), Quick("a")
    assert first.extra == {} and first.extra is not second.extra  # a new dict each time
    assert first == second and hash(first) == hash(second)


def test_still_frozen_comparable_replaceable_picklable() -> None:
    made = Quick("a", 4, ("t",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.name = "b"  # type: ignore[misc]
    changed = dataclasses.replace(made, size=9)
    assert (changed.name, changed.size, changed.tags) == ("a", 9, ("t",))
    assert pickle.loads(pickle.dumps(made)) == made
    assert repr(made) == "Quick(name='a', size=4, tags=('t',), extra={})"


def test_wrong_arguments_are_refused_as_before() -> None:
    with pytest.raises(TypeError):
        Quick()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Quick("a", colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Quick("a", 1, (), {}, "too many")  # type: ignore[call-arg]


def test_the_catalogue_inputs_use_it() -> None:
    record = RecordInput(title="Les Misérables", year=1862)
    assert record.audience == "unknown" and record.contributors == ()
    assert CopyInput(barcode="B1").status == "available"
    assert RecordInput.__init__.__qualname__ == "RecordInput.__init__"


def _refused(cls: type) -> None:
    with pytest.raises(TypeError, match="quick_init"):
        quick_init(cls)


def test_dataclasses_it_cannot_speed_up_are_refused() -> None:
    @dataclass
    class Mutable:
        name: str

    @dataclass(frozen=True)
    class Checked:
        name: str

        def __post_init__(self) -> None:
            pass

    @dataclass(frozen=True, slots=True)
    class Slotted:
        name: str

    @dataclass(frozen=True, kw_only=True)
    class KeywordOnly:
        name: str

    @dataclass(frozen=True)
    class Derived:
        name: str
        length: int = field(init=False, default=0)

    for cls in (Mutable, Checked, Slotted, KeywordOnly, Derived, int):
        _refused(cls)
