"""Decode source files the same way everywhere: UTF-8, BOM and CRLF tolerated."""

from __future__ import annotations

from pathlib import Path

from bimtek_kit.errors import Diagnostics, Loc

MAX_SOURCE_BYTES = 8 * 1024 * 1024
"""A single source file larger than this is refused rather than parsed (DESIGN §7)."""


def read_source(path: Path, loc: Loc, diagnostics: Diagnostics) -> str | None:
    """Return the file's text with a BOM stripped and newlines normalised, or None on error.

    Only a regular file is read, and at most `MAX_SOURCE_BYTES` of it: a module linked to
    `/dev/zero` (size 0 on disk) or a FIFO is an error, never a hang (issue #13).
    """
    from bimtek_kit.resources import ResourceError, read_regular_file

    try:
        data = read_regular_file(path, MAX_SOURCE_BYTES)
    except ResourceError:
        if not path.is_file():
            diagnostics.error(loc, "not a regular file (a device, FIFO or folder); "
                              "a source must be an ordinary text file")
            return None
        diagnostics.error(
            loc,
            f"file is {path.stat().st_size // 1024 // 1024} MB; the limit is "
            f"{MAX_SOURCE_BYTES // 1024 // 1024} MB per source file",
        )
        return None
    except OSError as exc:
        diagnostics.error(loc, f"cannot read file: {exc.strerror or exc}")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        diagnostics.error(
            loc.at(line),
            f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8",
        )
        return None
    return normalise_newlines(text)


def normalise_newlines(text: str) -> str:
    """Turn CRLF and lone CR into LF and drop NUL characters."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
