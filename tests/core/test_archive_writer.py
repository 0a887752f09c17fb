"""The export's background ZIP writer: entries and checksums right, a failure of the
writer handed to the producer, nothing blocked."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from mediatheque.exchange.archive_writer import StreamingArchive


def _archive(tmp_path: Path) -> StreamingArchive:
    return StreamingArchive(tmp_path / "p.zip", streamed="big.xml",
                            spooled=("a.mrc", "b.csv"), spool_dir=tmp_path)


def test_streamed_and_spooled_entries_with_their_checksums(tmp_path: Path) -> None:
    archive = _archive(tmp_path)
    chunks = {"big.xml": [b"<x>" * 50_000, b"</x>"], "a.mrc": [b"\x1d" * 10, b"abc"],
              "b.csv": [b"\xef\xbb\xbfbarcode\r\n"]}
    for number in range(2):
        for entry, parts in chunks.items():
            if number < len(parts):
                archive.write(entry, parts[number])
    entries = archive.finish()
    archive.add("manifest.json", b"{}")
    archive.close()
    with zipfile.ZipFile(tmp_path / "p.zip") as result:
        assert result.namelist() == ["big.xml", "a.mrc", "b.csv", "manifest.json"]
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in result.infolist())
        assert result.getinfo("big.xml").date_time[0] >= 2024
        for entry, parts in chunks.items():
            data = b"".join(parts)
            assert result.read(entry) == data
            assert entries[entry] == {"bytes": len(data),
                                      "sha256": hashlib.sha256(data).hexdigest()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.zip"]  # spools removed


def test_a_failure_of_the_writer_reaches_the_producer(tmp_path: Path) -> None:
    archive = _archive(tmp_path)
    archive.write("unknown.txt", b"x")  # the writer thread fails on it (no such entry)
    with pytest.raises(KeyError):
        for _ in range(100):  # later writes never block: the writer keeps draining
            archive.write("big.xml", b"y" * 1000)
        archive.finish()
    archive.abort()  # idempotent after a failure


def test_entries_deflated_while_spooled_are_valid_zip_members(tmp_path: Path) -> None:
    """The spooled entries are deflated as they arrive and copied in at the end: the
    archive must read back with its CRCs, through zipfile and through `unzip -t`."""
    archive = _archive(tmp_path)
    random = __import__("random").Random(7)
    mrc = [bytes(random.randrange(256) for _ in range(5000)) + b"\x1d" * 20_000
           for _ in range(40)]
    for chunk in mrc:
        archive.write("a.mrc", chunk)
        archive.write("big.xml", b"<record/>" * 1000)
        archive.write("b.csv", "barcode;titre é\r\n".encode() * 300)
    archive.finish()
    archive.close()
    with zipfile.ZipFile(tmp_path / "p.zip") as result:
        assert result.testzip() is None
        assert result.read("a.mrc") == b"".join(mrc)
        info = result.getinfo("a.mrc")
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert info.compress_size < info.file_size  # deflated, not stored
        assert result.read("b.csv").count("é".encode()) == 40 * 300
    if shutil.which("unzip"):
        checked = subprocess.run(["unzip", "-t", str(tmp_path / "p.zip")],
                                 capture_output=True, text=True, check=False)
        assert checked.returncode == 0, checked.stdout
        assert "No errors detected" in checked.stdout
