"""The last pipeline stage: files and `manifest.json` of the new package (DESIGN §4, §7).

The output folder is not trusted (issue #13): it may hold someone else's files, planted
symlinks or a forged manifest. So every file is created with `O_EXCL | O_NOFOLLOW`, manifest
paths are checked when read, and a package is never changed in place: the new one is written
into a sibling folder (`package.py`) and switched with the old one in one rename.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from bimtek_kit import __version__
from bimtek_kit.errors import BimtekError
from bimtek_kit.render.base import Artifact

MANIFEST = "manifest.json"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)


class OutputError(BimtekError):
    """The output folder cannot be written safely."""


def create_exclusive(path: Path, data: bytes, sync: bool = True) -> None:
    """Create `path` (which must not exist, and is never followed as a symlink) holding `data`."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY, 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a fresh temporary file in the same folder and `os.replace`.

    The temporary name is random and created exclusively, so a planted `.x.tmp` symlink can
    neither be followed nor make the write land elsewhere.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    create_exclusive(temp, data)
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def is_safe_relative(relative: object) -> bool:
    """True for a plain relative path with `/`: no `..`, no absolute path, no drive, no NUL."""
    if not isinstance(relative, str) or not relative or len(relative) > 1024:
        return False
    if "\\" in relative or "\x00" in relative or ":" in relative or relative.startswith("/"):
        return False
    parts = PurePosixPath(relative).parts
    return bool(parts) and all(part not in ("", ".", "..") for part in parts) and (
        "/".join(parts) == relative
    )


def safe_target(out_dir: Path, relative: str) -> Path:
    """Return `out_dir/relative`, refusing anything that would land outside `out_dir`."""
    if not is_safe_relative(relative):
        raise OutputError(f"refusing to write '{relative}' outside the output folder")
    target = out_dir / relative
    if not target.resolve().is_relative_to(out_dir.resolve()):
        raise OutputError(f"refusing to write '{relative}' outside the output folder")
    return target


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(out_dir: Path) -> dict | None:
    """Return the previous build's manifest, or None when there is none or it is not ours.

    Entries are kept only when they are well formed: a string path that stays inside the
    folder, a sha256 and a size. A forged `../../etc/passwd` entry is dropped here, so neither
    the writer nor `--zip` ever touches it.
    """
    path = out_dir / MANIFEST
    try:
        if path.is_symlink():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or data.get("generator") != "bimtek-kit":
        return None
    files = data.get("files")
    data["files"] = [e for e in files if _valid_entry(e)] if isinstance(files, list) else []
    return data


def _valid_entry(entry: object) -> bool:
    return (
        isinstance(entry, dict)
        and is_safe_relative(entry.get("path"))
        and isinstance(entry.get("sha256"), str)
        and isinstance(entry.get("size"), int)
    )


def manifest_bytes(course_title: str, slug: str, entries: Iterable[dict]) -> bytes:
    manifest = {
        "generator": "bimtek-kit",
        "version": __version__,
        "course": {"title": course_title, "slug": slug},
        "files": sorted(entries, key=lambda e: e["path"]),
    }
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def manifest_entry(artifact: Artifact, audience: str | None = None) -> dict:
    entry = {
        "path": artifact.path,
        "kind": artifact.kind,
        "sha256": sha256(artifact.data),
        "size": len(artifact.data),
        "sources": sorted(artifact.sources),
    }
    if audience:
        entry["audience"] = audience
    return entry


def write_artifacts(out_dir: Path, artifacts: Iterable[Artifact]) -> list[str]:
    """Write each artifact into `out_dir`; return the paths whose bytes changed.

    Used for folders the build owns outright (the staging folder, the parts cache).
    """
    written = []
    for artifact in artifacts:
        target = safe_target(out_dir, artifact.path)
        if _same_file(target, artifact.data):
            continue
        atomic_write(target, artifact.data)
        written.append(artifact.path)
    return written


def _same_file(target: Path, data: bytes) -> bool:
    try:
        return (
            not target.is_symlink()
            and target.is_file()
            and target.stat().st_size == len(data)
            and sha256(target.read_bytes()) == sha256(data)
        )
    except OSError:
        return False
