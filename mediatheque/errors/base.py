"""The base of every error the core raises on purpose."""

from __future__ import annotations

from typing import ClassVar


class MediathequeError(Exception):
    """Base of every error the core raises on purpose. `code` is stable (CLI.md)."""

    code: ClassVar[str] = "error"

    def details(self) -> dict[str, object]:
        """Machine-readable data for JSON output."""
        return {}
