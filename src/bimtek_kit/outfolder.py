"""The output folder: where a package may go, who may write it, and how it is replaced.

A package (`OUT/<course>/`) is never changed in place. The build writes the complete new
package into a sibling staging folder (`OUT/.<course>.new-<pid>`), files it did not change
hard-linked from the old one, `manifest.json` last, and then switches the two folders in one
rename (`renameat2(RENAME_EXCHANGE)` on Linux). A kill, a full disk or a crash at any moment
leaves either the old package or the new one, each matching its manifest (issue #13). A lock
on `OUT` keeps two builds of one folder from interleaving; leftovers of a killed build are
removed by the next one.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bimtek_kit.errors import UsageError
from bimtek_kit.writer import MANIFEST, OutputError, create_exclusive, is_safe_relative, sha256

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

LEGACY_CACHES = (".parts", ".bimtek-model-cache", ".bimtek-cache.json")
"""Caches older versions kept inside the package; a new build drops them."""
SOURCE_FOLDERS = ("content", "themes", ".bimtek", ".git")
LOCK_WAIT_SECONDS = 600


def check_output_location(out_dir: Path, project_root: Path, option: str) -> None:
    """Refuse a package folder that is, holds or lies inside the project's sources.

    `bimtek build -o ..` in a folder named like the course would otherwise write the package
    over the project (and `--clean` would delete it).
    """
    package = out_dir.resolve()
    root = project_root.resolve()
    if package == root or root.is_relative_to(package):
        raise UsageError(
            f"{option}: the package folder {package} would be the project folder {root} "
            "or hold it; choose a folder outside the sources (the default is dist/)"
        )
    for name in SOURCE_FOLDERS:
        source = root / name
        if package.is_relative_to(source.resolve()):
            raise UsageError(
                f"{option}: the package folder {package} lies inside the project's {name}/ "
                "folder; choose a folder outside the sources (the default is dist/)"
            )
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise UsageError(
            f"{option}: {out_dir} is a file or a symlink, not a package folder; "
            "move it away or choose another folder"
        )
    parent = package.parent
    for folder in (parent, *parent.parents):
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"{option}: {folder} is a file, not a folder")


def foreign_files(out_dir: Path, manifest: dict | None) -> list[str]:
    """Files in the package folder that the previous manifest does not list as bimtek's."""
    if not out_dir.is_dir():
        return []
    ours = {e["path"] for e in (manifest or {}).get("files", [])} | {MANIFEST}
    found = []
    for path in _walk(out_dir):
        relative = path.relative_to(out_dir).as_posix()
        if relative.split("/", 1)[0] in LEGACY_CACHES and manifest is not None:
            continue
        if relative not in ours or path.is_symlink():
            found.append(relative)
    return sorted(found)


def _walk(folder: Path) -> Iterator[Path]:
    """Every file and symlink below `folder`, never following a symlinked folder."""
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        base = Path(dirpath)
        for name in filenames:
            yield base / name
        for name in dirnames:
            if (base / name).is_symlink():
                yield base / name


@dataclass
class Staging:
    """The new package, written beside the old one until `commit` switches them."""

    out_dir: Path
    folder: Path
    entries: dict[str, dict] = field(default_factory=dict)

    def add(self, relative: str, data: bytes, entry: dict, verified: bool = False) -> bool:
        """Put a file into the new package; True when its bytes differ from the old one.

        `verified`: the old file was just read and found equal to `data` (a reused job's
        output, checked by the job cache under the same lock), so it is linked unread.
        """
        target = self._target(relative)
        old = self.out_dir / relative
        self.entries[relative] = entry
        if verified and self.carry(relative):
            return False
        if not verified and _link_if_same(old, target, sha256(data)):
            return False
        create_exclusive(target, data)
        return True

    def carry(self, relative: str, entry: dict | None = None) -> bool:
        """Take a file over from the old package unchanged (hard link, else copy)."""
        old = self.out_dir / relative
        if old.is_symlink() or not old.is_file():
            return False
        target = self._target(relative)
        try:
            os.link(old, target, follow_symlinks=False)
        except OSError:
            shutil.copyfile(old, target, follow_symlinks=False)
        if entry is not None:
            self.entries[relative] = entry
        return True

    def _target(self, relative: str) -> Path:
        if not is_safe_relative(relative):
            raise OutputError(f"refusing to write '{relative}' outside the output folder")
        target = self.folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def commit(self, manifest: bytes) -> None:
        """Write the manifest last and switch the staging folder with the package."""
        create_exclusive(self.folder / MANIFEST, manifest)
        _sync_folder(self.folder)
        if self.out_dir.exists() or self.out_dir.is_symlink():
            _exchange(self.folder, self.out_dir)
            remove_tree(self.folder)
        else:
            os.rename(self.folder, self.out_dir)
        _sync_folder(self.out_dir.parent)

    def discard(self) -> None:
        remove_tree(self.folder)


