"""Running render jobs: skip the unchanged ones, run the rest in worker processes.

Every job gets a key: the hash of everything its output can depend on (tool version, renderer,
target, output names, options, theme files, `bimtek.yml`, the sources of the modules it reads
and their images). Keys and the sha256 of the files they produced are kept in the project's
cache folder (`.bimtek/jobs.json`, never in the package); a job whose key and files are
unchanged is not rendered again. Part files (`.parts/…`) live in `.bimtek/parts/`.

Jobs run in a process pool forked after the course is loaded, so workers share the parsed
course without pickling it; where fork is missing (Windows) the pool spawns its workers and
sends each the render context once. Each job's output depends only on the job, so the bytes
are the same whatever `--jobs` or the start method is.
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import gc
import hashlib
import heapq
import itertools
import json
import multiprocessing
import os
import queue
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from multiprocessing.pool import Pool
from pathlib import Path

from bimtek_kit import __version__, render
from bimtek_kit.cachedir import safe_subfolder
from bimtek_kit.model import Course, Image
from bimtek_kit.render.base import Artifact, Job, RenderContext, is_part
from bimtek_kit.resources import ResourceError, read_regular_file
from bimtek_kit.toolid import tool_id
from bimtek_kit.writer import (
    OutputError,
    atomic_write,
    create_exclusive,
    is_safe_relative,
    safe_target,
    sha256,
    write_artifacts,
)

CACHE_FILE = "jobs.json"
PARTS_CACHE = "parts"
MAX_CACHED_FILE = 512 * 1024 * 1024

JobDone = Callable[[Job, bool], None]
"""Progress callback: the job and whether it was reused from the previous build."""
Keep = Callable[[Artifact, bool], Artifact]
"""Takes each finished artifact (and whether it was reused) as it arrives; returns what the
build keeps of it (the writer stores a package file and keeps only its digest)."""

_WORKER_CONTEXT: RenderContext | None = None
START_METHOD_ENV = "BIMTEK_START_METHOD"
TASKS_PER_WORKER = 8


@dataclass
class JobCache:
    """Job keys of the previous build and the files each one produced.

    Kept in `.bimtek/` at the project root. The file is data, checked on load: anything that
    is not a mapping of key -> {safe relative path: sha256} is ignored (the jobs rebuild).
    """

    path: Path | None
    entries: dict[str, dict[str, str]] = field(default_factory=dict)
    """job key -> {output path: sha256}."""
    fresh: Path | None = None
    """Where this build's new parts wait for `save` (`.bimtek/parts.new-<pid>/`): on disk,
    not in memory, since a 300-module course makes ~150 MB of them (issue #23)."""

    @classmethod
    def load(cls, folder: Path | None) -> JobCache:
        if folder is None:
            return cls(None)
        path = folder / CACHE_FILE
        try:
            data = json.loads(read_regular_file(path, MAX_CACHED_FILE).decode("utf-8"))
        except (OSError, ValueError, ResourceError):
            data = {}
        jobs = data.get("jobs") if isinstance(data, dict) else None
        entries = {
            key: outputs
            for key, outputs in (jobs.items() if isinstance(jobs, dict) else ())
            if isinstance(key, str) and _valid_outputs(outputs)
        }
        _remove_abandoned_parts(folder)
        return cls(path, entries)

    @property
    def parts_dir(self) -> Path | None:
        return safe_subfolder(self.path.parent, PARTS_CACHE) if self.path else None

    def locate(self, relative: str, out_dir: Path) -> Path | None:
        """Where a previous output lives: parts in the cache, everything else in the package."""
        if is_part(relative):
            parts = self.parts_dir
            return parts / relative.split("/", 1)[1] if parts else None
        return out_dir / relative

    def reusable(self, key: str, out_dir: Path) -> list[Artifact] | None:
        """Return the job's previous files when they are all still there, unchanged."""
        outputs = self.entries.get(key)
        if not outputs:
            return None
        artifacts = []
        for relative, digest in outputs.items():
            where = self.locate(relative, out_dir)
            try:
                if where is None or where.is_symlink():
                    return None
                data = read_regular_file(where, MAX_CACHED_FILE)
            except (OSError, ResourceError):
                return None
            if sha256(data) != digest:
                return None
            artifacts.append(Artifact(relative, data, "reused"))
        return artifacts

    def stash(self, part: Artifact, reused: bool) -> Artifact:
        """Keep a finished part on disk until `save` and return it without its bytes (the
        jobs that read it read it there). Without a cache folder it stays in memory."""
        if reused:  # already in the parts cache
            where = self.locate(part.path, Path())
            return part.stored(sha256(part.data), where) if where else part
        if self.path is None:
            return part
        try:
            if self.fresh is None:
                self.fresh = self.path.parent / f"{PARTS_CACHE}.new-{os.getpid()}"
                self.fresh.mkdir()
            target = safe_target(self.fresh, part.path.split("/", 1)[1])
            target.parent.mkdir(parents=True, exist_ok=True)
            create_exclusive(target, part.data, sync=False)  # a damaged part is only rebuilt
        except (OSError, OutputError):  # a cache that cannot be written costs only time
            return part
        return part.stored(sha256(part.data), target)

    def discard_fresh(self) -> None:
        """Remove the parts of a build that failed (after `save` there are none left)."""
        if self.fresh is not None:
            shutil.rmtree(self.fresh, ignore_errors=True)
            self.fresh = None

    def save(self, keys: dict[str, list[Artifact]], keep_old: bool = False) -> None:
        """Record this build's keys and parts; a partial build keeps what it did not plan.

        A cache that cannot be written (read-only project, symlinked folder) is skipped: it
        only makes the next build slower.
        """
        if self.path is None:
            return
        entries = dict(self.entries) if keep_old else {}
        entries.update({key: {a.path: a.digest or sha256(a.data) for a in arts}
                        for key, arts in keys.items()})
        payload = {"version": __version__, "jobs": dict(sorted(entries.items()))}
        unsaved = [a for arts in keys.values() for a in arts  # the ones `stash` could not
                   if is_part(a.path) and a.data]
        with contextlib.suppress(OSError, OutputError):
            self._save_parts(unsaved, {p for outputs in entries.values() for p in outputs})
            atomic_write(self.path, (json.dumps(payload, indent=1, sort_keys=True) + "\n").encode())
        self.discard_fresh()

    def _save_parts(self, unsaved: list[Artifact], keep: set[str]) -> None:
        folder = safe_subfolder(self.path.parent, PARTS_CACHE, create=True) if self.path else None
        if folder is None:
            return
        write_artifacts(folder, [replace(a, path=a.path.split("/", 1)[1]) for a in unsaved])
        if self.fresh is not None:
            _move_files(self.fresh, folder)
        wanted = {p.split("/", 1)[1] for p in keep if is_part(p)}
        for dirpath, _dirs, files in os.walk(folder, followlinks=False):
            for name in files:
                path = Path(dirpath) / name
                if path.relative_to(folder).as_posix() not in wanted:
                    path.unlink(missing_ok=True)


def _move_files(source: Path, target: Path) -> None:
    for dirpath, _dirs, files in os.walk(source, followlinks=False):
        for name in files:
            path = Path(dirpath) / name
            destination = safe_target(target, path.relative_to(source).as_posix())
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, destination)


