"""The handbook as a small static site: `buku-peserta/index.html`, one page per module, assets.

Made for CI to publish (DESIGN §1): flat folder, relative links only, one stylesheet, no
JavaScript, and a Content-Security-Policy that allows nothing but the site's own images and CSS.
Chapters are the same HTML fragments as in the PDF (`Book.chapter_html`); images are copied
into `assets/img/` under content-hashed names so no source path ever shows in the output.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from bimtek_kit.errors import relative_to
from bimtek_kit.model import Image, Module, walk
from bimtek_kit.render.base import Artifact, RenderContext, audience_path
from bimtek_kit.render.handbook.content import (
    ANSWERS_ID,
    GLOSSARY_ID,
    REFERENCES_ID,
    SCHEDULE_ID,
    BackEntry,
    Book,
    foreword_blocks,
)
from bimtek_kit.render.pdf.stack import theme_css
from bimtek_kit.resources import is_inside
from bimtek_kit.themes import ThemeError

KIND = "handbook"
CONFIG_FILE = "bimtek.yml"
IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif")


@dataclass(frozen=True)
class Page:
    """One file of the site, in reading order (for the previous/next links)."""

    file: str
    title: str


@dataclass
class ImageStore:
    """Maps image files to `assets/img/<sha256>.<ext>`, remembering which ones to copy."""

    roots: tuple[Path, ...]
    used: dict[str, Path] = field(default_factory=dict)
    _names: dict[Path, str | None] = field(default_factory=dict)

    def url(self, path: Path | None) -> str | None:
        """The site URL of `path`, or None (the page shows the alt text instead)."""
        if path is None:
            return None
        if path not in self._names:
            self._names[path] = self._name(path)
        name = self._names[path]
        if name:
            self.used[name] = path
        return name

    def _name(self, path: Path) -> str | None:
        suffix = path.suffix.lower()
        if suffix not in IMAGE_TYPES or not is_inside(path, self.roots) or not path.is_file():
            return None
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:20]
        return f"assets/img/{digest}{suffix}"

    def artifacts(self, folder: str, root: Path) -> list[Artifact]:
        return [
            Artifact(f"{folder}/{name}", self.used[name].read_bytes(), KIND,
                     (relative_to(self.used[name], root),))
            for name in sorted(self.used)
        ]


def site_folder(ctx: RenderContext) -> str:
    return audience_path(ctx, "participants", ctx.theme.labels.files.handbook)


def site_pages(book: Book) -> list[Page]:
    """Index, the chapters in course order, then the back matter."""
    pages = [Page("index.html", book.labels.contents)]
    pages += [Page(chapter.page, f"{chapter.label} {chapter.title}") for chapter in book.chapters()]
    pages += [Page(entry.page, entry.title) for entry in book.back_matter()]
    return pages


def site_outputs(ctx: RenderContext) -> tuple[str, ...]:
    """Every file the site job writes: pages, stylesheet and the images they show."""
    book = Book(ctx, image_url=lambda image: None)
    store = ImageStore((ctx.course.root, *ctx.theme.dirs))
    blocks = [b for m in ctx.course.modules for b in m.all_blocks]
    for block in [*blocks, *walk(foreword_blocks(ctx.course))]:
        if isinstance(block, Image):
            store.url(block.path)
    store.url(book.logo())
    folder = site_folder(ctx)
    pages = [f"{folder}/{page.file}" for page in site_pages(book)]
    images = [f"{folder}/{name}" for name in sorted(store.used)]
    return (*pages, f"{folder}/assets/site.css", *images)


def render_site(ctx: RenderContext, only: set[str] | None = None) -> list[Artifact]:
    """Every page, the stylesheet and the images the pages use.

    With `only` (page file names), just those pages and the images they use: the live preview
    re-renders the chapter that changed and the index, not the whole book.
    """
    course, theme = ctx.course, ctx.theme
    store = ImageStore((course.root, *theme.dirs))
    book = Book(ctx, image_url=lambda image: _image_url(store, image), align_classes=True)
    folder = site_folder(ctx)
    pages = site_pages(book)
    env = theme.environment()
    common = {
        "language": course.config.language,
        "config": course.config,
        "logo_url": store.url(book.logo()),
    }
    all_sources = tuple(sorted(course.sources))
    artifacts = []

    def page(index: int, template: str, sources: tuple[str, ...],
             values: Callable[[], dict[str, object]]) -> None:
        """Render pages[index] with its neighbours as previous/next links."""
        here = pages[index]
        if only is not None and here.file not in only:
            return
        html = env.get_template(template).render(
            **common, **values(), page=here,
            prev=pages[index - 1] if index > 0 else None,
            next=pages[index + 1] if index + 1 < len(pages) else None,
        )
        artifacts.append(Artifact(f"{folder}/{here.file}", html.encode("utf-8"), KIND, sources))

    page(0, "handbook/site/index.html.j2", all_sources,
         lambda: {"foreword": book.foreword_html(), "signature": book.foreword_signature(),
                  "chapters": book.chapters(), "back": book.back_matter()})
    for index, module in enumerate(course.modules, start=1):
        page(index, "handbook/site/chapter.html.j2", _module_sources(course.sources, module),
             lambda module=module: {"chapter_html": book.chapter_html(module)})
    first_back = len(course.modules) + 1
    for offset, entry in enumerate(book.back_matter()):
        page(first_back + offset, "handbook/site/page.html.j2", all_sources,
             lambda entry=entry: {"entry": entry, **_back_values(book, entry)})
    artifacts.append(Artifact(f"{folder}/assets/site.css", site_css(ctx), KIND))
    artifacts.extend(store.artifacts(folder, course.root))
    return artifacts


def site_css(ctx: RenderContext) -> bytes:
    """One stylesheet: the theme's variables followed by the theme's `css/site.css`."""
    stylesheet = ctx.theme.find("css/site.css")
    if stylesheet is None:
        raise ThemeError(f"theme '{ctx.theme.name}' has no css/site.css")
    text = theme_css(ctx.theme) + "\n" + stylesheet.read_text(encoding="utf-8")
    return text.encode("utf-8")


def _image_url(store: ImageStore, image: Image) -> str | None:
    return store.url(image.path)


def _module_sources(sources: dict[str, str], module: Module) -> tuple[str, ...]:
    """A chapter page depends on its module, bimtek.yml and the question banks."""
    module_file = module.loc.path
    return tuple(sorted(
        name for name in sources
        if name in (module_file, CONFIG_FILE) or name.startswith("content/evaluasi/")
    ))


def _back_values(book: Book, entry: BackEntry) -> dict[str, object]:
    """The data one back-matter page shows."""
    if entry.id == SCHEDULE_ID:
        days = book.schedule_days()
        return {"schedule": days, "timezone": book.course.config.schedule.timezone,
                "schedule_narasumber": any(r.narasumber for d in days for r in d.rows)}
    if entry.id == GLOSSARY_ID:
        return {"glossary": book.glossary()}
    if entry.id == REFERENCES_ID:
        return {"references": book.references()}
    if entry.id == ANSWERS_ID:
        return {"answers": book.formative_answers()}
    return {"body": Markup("")}
