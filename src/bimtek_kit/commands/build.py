"""`bimtek build`: load -> model -> render -> stage -> switch: nothing changes until all succeeded.

Phases (like mkdocs' build): first load and validate every source; then render every changed
artifact, each into a staging folder beside the package as soon as it is done
(`commands/package.py`); only when all of that succeeded, switch the new package in with one
rename (`outfolder.py`), then save the caches in `.bimtek/`. A failure or a kill at any moment
leaves the previous package untouched (issue #13).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bimtek_kit import buildstamp, outfolder, render
from bimtek_kit.cachedir import cache_folder
from bimtek_kit.commands.buildtypes import BuildOptions, BuildReport
from bimtek_kit.commands.laporan import is_report_file
from bimtek_kit.commands.package import PackageWriter
from bimtek_kit.engine import JobCache, JobDone, default_workers, run_jobs
from bimtek_kit.errors import ContentError, Diagnostics, UsageError, did_you_mean
from bimtek_kit.loader import load_course
from bimtek_kit.model import Course
from bimtek_kit.modelcache import ModelCache
from bimtek_kit.packaging import zip_bytes
from bimtek_kit.render.base import Job, RenderContext, is_part
from bimtek_kit.resources import ResourceError, read_regular_file
from bimtek_kit.themes import load_theme
from bimtek_kit.writer import (
    MANIFEST,
    OutputError,
    atomic_write,
    read_manifest,
)

MAX_PACKAGE_FILE = 1024 * 1024 * 1024


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
    models = ModelCache(cache_folder(options.root.resolve()))
    course = load_course(options.root, diagnostics, models)
    if diagnostics.has_errors(options.strict):
        raise ContentError("the course has problems (--strict: warnings count)", diagnostics)
    _check_module_filter(options.modules, [m.id for m in course.modules])
    theme = load_theme(course.config.theme, course.root, course.config.language)
    ctx = RenderContext(course, theme, source_date_epoch(course), options.variants)
    # A job several kinds plan (the slides drawn once for the three slide PDFs) runs once.
    jobs = list(dict.fromkeys(job for kind in kinds for job in render.get_renderer(kind).jobs(ctx)))
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
    inputs = buildstamp.inputs_fingerprint(options)  # before reading: an edit during the build
    diagnostics = Diagnostics()                       # must not be stamped as built
    planned_build = plan(options, diagnostics)
    ctx, jobs, out_dir = planned_build.ctx, planned_build.jobs, planned_build.out_dir
    option = _option_name(options)
    outfolder.check_output_location(out_dir, ctx.course.root, option)
    created = not out_dir.parent.exists()
    outfolder.prepare_out_root(out_dir.parent, option)
    if planned:
        planned(jobs)
    try:
        with outfolder.locked(out_dir.parent):
            report = _build_locked(options, planned_build, diagnostics, done)
    except BaseException:
        if created:  # a failed first build leaves no empty dist/ behind
            with contextlib.suppress(OSError):
                out_dir.parent.rmdir()
        raise
    buildstamp.record(options, report, inputs)
    report.seconds = time.perf_counter() - started
    return report


def _build_locked(
    options: BuildOptions, planned: Plan, diagnostics: Diagnostics, done: JobDone | None
) -> BuildReport:
    """Phases 2 and 3, with the output folder locked against a concurrent build."""
    ctx, jobs, out_dir = planned.ctx, planned.jobs, planned.out_dir
    option = _option_name(options)
    outfolder.recover(out_dir)
    previous = read_manifest(out_dir)
    foreign = outfolder.foreign_files(out_dir, previous)
    # `bimtek laporan` writes panitia/laporan/ into the package: not foreign, carried over
    unknown = [p for p in foreign if not is_report_file(p, ctx.theme.labels)]
    if unknown and not options.force:
        raise UsageError(_foreign_message(out_dir, unknown, option, options.clean))
    # Phase 2: render what changed (worker processes when there is more than one), each
    # file into the staging folder as it is done; phase 3: switch the new package in, then
    # save the caches.
    cache = JobCache.load(cache_folder(ctx.course.root, create=True))
    if options.clean:
        cache.entries.clear()
    workers = options.jobs or default_workers()
    report = BuildReport(out_dir, select_kinds(options.only), len(jobs), diagnostics=diagnostics)
    try:
        with PackageWriter(out_dir, ctx, previous, options, report) as package:
            rendered, reused, by_key = run_jobs(jobs, ctx, cache, out_dir, workers, done,
                                                keep=package.keep)
            report.rendered = sorted(a.path for a in rendered if not is_part(a.path))
            report.reused = sorted(a.path for a in reused if not is_part(a.path))
            entries = package.finish(foreign)
        cache.save(by_key, keep_old=bool(options.only or options.modules))
    finally:
        cache.discard_fresh()
    planned.models.save(cache_folder(ctx.course.root, create=True))
    if options.zip:
        report.zip_paths = _write_zips(out_dir, ctx, entries)
    return report


def _option_name(options: BuildOptions) -> str:
    """How messages name the output folder: as the user gave it, or the default."""
    return f"-o {options.out_dir}" if options.out_dir else "output folder"


def _foreign_message(out_dir: Path, foreign: list[str], option: str, clean: bool) -> str:
    shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
    verb = "--clean refuses to delete" if clean else "refusing to write into"
    return (
        f"{option}: {verb} {out_dir}: it holds files bimtek did not write ({shown}); "
        "move them away or choose another folder (--force builds anyway and keeps them)"
    )


def _check_module_filter(wanted: list[str] | None, ids: list[str]) -> None:
    for module_id in wanted or []:
        if module_id not in ids:
            raise UsageError(f"no module with id '{module_id}'{did_you_mean(module_id, ids)}")


def _write_zips(out_dir: Path, ctx: RenderContext, entries: dict[str, dict]) -> list[Path]:
    """One reproducible zip per audience (`<course>-peserta.zip` …) beside the package.

    Files of no audience folder (the manifest) go with the organisers' zip. Before the
    package is sorted into audience folders there is one `<course>.zip` with everything.
    """
    groups: dict[str, list[str]] = {}
    for path, entry in entries.items():
        groups.setdefault(entry.get("audience") or "organisers", []).append(path)
    groups.setdefault("organisers", []).append(MANIFEST)
    slug = ctx.course.slug
    audiences = {e.get("audience") for e in entries.values()} - {None}
    if not audiences:
        names = {f"{slug}.zip": sorted(groups["organisers"])}
    else:
        files = ctx.theme.labels.files
        names = {f"{slug}-{files[f'{a}_dir']}.zip": sorted(paths) for a, paths in groups.items()}
    written = []
    try:
        for name, paths in sorted(names.items()):
            data = {f"{slug}/{p}": _package_file(out_dir, p) for p in paths}
            target = out_dir.parent / name
            atomic_write(target, zip_bytes(data, ctx.source_date_epoch))
            written.append(target)
    except OSError as error:
        raise OutputError(outfolder.describe_os_error(error, out_dir.parent)) from None
    return written


def _package_file(out_dir: Path, relative: str) -> bytes:
    path = out_dir / relative
    try:
        if path.is_symlink():
            raise ResourceError(f"'{relative}' is a symlink")
        return read_regular_file(path, MAX_PACKAGE_FILE)
    except ResourceError as error:
        raise OutputError(f"cannot zip {out_dir}: {error}") from None
