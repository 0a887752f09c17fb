"""Regenerates every screenshot the user guide shows (docs/guide/images/), from the real
application, so that the guide stays current.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python tools/guide_images.py
        [--out DIR] [--keep DIR]           (or: make guide-images)

Runs the screenshot tools of tools/ (screenshot.py, screenshot_pages.py,
screenshot_catalogue.py, screenshot_printing.py, screenshot_exchange.py), each in its own
process, into a scratch folder, then copies the pictures the guides use under the names the
guides give them. Without a display the tools draw offscreen (the fonts may then differ from a
real desktop). Fails, naming them, when an image that docs/guide/*.md references is not produced
(a page renamed, a tool that broke) or when a tool fails; lists every file it wrote.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "guide"
IMAGE = re.compile(r"!\[[^\]]*\]\((images/[^)\s]+)\)")
LANGUAGES = ("fr", "ru")


@dataclass(frozen=True)
class Tool:
    """One screenshot tool: its script and arguments, and which of its pictures become which
    guide image ({lang} is replaced by each language the tool is run for)."""

    script: str
    arguments: tuple[str, ...]
    pictures: dict[str, str]  # the tool's file name -> the guide's file name
    languages: tuple[str, ...] = LANGUAGES
    one_language_per_run: bool = False


TOOLS = (
    Tool("screenshot.py", ("--lang", *LANGUAGES), {"first-run-{lang}.png": "first-run-{lang}.png"}),
    Tool("screenshot_pages.py", ("--lang", *LANGUAGES), {
        "{lang}-desk-member.png": "desk-{lang}.png",  # a member open, a copy just lent
        "{lang}-members.png": "members-{lang}.png",
        "{lang}-reports.png": "reports-{lang}.png",
    }),
    Tool("screenshot_catalogue.py", ("--lang", *LANGUAGES), {
        "catalogue-{lang}.png": "catalogue-{lang}.png",
        "record-editor-{lang}.png": "record-editor-{lang}.png",
    }),
    Tool("screenshot_printing.py", (), {
        "card-preview.png": "cards-preview-{lang}.png",
        "label-dialog.png": "labels-dialog-{lang}.png",
    }, languages=("fr",), one_language_per_run=True),
    Tool("screenshot_exchange.py", (), {
        "exchange-import-new-{lang}.png": "exchange-import-{lang}.png",
    }, languages=("fr",), one_language_per_run=True),
)


def referenced_images(guide: Path = GUIDE) -> dict[str, list[str]]:
    """The image files the guides show: file name -> the guides (fr.md, ru.md…) showing it."""
    found: dict[str, list[str]] = {}
    for markdown in sorted(guide.glob("*.md")):
        for match in IMAGE.finditer(markdown.read_text(encoding="utf-8")):
            found.setdefault(Path(match.group(1)).name, []).append(markdown.name)
    return found


def run(tool: Tool, scratch: Path) -> dict[str, Path]:
    """Runs one tool into its own scratch folder: guide file name -> the picture produced."""
    produced: dict[str, Path] = {}
    runs = ([(language,) for language in tool.languages] if tool.one_language_per_run
            else [tool.languages])
    for languages in runs:
        out = scratch / Path(tool.script).stem / "-".join(languages)
        out.mkdir(parents=True, exist_ok=True)
        arguments = list(tool.arguments)
        if tool.one_language_per_run:
            arguments += ["--lang", languages[0]]
        command = [sys.executable, str(ROOT / "tools" / tool.script), "--out", str(out),
                   *arguments]
        print("running", " ".join(command[1:]), flush=True)
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            sys.stderr.write(result.stdout + result.stderr)
            raise SystemExit(f"{tool.script} failed (exit code {result.returncode})")
        for language in languages:
            for theirs, ours in tool.pictures.items():
                picture = out / theirs.format(lang=language)
                if picture.exists():
                    produced[ours.format(lang=language)] = picture
    return produced


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=GUIDE / "images",
                        help="where to write the images (default: docs/guide/images)")
    parser.add_argument("--keep", type=Path,
                        help="keep every picture the tools drew in this folder (to look at them)")
    args = parser.parse_args()
    wanted = referenced_images()
    if not wanted:
        raise SystemExit(f"no image referenced by {GUIDE}/*.md")
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="mediatheque-guide-images-"))
    produced: dict[str, Path] = {}
    try:
        for tool in TOOLS:
            produced |= run(tool, scratch)
        missing = sorted(set(wanted) - set(produced))
        if missing:
            for name in missing:
                print(f"NOT PRODUCED: {name} (shown in {', '.join(wanted[name])})",
                      file=sys.stderr)
            raise SystemExit(f"{len(missing)} image(s) of the guide not produced: "
                             "update TOOLS in tools/guide_images.py")
        args.out.mkdir(parents=True, exist_ok=True)
        for name in sorted(wanted):
            target = args.out / name
            shutil.copyfile(produced[name], target)
            print("wrote", target)
        print(f"{len(wanted)} image(s) written to {args.out}")
    finally:
        if args.keep is None:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
