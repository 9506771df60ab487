"""Running render jobs: skip the unchanged ones, run the rest in worker processes.

Every job gets a key: the hash of everything its output can depend on (tool version, renderer,
target, output names, options, theme files, `bimtek.yml`, the sources of the modules it reads
and their images). Keys and the sha256 of the files they produced are kept in the output folder
(`.bimtek-cache.json`); a job whose key and files are unchanged is not rendered again.

Jobs run in a process pool forked after the course is loaded, so workers share the parsed
course without pickling it; each job's output depends only on the job, so the bytes are the
same whatever `--jobs` is.
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bimtek_kit import __version__, render
from bimtek_kit.model import Course, Image
from bimtek_kit.render.base import Artifact, Job, RenderContext
from bimtek_kit.toolid import tool_id
from bimtek_kit.writer import atomic_write, sha256

CACHE_FILE = ".bimtek-cache.json"

JobDone = Callable[[Job, bool], None]
"""Progress callback: the job and whether it was reused from the previous build."""

_WORKER_CONTEXT: RenderContext | None = None
TASKS_PER_WORKER = 40


@dataclass
class JobCache:
    """Job keys of the previous build and the files each one produced."""

    path: Path
    entries: dict[str, dict[str, str]] = field(default_factory=dict)
    """job key -> {output path: sha256}."""

    @classmethod
    def load(cls, out_dir: Path) -> JobCache:
        path = out_dir / CACHE_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        entries = data.get("jobs", {}) if isinstance(data, dict) else {}
        return cls(path, entries if isinstance(entries, dict) else {})

    def reusable(self, key: str, out_dir: Path) -> list[Artifact] | None:
        """Return the job's previous files when they are all still there, unchanged."""
        outputs = self.entries.get(key)
        if not outputs:
            return None
        artifacts = []
        for relative, digest in outputs.items():
            try:
                data = (out_dir / relative).read_bytes()
            except OSError:
                return None
            if sha256(data) != digest:
                return None
            artifacts.append(Artifact(relative, data, "reused"))
        return artifacts

    def save(self, keys: dict[str, list[Artifact]], keep_old: bool = False) -> None:
        """Record this build's keys; a partial build keeps the entries it did not plan."""
        entries = dict(self.entries) if keep_old else {}
        entries.update({key: {a.path: sha256(a.data) for a in arts} for key, arts in keys.items()})
        payload = {"version": __version__, "jobs": dict(sorted(entries.items()))}
        atomic_write(self.path, (json.dumps(payload, indent=1, sort_keys=True) + "\n").encode())


def job_key(job: Job, ctx: RenderContext, parts: dict[str, bytes] | None = None) -> str:
    """Hash everything the job's output depends on (for an assembly: also its parts)."""
    course = ctx.course
    digest = hashlib.sha256()
    for part in (
        tool_id(),
        job.renderer,
        job.target,
        *job.outputs,
        repr(job.options),
        str(ctx.variants),
        str(ctx.source_date_epoch),
        ctx.theme.fingerprint,
    ):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    digest.update(_config_digest(job, ctx).encode("ascii"))
    if job.fingerprint:
        digest.update(job.fingerprint.encode("ascii"))
    else:
        for relative in _dependencies(job, course):
            digest.update(relative.encode("utf-8"))
            digest.update(course.sources.get(relative, "").encode("ascii"))
        for image in _images(job, course):
            digest.update(_file_hash(image).encode("ascii"))
    for name, data in sorted((parts or {}).items()):
        digest.update(name.encode("utf-8"))
        digest.update(sha256(data).encode("ascii"))
    return digest.hexdigest()


def _config_digest(job: Job, ctx: RenderContext) -> str:
    """The part of `bimtek.yml` the job's renderer reads (its `config_keys`), else all of it."""
    keys = getattr(render.get_renderer(job.renderer), "config_keys", None)
    if keys is None:
        return ctx.course.sources.get("bimtek.yml", "")
    used = ctx.course.config.model_dump(mode="json", include=keys)
    return sha256(json.dumps(used, sort_keys=True).encode("utf-8"))


def _dependencies(job: Job, course: Course) -> list[str]:
    """A module job reads its module file (and `sources`); anything else reads every source."""
    if job.modules and all(course.module(m) for m in job.modules):
        files = [course.module(m).loc.path for m in job.modules]  # type: ignore[union-attr]
        return sorted({*files, *job.sources})
    return sorted(set(course.sources) - {"bimtek.yml"})


def _images(job: Job, course: Course) -> list[Path]:
    modules = [course.module(m) for m in job.modules] if job.modules else list(course.modules)
    paths = {b.path for m in modules if m for b in m.all_blocks if isinstance(b, Image) and b.path}
    return sorted(paths)


