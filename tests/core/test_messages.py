"""Every typed error of the core has its own sentence for people, in every language."""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path

import pytest

from mediatheque import errors
from mediatheque.i18n import LANGUAGES, _, language
from mediatheque.messages import describe_error

SAMPLES: dict[object, object] = {str: "sample", int: 3, float: 1.5, Path: Path("/tmp/sample")}


def _all_errors() -> list[type[errors.MediathequeError]]:
    found = []
    pending = list(errors.MediathequeError.__subclasses__())
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending += cls.__subclasses__()
    return sorted(found, key=lambda cls: cls.__name__)


def _sample(cls: type[errors.MediathequeError]) -> errors.MediathequeError:
    hints = typing.get_type_hints(cls)
    values = {}
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        hint = hints[field.name]
        options = [a for a in typing.get_args(hint) if a is not type(None)] or [hint]
        values[field.name] = SAMPLES.get(options[0], "sample")
    return cls(**values)


@pytest.mark.parametrize("cls", _all_errors(), ids=lambda cls: cls.__name__)
def test_each_error_has_its_own_sentence(cls: type[errors.MediathequeError]) -> None:
    error = _sample(cls)
    for lang in LANGUAGES:
        with language(lang):
            text = describe_error(error)
            generic = _("The operation failed ({code}).").format(code=error.code)
        assert text and text != generic, f"{cls.__name__} has no message in {lang}"