def _remove_abandoned_parts(folder: Path) -> None:
    """Remove the fresh parts of builds that were killed (their process is gone)."""
    for leftover in folder.glob(f"{PARTS_CACHE}.new-*"):
        pid = leftover.name.rsplit("-", 1)[1]
        if pid.isdigit() and not _process_exists(int(pid)) and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process
        return True
    return True


def _valid_outputs(outputs: object) -> bool:
    return isinstance(outputs, dict) and all(
        is_safe_relative(path) and isinstance(digest, str) for path, digest in outputs.items()
    )


def job_key(job: Job, ctx: RenderContext, parts: JobInputs | None = None) -> str:
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
    for name in sorted(parts or ()):
        digest.update(name.encode("utf-8"))
        digest.update(parts.digest(name).encode("ascii"))  # type: ignore[union-attr]
    return digest.hexdigest()


class JobInputs(Mapping[str, bytes]):
    """The parts (and package files) a job assembles: the bytes of each are read from where
    the build put them (`Artifact.location`) when the job first asks, in the worker.

    The parent holds no part's bytes and pickles none to the worker: at 300 modules the
    handbook's chapters alone are 29 MB, and the daftar cetak reads every PDF of the
    package (issue #23). A file that changed on disk meanwhile is refused, not joined."""

    def __init__(self, artifacts: dict[str, Artifact]) -> None:
        self._sources = {path: a.data if a.location is None else a.location
                         for path, a in artifacts.items()}
        self._digests = {path: a.digest or sha256(a.data) for path, a in artifacts.items()}
        self._read: dict[str, bytes] = {}

    def digest(self, path: str) -> str:
        return self._digests[path]

    def __getitem__(self, path: str) -> bytes:
        if path not in self._read:
            source = self._sources[path]
            data = source if isinstance(source, bytes) else _read_input(source)
            if sha256(data) != self._digests[path]:
                raise OutputError(f"{source} changed while the build was using it; "
                                  "build again (is another build of this project running?)")
            self._read[path] = data  # one bytes object per part: the join keys readers by it
        return self._read[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)


