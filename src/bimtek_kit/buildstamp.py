"""The no-op short cut: a build that would change nothing can tell so from file stats alone.

Loading a course (YAML, Markdown, the checked model cache), the theme and every renderer's job
keys costs a no-op build of the default course about 0.6 s; statting the files it may read costs
a few milliseconds. So after each successful build `record()` writes `.bimtek/last-build.json`:
the options, a fingerprint (path, size, mtime) of every file the build may read — the project
tree, the built-in themes, the tool's own code, the installed libraries' folder — and of every
file in the package folder and its zips, with the summary and warnings that build printed.
The next build with the same options and fingerprints replays that summary and stops
(`unchanged()`), like make's timestamp check.

Anything different — one mtime or size, a file more or less in the project or in the package, a
staging folder left by a killed build, another option or SOURCE_DATE_EPOCH — takes the normal
path, which checks every job key, so the short cut only ever skips work the normal path would
have found unchanged. A file edited while a build runs, or within two seconds of its end, makes
that build leave no stamp (a coarse file-system clock could not tell the edit apart). The stamp
is data, checked before use: anything malformed is ignored. Only the standard library is used
here, so the CLI can ask before it imports the loader and the renderers.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import sysconfig
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bimtek_kit.cachedir import cache_folder
from bimtek_kit.errors import Diagnostic, Diagnostics, Loc, Severity

if TYPE_CHECKING:
    from bimtek_kit.commands.buildtypes import BuildOptions, BuildReport

STAMP = "last-build.json"
VERSION = 1
MAX_ENTRIES = 20_000
"""Projects with more files than this are not fingerprinted (the walk would cost more than the
no-op it saves); they always take the normal path."""
SETTLE_NS = 2_000_000_000
"""Files modified this recently when a build ends leave no stamp (FAT's clock ticks 2 s)."""
SKIPPED_NAMES = frozenset({"__pycache__", "node_modules"})


class TooMany(Exception):
    """The walk passed MAX_ENTRIES."""


def _walk(folder: Path, skip: frozenset[Path], lines: list[str], base: Path) -> None:
    """Append `path size mtime` for every entry under `folder`, hidden ones and `skip` aside.

    Hidden folders (.git, .bimtek, .venv) are never read by a build: sources, themes and
    rosters are visible files.
    """
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        lines.append(f"{folder.relative_to(base).as_posix()}/ unreadable")
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name in SKIPPED_NAMES:
            continue
        path = Path(entry.path)
        if path in skip:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if len(lines) >= MAX_ENTRIES:
            raise TooMany
        relative = path.relative_to(base).as_posix()
        if entry.is_dir(follow_symlinks=False):
            lines.append(f"{relative}/")
            _walk(path, skip, lines, base)
        else:
            lines.append(f"{relative} {info.st_size} {info.st_mtime_ns}")


def _tree(folder: Path, skip: frozenset[Path] = frozenset()) -> list[str]:
    lines: list[str] = []
    if folder.is_dir():
        _walk(folder, skip, lines, folder)
    return lines


def _package_tree(folder: Path) -> list[str]:
    """Every file of the package folder, hidden ones included (nothing may differ there)."""
    lines = []
    for current, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = Path(current, name)
            info = path.lstat()
            lines.append(f"{path.relative_to(folder).as_posix()} {info.st_size} "
                         f"{info.st_mtime_ns}")
            if len(lines) >= MAX_ENTRIES:
                raise TooMany
    return lines


def _digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogateescape")).hexdigest()


def out_root(options: BuildOptions) -> Path:
    return (options.out_dir or options.root / "dist").resolve()


def input_lines(options: BuildOptions) -> list[str] | None:
    """What the build may read: the project (without its output folder), the built-in themes,
    bimtek's own code and the folder of the installed libraries; None when too large."""
    from bimtek_kit.paths import builtin_themes_dir

    root = options.root.resolve()
    code = Path(__file__).resolve().parent
    try:
        lines = [f"project {root}", *_tree(root, frozenset({out_root(options)}))]
        lines += ["themes", *_tree(builtin_themes_dir().resolve())]
        lines += ["code", *_tree(code)]
    except TooMany:
        return None
    libraries = Path(sysconfig.get_paths()["purelib"])
    with contextlib.suppress(OSError):
        lines.append(f"libraries {libraries} {libraries.stat().st_mtime_ns}")
    lines.append(f"python {sys.version}")
    lines.append(f"SOURCE_DATE_EPOCH={os.environ.get('SOURCE_DATE_EPOCH', '')}")
    return lines


def inputs_fingerprint(options: BuildOptions) -> str | None:
    lines = input_lines(options)
    return None if lines is None else _digest(lines)


def _newest_ns(lines: list[str]) -> int:
    """The newest mtime among the fingerprinted files (for the settle check)."""
    stamps = (line.rsplit(" ", 1)[-1] for line in lines if not line.endswith("/"))
    return max((int(t) for t in stamps if t.isdigit()), default=0)


def outputs_fingerprint(out_dir: Path, zip_paths: list[Path]) -> str | None:
    """The package folder as it is on disk, its zips, and no leftovers of a killed build."""
    parent = out_dir.parent
    try:
        leftovers = sorted(p.name for p in parent.glob(f".{out_dir.name}.*"))
        lines = [f"package {out_dir}", *_package_tree(out_dir), *leftovers]
        for path in sorted(zip_paths):
            info = path.lstat()
            lines.append(f"zip {path} {info.st_size} {info.st_mtime_ns}")
    except (OSError, TooMany):
        return None
    return _digest(lines)


def options_key(options: BuildOptions) -> dict[str, Any]:
    """The options that change what a build makes (--jobs and --force do not)."""
    return {
        "root": str(options.root.resolve()),
        "out": str(out_root(options)),
        "only": sorted(options.only or []),
        "modules": sorted(options.modules or []),
        "strict": options.strict,
        "variants": options.variants,
        "zip": options.zip,
    }


def record(options: BuildOptions, report: BuildReport, before: str | None) -> None:
    """Write the stamp of a successful build, unless its inputs moved while it ran."""
    folder = cache_folder(options.root.resolve())
    if folder is None or before is None or options.clean:
        return
    stamp = folder / STAMP
    with contextlib.suppress(OSError):
        stamp.unlink(missing_ok=True)
    lines = input_lines(options)
    if lines is None or _digest(lines) != before:
        return
    if time.time_ns() - _newest_ns(lines) < SETTLE_NS:
        return
    outputs = outputs_fingerprint(report.out_dir, report.zip_paths)
    if outputs is None:
        return
    data = {
        "version": VERSION,
        "options": options_key(options),
        "inputs": before,
        "outputs": outputs,
        "out_dir": str(report.out_dir),
        "zips": [str(p) for p in report.zip_paths],
        "kinds": list(report.kinds),
        "planned": report.planned,
        "files": sorted({*report.rendered, *report.reused}),
        "diagnostics": [[d.loc.path, d.loc.line, d.message, d.severity.value]
                        for d in report.diagnostics],
    }
    temporary = folder / f".{STAMP}.{os.getpid()}.tmp"
    with contextlib.suppress(OSError):
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        descriptor = os.open(temporary, flags, 0o644)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        os.replace(temporary, stamp)


def unchanged(options: BuildOptions) -> BuildReport | None:
    """The report of the last build when nothing it depends on has changed since, else None."""
    if options.clean:
        return None
    data = _read_stamp(options)
    if data is None or data["options"] != options_key(options):
        return None
    out_dir = Path(data["out_dir"])
    zips = [Path(p) for p in data["zips"]]
    if outputs_fingerprint(out_dir, zips) != data["outputs"]:
        return None
    if inputs_fingerprint(options) != data["inputs"]:
        return None
    from bimtek_kit.commands.buildtypes import BuildReport

    diagnostics = Diagnostics()
    for path, line, message, severity in data["diagnostics"]:
        diagnostics.items.append(Diagnostic(Loc(path, line), message, Severity(severity)))
    return BuildReport(out_dir, data["kinds"], data["planned"], reused=data["files"],
                       zip_paths=zips, diagnostics=diagnostics)


def _read_stamp(options: BuildOptions) -> dict[str, Any] | None:
    folder = cache_folder(options.root.resolve())
    if folder is None:
        return None
    try:
        with open(folder / STAMP, "rb") as handle:
            data = json.loads(handle.read(1 << 22))
    except (OSError, ValueError):
        return None
    return data if _well_formed(data) else None


def _well_formed(data: Any) -> bool:  # noqa: ANN401
    """Type-check every field before any of it is used (the stamp is not code, and not trusted)."""
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return False
    strings = ("inputs", "outputs", "out_dir")
    lists = ("zips", "kinds", "files", "diagnostics")
    if not all(isinstance(data.get(k), str) for k in strings):
        return False
    if not all(isinstance(data.get(k), list) for k in lists):
        return False
    if not isinstance(data.get("options"), dict) or not isinstance(data.get("planned"), int):
        return False
    if not all(isinstance(v, str) for k in ("zips", "kinds", "files") for v in data[k]):
        return False
    severities = {s.value for s in Severity}
    return all(
        isinstance(d, list) and len(d) == 4 and isinstance(d[0], str)
        and (d[1] is None or isinstance(d[1], int)) and isinstance(d[2], str)
        and d[3] in severities
        for d in data["diagnostics"]
    )