_FILE_HASHES: dict[Path, str] = {}


def _file_hash(path: Path) -> str:
    if path not in _FILE_HASHES:
        _FILE_HASHES[path] = sha256(path.read_bytes())
    return _FILE_HASHES[path]


def _render(job: Job, ctx: RenderContext, parts: dict[str, bytes] | None) -> list[Artifact]:
    renderer = render.get_renderer(job.renderer)
    if parts is None:
        return renderer.run(job, ctx)
    return renderer.assemble(job, ctx, parts)  # type: ignore[attr-defined, no-any-return]


def _run_in_worker(item: tuple[int, Job, dict[str, bytes] | None]) -> tuple[int, list[Artifact]]:
    index, job, parts = item
    assert _WORKER_CONTEXT is not None
    return index, _render(job, _WORKER_CONTEXT, parts)


RunResult = tuple[list[Artifact], list[Artifact], dict[str, list[Artifact]]]


def run_jobs(
    jobs: list[Job],
    ctx: RenderContext,
    cache: JobCache,
    out_dir: Path,
    workers: int,
    done: JobDone | None = None,
) -> RunResult:
    """Render what changed; return (rendered, reused, key -> artifacts) for the writer.

    Ordinary jobs run first; jobs that assemble parts run once every part is known, keyed also
    by the parts' hashes so an unchanged chapter never forces a new assembly.
    """
    rendered: list[Artifact] = []
    reused: list[Artifact] = []
    results: dict[str, list[Artifact]] = {}
    for stage in job_stages(jobs):
        available = {a.path: a.data for a in (*rendered, *reused)}
        pending: list[tuple[Job, str, dict[str, bytes] | None]] = []
        for job in stage:
            # A part left out of this build (`--only`) is left out of the job's input, too.
            parts = ({p: available[p] for p in job.parts if p in available} if job.parts
                     else None)
            key = job_key(job, ctx, parts)
            previous = cache.reusable(key, out_dir)
            if previous is None:
                pending.append((job, key, parts))
                continue
            reused.extend(previous)
            results[key] = previous
            if done:
                done(job, True)
        for key, artifacts in _execute(pending, ctx, workers, done):
            rendered.extend(artifacts)
            results[key] = artifacts
    return rendered, reused, results


def job_stages(jobs: list[Job]) -> list[list[Job]]:
    """Order jobs so every job comes after the jobs that make its parts (a small DAG)."""
    made_by = {path: index for index, job in enumerate(jobs) for path in job.outputs}
    depth: dict[int, int] = {}

    def level(index: int, seen: frozenset[int] = frozenset()) -> int:
        if index not in depth:
            if index in seen:
                raise ValueError(f"job {jobs[index].renderer}:{jobs[index].target} needs itself")
            needs = [made_by[p] for p in jobs[index].parts if p in made_by]
            depth[index] = 1 + max((level(n, seen | {index}) for n in needs), default=-1)
        return depth[index]

    stages: dict[int, list[Job]] = {}
    for index, job in enumerate(jobs):
        stages.setdefault(level(index), []).append(job)
    return [stages[key] for key in sorted(stages)]


def _execute(
    pending: list[tuple[Job, str, dict[str, bytes] | None]],
    ctx: RenderContext,
    workers: int,
    done: JobDone | None,
) -> Iterable[tuple[str, list[Artifact]]]:
    if workers <= 1 or len(pending) <= 1:
        for job, key, parts in pending:
            artifacts = _render(job, ctx, parts)
            if done:
                done(job, False)
            yield key, artifacts
        return
    global _WORKER_CONTEXT
    _WORKER_CONTEXT = ctx
    render.warm_up(ctx, {job.renderer for job, _key, _parts in pending})
    fork = multiprocessing.get_context("fork")
    # Whole-course jobs are the longest: start them first so both cores stay busy.
    ordered = sorted(
        pending,
        key=lambda item: (bool(item[0].modules) and len(item[0].modules) == 1, item[0].renderer),
    )
    # Workers are replaced after a few dozen jobs: WeasyPrint's layouts leave memory behind,
    # and a worker that laid out 150 chapters held ~470 MiB (300-module bench). Forked from a
    # warmed-up parent, a new worker costs next to nothing.
    items = [(index, job, parts) for index, (job, _key, parts) in enumerate(ordered)]
    gc.freeze()  # the garbage collector of a forked worker leaves the parent's pages shared
    try:
        with fork.Pool(workers, maxtasksperchild=TASKS_PER_WORKER) as pool:
            for index, artifacts in pool.imap_unordered(_run_in_worker, items, chunksize=1):
                job, key, _parts = ordered[index]
                if done:
                    done(job, False)
                yield key, artifacts
    finally:
        gc.unfreeze()


def default_workers() -> int:
    """One worker per core this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1