def _read_input(path: Path) -> bytes:
    try:
        return read_regular_file(path, MAX_CACHED_FILE)
    except (OSError, ResourceError) as error:
        raise OutputError(f"cannot read {path}, which this build wrote: {error}") from None


def _config_digest(job: Job, ctx: RenderContext) -> str:
    """The part of `bimtek.yml` the job's renderer reads (its `config_keys`), else all of it."""
    keys = render.get_renderer(job.renderer).config_keys
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


def _render(job: Job, ctx: RenderContext, parts: JobInputs | None) -> list[Artifact]:
    renderer = render.get_renderer(job.renderer)
    if parts is None:
        return renderer.run(job, ctx)
    return renderer.assemble(job, ctx, parts)


def start_method() -> str:
    """How worker processes start: `fork` where the platform has it (Linux: workers share the
    parent's loaded course, fonts and templates), else `spawn` (Windows; macOS's default).
    `BIMTEK_START_METHOD=spawn` forces spawn, so the Windows path is tested on Linux too."""
    methods = multiprocessing.get_all_start_methods()
    wanted = os.environ.get(START_METHOD_ENV, "")
    if wanted in methods:
        return wanted
    return "fork" if "fork" in methods else "spawn"


def _init_worker(ctx: RenderContext) -> None:
    """Runs first in every worker: forked, it is handed the parent's context as it is;
    spawned, the context arrives pickled (the theme drops its Jinja environment on the way)."""
    global _WORKER_CONTEXT
    _WORKER_CONTEXT = ctx


def _run_in_worker(item: tuple[Job, str, JobInputs | None],
                   ) -> tuple[Job, str, list[Artifact]]:
    job, key, parts = item
    assert _WORKER_CONTEXT is not None
    artifacts = _render(job, _WORKER_CONTEXT, parts)
    if parts or len(job.modules) != 1:
        _return_freed_memory()
    return job, key, artifacts


def _return_freed_memory() -> None:
    """After a whole-course job: hand the memory it freed back to the system.

    Joining 300 modules' parts builds trees of several hundred MB; freed, that memory stays
    with the worker (glibc keeps it for reuse) through the module jobs that follow, and two
    such workers beside the parent made the 300-module build's peak (issue #23).
    """
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _load_libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(None)
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl)
        return None
    return libc


_LIBC = _load_libc() if sys.platform.startswith("linux") else None


RunResult = tuple[list[Artifact], list[Artifact], dict[str, list[Artifact]]]


def run_jobs(
    jobs: list[Job],
    ctx: RenderContext,
    cache: JobCache,
    out_dir: Path,
    workers: int,
    done: JobDone | None = None,
    keep: Keep | None = None,
) -> RunResult:
    """Render what changed; return (rendered, reused, key -> artifacts) for the writer.

    `keep` sees every artifact as soon as its job is done (see `Keep`), so the bytes of the
    finished files need not wait in memory for the slowest job.

    A job that assembles parts is keyed also by the parts' hashes (an unchanged chapter never
    forces a new assembly), so it is keyed and started as soon as its parts are there, not
    after every other job: the handbook's front matter and join run while independent jobs
    (decks, worksheets) keep the other worker busy (issue #23: two cores had idled through
    the join).
    """
    job_stages(jobs)  # refuses a job that needs itself
    rendered: list[Artifact] = []
    reused: list[Artifact] = []
    results: dict[str, list[Artifact]] = {}
    graph = _Graph(jobs)
    with _Runner(ctx, workers, {job.renderer for job in jobs}) as runner:
        while graph.waiting or runner.busy:
            for job in graph.take_ready():
                parts = graph.inputs(job)
                key = job_key(job, ctx, parts)
                previous = cache.reusable(key, out_dir)
                if previous is None:
                    runner.queue(job, key, parts, urgent=graph.is_urgent(job))
                    continue
                previous = [_kept(a, True, cache, keep) for a in previous]
                graph.finished(previous)
                reused.extend(previous)
                results[key] = previous
                if done:
                    done(job, True)
            if graph.has_ready():  # a reused job made others ready: key them first
                continue
            if not runner.busy:
                if graph.waiting:  # job_stages rules it out
                    raise ValueError("jobs wait for parts no job makes")
                break
            job, key, artifacts = runner.next_result()
            artifacts = [_kept(a, False, cache, keep) for a in artifacts]
            graph.finished(artifacts)
            rendered.extend(artifacts)
            results[key] = artifacts
            if done:
                done(job, False)
    return rendered, reused, results


def _kept(artifact: Artifact, reused: bool, cache: JobCache, keep: Keep | None) -> Artifact:
    """What the build holds of a finished artifact: parts go to the job cache's folder,
    package files to `keep` (the staging folder); their bytes are then let go."""
    if is_part(artifact.path):
        return cache.stash(artifact, reused)
    return keep(artifact, reused) if keep else artifact


