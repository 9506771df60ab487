"""`bimtek build`: load -> model -> render -> write, gathering everything before writing anything.

Phases (like mkdocs' build): first load and validate every source and render every changed
artifact in memory; only when all of that succeeded, write the files atomically, the manifest
and the job cache last. A failure anywhere before the write phase leaves the previous package
untouched.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bimtek_kit import render
from bimtek_kit.engine import CACHE_FILE, JobCache, JobDone, default_workers, run_jobs
from bimtek_kit.errors import ContentError, Diagnostics, UsageError, did_you_mean
from bimtek_kit.loader import load_course
from bimtek_kit.model import Course
from bimtek_kit.modelcache import ModelCache
from bimtek_kit.packaging import zip_bytes
from bimtek_kit.render.base import Artifact, Job, RenderContext, is_part
from bimtek_kit.themes import load_theme
from bimtek_kit.writer import (
    MANIFEST,
    atomic_write,
    manifest_bytes,
    manifest_entry,
    prune_parts,
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
    jobs: int | None = None
    """Worker processes; None means one per available core."""
    zip: bool = False
    clean: bool = False


@dataclass
class BuildReport:
    out_dir: Path
    kinds: list[str]
    planned: int = 0
    rendered: list[str] = field(default_factory=list)
    """Files rendered in this run (whether or not their bytes changed)."""
    written: list[str] = field(default_factory=list)
    """Files whose bytes on disk changed."""
    reused: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    zip_path: Path | None = None
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    seconds: float = 0.0


def source_date_epoch(course: Course) -> int:
    """Document timestamp: SOURCE_DATE_EPOCH, else the course's start date, else a constant.

    Never the clock: the same sources must give the same bytes (DESIGN §7).
    """
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return int(value)
    start = course.config.schedule.start_date
    if start is not None:
        return int(dt.datetime(start.year, start.month, start.day, tzinfo=dt.UTC).timestamp())
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


@dataclass
class Plan:
    ctx: RenderContext
    jobs: list[Job]
    out_dir: Path
    models: ModelCache


def plan(options: BuildOptions, diagnostics: Diagnostics) -> Plan:
    """Phase 1: load and validate every source, then list the jobs to run."""
    kinds = select_kinds(options.only)
    models = ModelCache((options.out_dir or options.root / "dist").resolve())
    course = load_course(options.root, diagnostics, models)
    if diagnostics.has_errors(options.strict):
        raise ContentError("the course has problems (--strict: warnings count)", diagnostics)
    _check_module_filter(options.modules, [m.id for m in course.modules])
    theme = load_theme(course.config.theme, course.root, course.config.language)
    ctx = RenderContext(course, theme, source_date_epoch(course), options.variants)
    jobs = [job for kind in kinds for job in render.get_renderer(kind).jobs(ctx)]
    if options.modules:
        jobs = [job for job in jobs if job.target in options.modules]
    out_dir = (options.out_dir or course.root / "dist").resolve() / course.slug
    return Plan(ctx, jobs, out_dir, models)


def build(
    options: BuildOptions,
    done: JobDone | None = None,
    planned: Callable[[list[Job]], None] | None = None,
) -> BuildReport:
    started = time.perf_counter()
    diagnostics = Diagnostics()
    planned_build = plan(options, diagnostics)
    ctx, jobs, out_dir = planned_build.ctx, planned_build.jobs, planned_build.out_dir
    if options.clean:
        _check_clean_target(out_dir)
    if planned:
        planned(jobs)
    # Phase 2: render what changed, in memory (worker processes when there is more than one).
    workers = options.jobs or default_workers()
    cache = JobCache(out_dir / CACHE_FILE) if options.clean else JobCache.load(out_dir)
    rendered, reused, by_key = run_jobs(jobs, ctx, cache, out_dir, workers, done)
    # Phase 3: write; manifest and cache last.
    report = BuildReport(out_dir, select_kinds(options.only), len(jobs), diagnostics=diagnostics)
    report.rendered = sorted(a.path for a in rendered if not is_part(a.path))
    report.reused = sorted(a.path for a in reused if not is_part(a.path))
    if options.clean and out_dir.exists():
        shutil.rmtree(out_dir)
    partial = bool(options.only or options.modules)
    _write(out_dir, ctx.course, rendered, reused, partial, report)
    cache.save(by_key, keep_old=partial)
    planned_build.models.save()
    if options.zip:
        report.zip_path = _write_zip(out_dir, ctx)
    report.seconds = time.perf_counter() - started
    return report


def _check_module_filter(wanted: list[str] | None, ids: list[str]) -> None:
    for module_id in wanted or []:
        if module_id not in ids:
            raise UsageError(f"no module with id '{module_id}'{did_you_mean(module_id, ids)}")


def _check_clean_target(out_dir: Path) -> None:
    """--clean deletes only a folder that a bimtek build made (it holds our manifest)."""
    if out_dir.exists() and read_manifest(out_dir) is None:
        raise UsageError(
            f"--clean refuses to delete {out_dir}: it has no bimtek manifest.json, so it was not "
            "made by bimtek build"
        )


def _write(
    out_dir: Path,
    course: Course,
    rendered: list[Artifact],
    reused: list[Artifact],
    partial: bool,
    report: BuildReport,
) -> None:
    previous = read_manifest(out_dir)
    entries = {a.path: manifest_entry(a) for a in rendered if not is_part(a.path)}
    old = {e.get("path"): e for e in (previous or {}).get("files", []) if isinstance(e, dict)}
    for artifact in reused:
        if is_part(artifact.path):
            continue
        entries[artifact.path] = old.get(artifact.path) or manifest_entry(artifact)
    if partial and previous:
        for path, entry in old.items():
            if isinstance(path, str) and (out_dir / path).is_file():
                entries.setdefault(path, entry)
    report.written = [p for p in write_artifacts(out_dir, rendered) if not is_part(p)]
    if not partial:
        report.removed = remove_stale(out_dir, previous, set(entries))
        prune_parts(out_dir, {a.path for a in (*rendered, *reused) if is_part(a.path)})
    manifest = manifest_bytes(course.config.title, course.slug, entries.values())
    atomic_write(out_dir / MANIFEST, manifest)


def _write_zip(out_dir: Path, ctx: RenderContext) -> Path:
    """`dist/<slug>.zip` with every file of the package, reproducible (fixed order and dates)."""
    manifest = read_manifest(out_dir) or {"files": []}
    paths = [e["path"] for e in manifest["files"]] + [MANIFEST]
    files = {f"{ctx.course.slug}/{p}": (out_dir / p).read_bytes() for p in paths}
    target = out_dir.parent / f"{ctx.course.slug}.zip"
    atomic_write(target, zip_bytes(files, ctx.source_date_epoch))
    return target