def _link_if_same(old: Path, target: Path, digest: str) -> bool:
    try:
        if old.is_symlink() or not old.is_file() or sha256(old.read_bytes()) != digest:
            return False
        os.link(old, target, follow_symlinks=False)
    except OSError:
        return False
    return True


def _exchange(new: Path, current: Path) -> None:
    """Swap two folders atomically where the system can; else two renames, recovered later."""
    if _renameat2_exchange(new, current):
        return
    aside = current.parent / f".{current.name}.old-{os.getpid()}"
    os.rename(current, aside)
    os.rename(new, current)
    os.rename(aside, new)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2_exchange(first: Path, second: Path) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                       _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _sync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def is_current(out_dir: Path, manifest: bytes) -> bool:
    """True when the package already is exactly what `manifest` describes (nothing to switch).

    Called after staging linked every unchanged file, so equal manifests mean equal files;
    leftover caches of an older version still make the package out of date.
    """
    try:
        same = (out_dir / MANIFEST).read_bytes() == manifest
    except OSError:
        return False
    return same and not any((out_dir / name).exists() for name in LEGACY_CACHES)


def remove_tree(path: Path) -> None:
    """Delete a folder the build made; a symlink is unlinked, never followed."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


def staging_folder(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.new-{os.getpid()}"


def recover(out_dir: Path) -> None:
    """Undo what a killed build left beside the package (call with the lock held).

    Only the two-rename fallback can leave the package moved aside; the staging folders of
    killed builds are simply deleted.
    """
    leftovers = sorted(out_dir.parent.glob(f".{out_dir.name}.new-*"))
    asides = sorted(out_dir.parent.glob(f".{out_dir.name}.old-*"))
    if not out_dir.exists() and asides:
        os.rename(asides.pop(), out_dir)
    for path in (*leftovers, *asides):
        remove_tree(path)


@contextlib.contextmanager
def locked(out_root: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold an exclusive lock on the output folder `OUT` while a build writes into it."""
    if os.name == "posix":
        import fcntl

        fd = os.open(out_root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            _acquire(lambda: fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB), out_root, wait)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock, also when killed
        return
    with _lock_file(out_root / ".bimtek.lock", wait):
        yield


@contextlib.contextmanager
def _lock_file(path: Path, wait: float) -> Iterator[None]:
    """Windows: a byte-range lock on `OUT/.bimtek.lock`; the system drops it when the owner
    dies, so a killed build never leaves a stale lock."""
    import msvcrt

    fd = os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o644)

    def take() -> None:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            raise BlockingIOError from None

    try:
        _acquire(take, path.parent, wait)
        yield
    finally:
        os.close(fd)


def _acquire(attempt, where: Path, wait: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + wait
    announced = False
    while True:
        try:
            attempt()
            return
        except (BlockingIOError, PermissionError):
            if time.monotonic() > deadline:
                raise OutputError(
                    f"another bimtek build is writing into {where}; try again when it is done"
                ) from None
            if not announced:
                print(f"waiting for another bimtek build writing into {where} ...",
                      file=sys.stderr)
                announced = True
            time.sleep(0.1)


def describe_os_error(error: OSError, where: Path) -> str:
    """A message for a failed write that says what happened and that nothing was lost."""
    reason = error.strerror or str(error)
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = "the disk is full"
    elif error.errno in (errno.EROFS,):
        reason = "the file system is read-only"
    elif error.errno in (errno.EACCES, errno.EPERM):
        reason = "permission denied"
    return f"cannot write the package into {where}: {reason}; the previous package is unchanged"


def prepare_out_root(out_root: Path, option: str) -> None:
    """Create `OUT` or explain, without a traceback, why it cannot be."""
    if out_root.exists() and not out_root.is_dir():
        raise UsageError(f"{option}: {out_root} is a file, not a folder")
    try:
        out_root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            f"{option}: cannot create the output folder {out_root}: "
            f"{error.strerror or error}"
        ) from None
    if not os.access(out_root, os.W_OK):
        raise OutputError(f"{option}: the output folder {out_root} is not writable")

