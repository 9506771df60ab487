"""`bimtek build`: load -> model -> render -> write, gathering everything before writing anything.

Phases (like mkdocs' build): first load and validate every source and render every artifact in
memory; only when all of that succeeded, write the files atomically and the manifest last. A
failure anywhere before the write phase leaves the previous package untouched.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bimtek_kit import render
from bimtek_kit.errors import ContentError, Diagnostics, UsageError, did_you_mean
from bimtek_kit.loader import load_course
from bimtek_kit.render import Artifact, Job, RenderContext
from bimtek_kit.themes import load_theme
from bimtek_kit.writer import (
    MANIFEST,
    atomic_write,
    manifest_bytes,
    manifest_entry,
    read_manifest,
    remove_stale,
    write_artifacts,
)


@dataclass
class BuildOptions:
    root: Path
    out_dir: Path | None = None
    only: list[str] | None = None
    modules: list[str] | None = None
    strict: bool = False
    variants: int = 1


@dataclass
class BuildReport:
    out_dir: Path
    kinds: list[str]
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    seconds: float = 0.0


ProgressHook = Callable[[Job, int, int], None]


def source_date_epoch(course_start: object = None) -> int:
    """Timestamp for document metadata: SOURCE_DATE_EPOCH, else a constant (never the clock)."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return int(value)
    return 946684800  # 2000-01-01T00:00:00Z


def select_kinds(only: list[str] | None) -> list[str]:
    kinds = render.available()
    if not only:
        return kinds
    unknown = [k for k in only if k not in kinds]
    if unknown:
        names = ", ".join(kinds) or "(none yet)"
        raise UsageError(
            f"unknown output kind '{unknown[0]}'{did_you_mean(unknown[0], kinds)}; "
            f"available: {names}"
        )
    return [k for k in kinds if k in only]


def build(options: BuildOptions, progress: ProgressHook | None = None) -> BuildReport:
    started = time.perf_counter()
    diagnostics = Diagnostics()
    kinds = select_kinds(options.only)
    # Phase 1: gather — load and validate every source.
    course = load_course(options.root, diagnostics)
    if diagnostics.has_errors(options.strict):
        raise ContentError(
            "the course has problems (--strict treats warnings as errors)", diagnostics
        )
    _check_module_filter(options.modules, [m.id for m in course.modules])
    theme = load_theme(course.config.theme, course.root, course.config.language)
    ctx = RenderContext(course, theme, source_date_epoch(), options.variants)
    # Phase 2: render everything in memory.
    jobs = _plan(kinds, ctx, options.modules)
    artifacts: list[Artifact] = []
    for index, job in enumerate(jobs, start=1):
        artifacts.extend(render.get_renderer(job.renderer).run(job, ctx))
        if progress:
            progress(job, index, len(jobs))
    # Phase 3: write, manifest last.
    out_dir = (options.out_dir or course.root / "dist") / course.slug
    report = BuildReport(out_dir, kinds, diagnostics=diagnostics)
    _write(out_dir, course, artifacts, partial=bool(options.only or options.modules), report=report)
    report.seconds = time.perf_counter() - started
    return report


def _check_module_filter(wanted: list[str] | None, ids: list[str]) -> None:
    for module_id in wanted or []:
        if module_id not in ids:
            raise UsageError(f"no module with id '{module_id}'{did_you_mean(module_id, ids)}")


def _plan(kinds: list[str], ctx: RenderContext, modules: list[str] | None) -> list[Job]:
    jobs = [job for kind in kinds for job in render.get_renderer(kind).jobs(ctx)]
    if modules:
        jobs = [job for job in jobs if job.target in modules]
    return jobs


def _write(
    out_dir: Path, course, artifacts: list[Artifact], partial: bool, report: BuildReport
) -> None:  # type: ignore[no-untyped-def]
    previous = read_manifest(out_dir)
    entries = {a.path: manifest_entry(a) for a in artifacts}
    if partial and previous:
        for entry in previous.get("files", []):
            if (out_dir / entry.get("path", "")).is_file():
                entries.setdefault(entry["path"], entry)
    report.written = write_artifacts(out_dir, artifacts)
    report.unchanged = sorted({a.path for a in artifacts} - set(report.written))
    if not partial:
        report.removed = remove_stale(out_dir, previous, set(entries))
    atomic_write(
        out_dir / MANIFEST, manifest_bytes(course.config.title, course.slug, entries.values())
    )
