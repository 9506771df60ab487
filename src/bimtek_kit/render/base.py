"""What every renderer shares: the artifacts it returns, the jobs it plans, its context."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

if TYPE_CHECKING:
    from bimtek_kit.model import Course
    from bimtek_kit.themes import Theme


@dataclass(frozen=True)
class Artifact:
    """One output file, in memory until the writer commits the whole build."""

    path: str
    """Relative to the course output folder, with `/`."""
    data: bytes
    kind: str
    sources: tuple[str, ...] = ()
    """Project-relative sources it was built from (for the manifest)."""
    digest: str = ""
    """sha256 of the bytes, set by `stored` once they are on disk and `data` is dropped."""
    location: Path | None = None
    """Where the bytes are on disk once `data` is dropped (staging folder, parts cache)."""

    def stored(self, digest: str, location: Path | None) -> Artifact:
        """This artifact without its bytes, which are now at `location`: a build of 300
        modules must not hold every file it made until the end (issue #23)."""
        return replace(self, data=b"", digest=digest, location=location)


@dataclass(frozen=True)
class Job:
    """A unit of rendering work: picklable, so it can run in a worker process."""

    renderer: str
    target: str
    """What to render: a module id, or "" for a whole-course file."""
    outputs: tuple[str, ...]
    modules: tuple[str, ...] = ()
    """Ids of the modules it depends on; empty means none (course-level data only)."""
    options: tuple[tuple[str, str], ...] = field(default=())
    sources: tuple[str, ...] = ()
    """Extra project files a module job reads besides its modules (e.g. a question bank)."""
    fingerprint: str = ""
    """When set: exactly the course data the job reads (e.g. module titles and JP for the
    schedule), used for its cache key instead of whole source files, so editing a module's
    text does not rebuild a file that shows only its title."""
    parts: tuple[str, ...] = ()
    """Part artifacts (paths under `.parts/`) this job assembles; empty for ordinary jobs.

    Jobs with parts run after every other job, through the renderer's `assemble`, so long
    documents can be laid out piece by piece in parallel and re-laid out only where a source
    changed (issue #7)."""


@dataclass(frozen=True)
class RenderContext:
    course: Course
    theme: Theme
    source_date_epoch: int
    """Fixed timestamp for document metadata, so equal sources give equal bytes."""
    variants: int = 1
    """Number of shuffled test variants (paket A, B, …); 1 means the bank's own order."""


PARTS_DIR = ".parts"
"""Intermediate files (e.g. one laid-out chapter), kept between builds in `.bimtek/parts/`."""


def is_part(path: str) -> bool:
    return path.startswith(PARTS_DIR + "/")


class Renderer:
    """One output kind. Subclasses set `name` and write `jobs` and `run`; the rest is optional.

    The optional hooks have no-op defaults here, so the engine calls them on every renderer
    instead of probing for them.
    """

    name: ClassVar[str] = ""
    config_keys: ClassVar[ConfigKeys | None] = None
    """The `bimtek.yml` keys the renderer reads (a pydantic `include` spec), so that, say, a new
    schedule does not rebuild every slide deck; None: it may read any key."""

    def jobs(self, ctx: RenderContext) -> list[Job]:
        """Plan the work: one job per output file (or group of files)."""
        raise NotImplementedError

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        """Render one job into artifacts; never touch the disk."""
        raise NotImplementedError

    def visitors(self) -> tuple[type, ...]:
        """The `BlockVisitor` classes it walks blocks with; empty: it never walks blocks.

        A method, not an attribute, so a renderer can keep its heavy modules unimported
        until it renders (a no-op build only plans)."""
        return ()

    def warm(self, ctx: RenderContext) -> None:
        """Work to do once before worker processes start (fonts, templates); none by default."""

    def assemble(self, job: Job, ctx: RenderContext, parts: Mapping[str, bytes],
                 ) -> list[Artifact]:
        """Join the parts of a job that has `parts`; only renderers that plan such jobs."""
        raise NotImplementedError(f"{self.name} plans no jobs with parts")


ConfigKeys = dict[str, Any]


WEB_LINKS = ("http://", "https://")
"""A reference's URL is printed as a link only when it is one of these."""
SAFE_LINKS = (*WEB_LINKS, "mailto:", "tel:")
"""The only link targets any output keeps (never `javascript:`, `data:` or `file:`)."""


def safe_link(href: str | None, *, anchors: bool = False) -> bool:
    """Whether a link may be kept; `anchors`: also `#name` inside the same document."""
    return bool(href) and href.startswith(SAFE_LINKS + (("#",) if anchors else ()))


def fingerprint(*values: object) -> str:
    """A stable digest of model values (frozen dataclasses have deterministic reprs)."""
    import hashlib

    return hashlib.sha256(repr(values).encode("utf-8")).hexdigest()


Audience = Literal["participants", "facilitators", "organisers"]
"""Who receives a file (DESIGN §4): peserta/, fasilitator/, panitia/ in the course language."""


def audience_path(ctx: RenderContext, audience: Audience, relative: str) -> str:
    """`relative` inside the audience's folder, named in the course language's label set."""
    folder = ctx.theme.labels.files[f"{audience}_dir"]
    return f"{folder}/{relative}"


def audience_of(path: str, ctx: RenderContext) -> Audience | None:
    """Which audience folder an output path lies in (None for `manifest.json` and the like)."""
    files = ctx.theme.labels.files
    head = path.split("/", 1)[0]
    for audience in ("participants", "facilitators", "organisers"):
        if files[f"{audience}_dir"] == head:
            return audience  # type: ignore[return-value]
    return None
