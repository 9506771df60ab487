"""`.bimtek/` at the project root: every cache of a build lives there, never in the package.

The package folder is a deliverable: it is copied to shared drives and zipped, and it is not
trusted (issue #12, #13). Caches are plain data the build checks before using (JSON with
versions and hashes); a cache that is missing, garbage, hostile or unwritable only costs time.
"""

from __future__ import annotations

from pathlib import Path

CACHE_DIR = ".bimtek"


def cache_folder(project_root: Path, create: bool = False) -> Path | None:
    """The project's cache folder, or None when it cannot be used safely.

    A symlinked `.bimtek` (or one inside it) could make the build write and delete outside the
    project, so it is not used; a read-only project simply builds without caches.
    """
    folder = project_root / CACHE_DIR
    if folder.is_symlink():
        return None
    if create:
        try:
            folder.mkdir(exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists() and not ignore.is_symlink():
                ignore.write_text("*\n", encoding="utf-8")
        except OSError:
            return None
    return folder if folder.is_dir() and not folder.is_symlink() else None


def safe_subfolder(folder: Path | None, name: str, create: bool = False) -> Path | None:
    """`folder/name` when it is a real folder (created on demand), never through a symlink."""
    if folder is None:
        return None
    sub = folder / name
    if sub.is_symlink():
        return None
    if create:
        try:
            sub.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
    return sub if sub.is_dir() and not sub.is_symlink() else None