class _Graph:
    """Which planned jobs can start: those whose planned parts have all been made.

    A part no planned job makes (left out by `--only`) is left out of the job's input. A
    part is forgotten once every job that reads it has taken it."""

    def __init__(self, jobs: list[Job]) -> None:
        self.made = {path for job in jobs for path in job.outputs}
        self.readers = collections.Counter(path for job in jobs for path in job.parts)
        self.waiting = list(jobs)
        self.available: dict[str, Artifact] = {}

    def _ready(self, job: Job) -> bool:
        return all(p in self.available or p not in self.made for p in job.parts)

    def has_ready(self) -> bool:
        return any(self._ready(job) for job in self.waiting)

    def take_ready(self) -> list[Job]:
        ready = [job for job in self.waiting if self._ready(job)]
        self.waiting = [job for job in self.waiting if not self._ready(job)]
        return ready

    def inputs(self, job: Job) -> JobInputs | None:
        """The parts a ready job reads (called once per job, when it is taken)."""
        if not job.parts:
            return None
        taken = {p: self.available[p] for p in job.parts if p in self.available}
        for path in job.parts:
            self.readers[path] -= 1
            if not self.readers[path]:
                self.available.pop(path, None)
        return JobInputs(taken)

    def is_urgent(self, job: Job) -> bool:
        """Makes a part another job waits for, or assembles one: on the longest path."""
        return bool(job.parts) or any(path in self.readers for path in job.outputs)

    def finished(self, artifacts: list[Artifact]) -> None:
        self.available.update((a.path, a) for a in artifacts if self.readers[a.path])


class _Runner:
    """Runs queued jobs, the most urgent first: in this process with one worker (or while
    only one job is to run), else in a pool of worker processes started once per build."""

    def __init__(self, ctx: RenderContext, workers: int, kinds: set[str]) -> None:
        self.ctx, self.workers, self.kinds = ctx, workers, kinds
        self.queued: list[tuple[tuple[int, bool, str, int], Job, str, JobInputs | None]] = []
        self.arrivals = itertools.count()  # ties keep the planned order (jobs do not compare)
        self.running = 0
        self.pool: Pool | None = None
        self.finished: queue.Queue[tuple[Job, str, list[Artifact]] | BaseException] = (
            queue.Queue())

    def __enter__(self) -> _Runner:
        gc.freeze()  # the loaded course and warmed caches: not walked by every collection, and
        return self  # a forked worker's collector leaves the parent's pages shared

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            if exc[0] is None:
                self.pool.close()
            else:  # a failed job: the others' work is thrown away
                self.pool.terminate()
            self.pool.join()
        gc.unfreeze()

    @property
    def busy(self) -> bool:
        return bool(self.queued) or self.running > 0

    def queue(self, job: Job, key: str, parts: JobInputs | None, *, urgent: bool) -> None:
        # Urgent first; then whole-course jobs, the longest, so both cores stay busy.
        order = (0 if urgent else 1, bool(job.modules) and len(job.modules) == 1, job.renderer,
                 next(self.arrivals))
        heapq.heappush(self.queued, (order, job, key, parts))

    def next_result(self) -> tuple[Job, str, list[Artifact]]:
        """Start what the free workers can take; wait for one job to finish."""
        if self.pool is None and (self.workers <= 1 or len(self.queued) + self.running <= 1):
            _order, job, key, parts = heapq.heappop(self.queued)
            return job, key, _render(job, self.ctx, parts)
        if self.pool is None:
            self.pool = self._start_pool()
        while self.queued and self.running < self.workers:
            _order, job, key, parts = heapq.heappop(self.queued)
            self.running += 1
            self.pool.apply_async(_run_in_worker, ((job, key, parts),),
                                  callback=self.finished.put, error_callback=self.finished.put)
        result = self.finished.get()
        self.running -= 1
        if isinstance(result, BaseException):
            raise result
        return result

    def _start_pool(self) -> Pool:
        method = start_method()
        if method == "fork":
            render.warm_up(self.ctx, self.kinds)
            gc.freeze()  # what warming loaded stays shared with the forked workers
        # Workers are replaced after a few jobs: layouts and decks leave memory behind (a
        # worker grew to ~240 MiB over 40 jobs at 60 modules; 8 jobs: the build's peak PSS
        # 379 -> 303 MiB without the kartu peran, issue #12).
        # Forked from a warmed-up parent, a new worker costs next to nothing; a spawned one
        # (Windows) receives the context pickled once and loads fonts and templates as its
        # jobs need them.
        return multiprocessing.get_context(method).Pool(
            self.workers, initializer=_init_worker, initargs=(self.ctx,),
            maxtasksperchild=TASKS_PER_WORKER)


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


def default_workers() -> int:
    """One worker per core this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1
