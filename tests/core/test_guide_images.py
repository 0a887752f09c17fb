"""The user guide's screenshots: every image a guide shows exists, and tools/guide_images.py
knows how to redraw it (without drawing anything: no Qt here)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "guide"


def _guide_images() -> ModuleType:
    spec = importlib.util.spec_from_file_location("guide_images",
                                                  ROOT / "tools" / "guide_images.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("guide_images", module)
    spec.loader.exec_module(module)
    return module


def test_every_image_a_guide_shows_is_in_the_images_folder() -> None:
    wanted = _guide_images().referenced_images(GUIDE)
    assert {"fr.md", "ru.md"} <= {guide for guides in wanted.values() for guide in guides}
    missing = sorted(name for name in wanted if not (GUIDE / "images" / name).is_file())
    assert missing == []


def test_every_image_a_guide_shows_is_redrawn_by_the_script() -> None:
    module = _guide_images()
    redrawn = {ours.format(lang=language)
               for tool in module.TOOLS for language in tool.languages
               for ours in tool.pictures.values()}
    assert sorted(set(module.referenced_images(GUIDE)) - redrawn) == []


def test_images_are_read_from_the_markdown(tmp_path: Path) -> None:
    (tmp_path / "fr.md").write_text(
        "# Guide\n\n![La banque](images/desk-fr.png)\n\nTexte ![x](images/a-b.png) et "
        "[un lien](https://example.invalid/images/no.png).\n", encoding="utf-8")
    (tmp_path / "ru.md").write_text("![Кафедра](images/desk-ru.png)\n", encoding="utf-8")
    assert _guide_images().referenced_images(tmp_path) == {
        "desk-fr.png": ["fr.md"], "a-b.png": ["fr.md"], "desk-ru.png": ["ru.md"]}
