"""The last pipeline stage: atomic file writes and `manifest.json` (DESIGN §4, §7).

Every file goes to a temporary name in its final folder and is renamed over the old one, so a
reader never sees half a file and a failed build leaves the previous package intact.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from bimtek_kit import __version__
from bimtek_kit.errors import BimtekError
from bimtek_kit.render.base import PARTS_DIR, Artifact

MANIFEST = "manifest.json"


class OutputError(BimtekError):
    """The output folder cannot be written safely."""


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file in the same folder and `os.replace`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def safe_target(out_dir: Path, relative: str) -> Path:
    """Return `out_dir/relative`, refusing anything that would land outside `out_dir`."""
    target = (out_dir / relative).resolve()
    if not target.is_relative_to(out_dir.resolve()) or "\x00" in relative:
        raise OutputError(f"refusing to write '{relative}' outside the output folder")
    return target


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(out_dir: Path) -> dict | None:
    """Return the previous build's manifest, or None when there is none or it is unreadable."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("generator") == "bimtek-kit" else None


def manifest_bytes(course_title: str, slug: str, entries: Iterable[dict]) -> bytes:
    manifest = {
        "generator": "bimtek-kit",
        "version": __version__,
        "course": {"title": course_title, "slug": slug},
        "files": sorted(entries, key=lambda e: e["path"]),
    }
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def manifest_entry(artifact: Artifact) -> dict:
    return {
        "path": artifact.path,
        "kind": artifact.kind,
        "sha256": sha256(artifact.data),
        "size": len(artifact.data),
        "sources": sorted(artifact.sources),
    }


def write_artifacts(out_dir: Path, artifacts: Iterable[Artifact]) -> list[str]:
    """Write each artifact atomically; return the paths written (files whose bytes changed)."""
    written = []
    for artifact in artifacts:
        target = safe_target(out_dir, artifact.path)
        if (
            target.is_file()
            and target.stat().st_size == len(artifact.data)
            and sha256(target.read_bytes()) == sha256(artifact.data)
        ):
            continue
        atomic_write(target, artifact.data)
        written.append(artifact.path)
    return written


def prune_parts(out_dir: Path, keep: set[str]) -> None:
    """Delete intermediate part files this build neither produced nor reused."""
    folder = out_dir / PARTS_DIR
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.relative_to(out_dir).as_posix() not in keep:
            path.unlink()


def remove_stale(out_dir: Path, previous: dict | None, keep: set[str]) -> list[str]:
    """Delete files the previous manifest listed that this build no longer produces."""
    removed = []
    for entry in (previous or {}).get("files", []):
        relative = entry.get("path", "")
        if not isinstance(relative, str) or relative in keep:
            continue
        try:
            target = safe_target(out_dir, relative)
        except OutputError:
            continue
        if target.is_file():
            target.unlink()
            removed.append(relative)
    return removed
