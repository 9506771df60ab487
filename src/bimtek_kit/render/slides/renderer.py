"""Slide decks: one editable, presentable 16:9 PPTX per module (DESIGN §4 "Slides").

The work is split in four steps, each in its own module so each can be tested and read alone:

1. `slides_plan`: module -> slide specs (what each slide shows; notes; never an answer key);
2. `slides_layout`: specs -> pages, measured against the body frame (continuations, title fit);
3. `slides_template`: the base deck (project template.pptx, or the built-in look from theme.yml);
4. `slides_draw`: pages -> python-pptx slides.

This module ties them together and makes the bytes reproducible: python-pptx stamps the current
time into the core properties and the zip entries, so both are fixed from SOURCE_DATE_EPOCH.
Only the `slides*` modules import python-pptx, and only when a deck is rendered.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bimtek_kit.errors import BimtekError, relative_to
from bimtek_kit.model import Image, Module, Span
from bimtek_kit.render.base import Artifact, Job, RenderContext, Renderer, audience_path

if TYPE_CHECKING:  # the slides_* modules import python-pptx; only load them to render
    from bimtek_kit.render.slides.draw import PagePlan
    from bimtek_kit.render.slides.layout import TextMeasure
    from bimtek_kit.render.slides.plan import SlideSpec
    from bimtek_kit.render.slides.template import BaseDeck

CONTENT_TYPES = "[Content_Types].xml"
_SVG_LIKE = (".svg", ".svgz", ".pdf", ".eps")


class SlideError(BimtekError):
    """A module's content cannot be turned into slides; the message names file and line."""


class SlidesRenderer(Renderer):
    name = "slides"
    config_keys = {"title": True, "short_title": True, "organizer": True, "language": True,
                   "theme": True, "logo": True, "edition": True, "allow_html": True,
                   "schedule": {"jp_minutes"}}

    def visitors(self) -> tuple[type, ...]:
        from bimtek_kit.render.slides.plan import FlowBuilder, NotesLines

        return (FlowBuilder, NotesLines)

    def warm(self, ctx: RenderContext) -> None:
        """Import python-pptx and open the measuring fonts once, before the workers fork."""
        import bimtek_kit.render.slides.draw  # noqa: F401 - imports python-pptx
        from bimtek_kit.render.slides.measure import metrics

        mono = str((ctx.theme.settings.get("slides") or {}).get("mono_font") or "Courier New")
        fonts = metrics(ctx.theme.fonts("slides")[0], mono)
        for bold in (False, True):
            for italic in (False, True):
                for code in (False, True):
                    fonts.em("Aa", (bold, italic, code))

    def jobs(self, ctx: RenderContext) -> list[Job]:
        """One deck per module, so a change to one module rebuilds only its deck."""
        folder = audience_path(ctx, "facilitators", ctx.theme.labels.files.slides_dir)
        return [
            Job(self.name, module.id, (f"{folder}/{module.file_stem}.pptx",), (module.id,))
            for module in ctx.course.modules
        ]

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        module = ctx.course.module(job.target)
        if module is None:
            raise SlideError(f"no module with id '{job.target}'")
        data = render_deck(ctx, module)
        sources = (module.loc.path, *image_sources(ctx, module))
        return [Artifact(job.outputs[0], data, "slides", sources)]


def image_sources(ctx: RenderContext, module: Module) -> list[str]:
    """Project-relative paths of the images a deck embeds (for the manifest)."""
    found: dict[str, None] = {}
    for block in module.all_blocks:
        if isinstance(block, Image) and block.path is not None:
            found[relative_to(block.path, ctx.course.root)] = None
    return list(found)


def render_deck(ctx: RenderContext, module: Module) -> bytes:
    """Plan, lay out and draw one module's deck; return reproducible .pptx bytes."""
    from bimtek_kit.render.slides.draw import DeckWriter
    from bimtek_kit.render.slides.layout import TextMeasure, Typography
    from bimtek_kit.render.slides.measure import metrics
    from bimtek_kit.render.slides.plan import DeckPlanner
    from bimtek_kit.render.slides.template import TemplateError, open_base, palette

    theme = ctx.theme
    settings: dict[str, Any] = dict(theme.settings.get("slides") or {})
    font = theme.fonts("slides")[0]
    mono = str(settings.get("mono_font") or "Courier New")
    try:
        pal = palette(theme.settings.get("colors") or {}, settings.get("colors"))
        deck = open_base(theme.find("template.pptx"), settings, pal, font)
    except TemplateError as exc:
        raise SlideError(str(exc)) from None
    typo = Typography.from_settings(settings)
    # Measure with the font the text will be set in: the theme's, or the template's body font
    # as fontconfig resolves it (the same substitution LibreOffice makes on this machine).
    measure = TextMeasure(metrics(deck.body_font, mono), typo)
    planner = DeckPlanner(ctx.course, module, theme.labels, _pixel_size)
    specs = planner.plan()
    pages = lay_out(specs, deck, measure, theme.labels.continued)
    config = ctx.course.config
    language = "en-US" if theme.language == "en" else "id-ID"
    writer = DeckWriter(deck, pal, measure, mono=mono, language=language,
                        footer_text=f"{config.display_short_title} · {module.code}",
                        logo=_logo(ctx))
    for page in pages:
        writer.add(page)
    _core_properties(deck.prs, ctx, module, language)
    return reproducible_bytes(deck.prs, ctx.source_date_epoch)


def lay_out(specs: list[SlideSpec], deck: BaseDeck, measure: TextMeasure,
            continued: str) -> list[PagePlan]:
    """Fit titles and paginate every spec; continuation pages get "… (lanjutan)" titles."""
    from bimtek_kit.render.slides.draw import PagePlan, clean
    from bimtek_kit.render.slides.layout import Paginator, Para, TextBox, fit_paragraphs, fit_title
    from bimtek_kit.render.slides.template import title_frame

    typo, fm = measure.typo, measure.fm
    paginator = Paginator(measure, deck.body)
    suffix = f" ({continued})"
    pages: list[PagePlan] = []
    for spec in specs:
        spec.title = " ".join(clean(spec.title).split())  # one line of text, as it is measured
        frame = title_frame(deck, spec.kind)
        if spec.kind != "content":
            fit = fit_title(fm, spec.title, frame, typo.cover_title, typo.cover_title_min,
                            max_lines=3, caps=deck.roles[spec.kind].caps)
            page = PagePlan(spec.kind, fit, kicker=spec.kicker, subtitle=spec.subtitle,
                            notes=[*spec.lead_notes, *spec.tail_notes],
                            footer=spec.kind == "divider")
            if fit.shortened:  # the full title is kept for the presenter
                page.notes.insert(0, spec.title)
            if spec.subtitle:
                sub_frame = deck.roles[spec.kind].subtitle or frame
                page.subtitle_size = fit_paragraphs(measure, spec.subtitle, sub_frame,
                                                    typo.subtitle, typo.floor)
            elif spec.kicker:
                page.subtitle_size = typo.body
            pages.append(page)
            continue
        caps = deck.roles["content"].caps
        first_fit = fit_title(fm, spec.title, frame, typo.title, typo.title_min,
                              suffix=suffix if spec.continued else "", caps=caps)
        boxes = list(spec.boxes)
        if first_fit.shortened and not spec.continued:
            boxes.insert(0, TextBox("text", (Para((Span(spec.title),), role="titlelead",
                                                  counts=False),)))
        laid = paginator.pages(boxes)
        later_fit = None
        for index, page_body in enumerate(laid):
            if index == 0:
                fit = first_fit
            else:
                later_fit = later_fit or fit_title(fm, spec.title, frame, typo.title,
                                                   typo.title_min, suffix=suffix, caps=caps)
                fit = later_fit
            # The slide's own prose first, then what follows the last box, then `catatan`.
            notes = [*page_body.notes, *(spec.tail_notes if index == len(laid) - 1 else []),
                     *(spec.lead_notes if index == 0 else [])]
            pages.append(PagePlan("content", fit, page_body.placed, notes=notes))
    return pages


def _pixel_size(image: Image) -> tuple[int, int] | None:
    """Pixel size of an image we can embed; None shows its alt text instead (DESIGN §4)."""
    if image.path is None or image.path.suffix.lower() in _SVG_LIKE:
        return None
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    try:
        with PILImage.open(image.path) as img:
            width, height = img.size
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        raise SlideError(f"{image.loc}: image '{image.src}' cannot be read: {exc}") from None
    if width <= 0 or height <= 0:
        raise SlideError(f"{image.loc}: image '{image.src}' is empty")
    return width, height


def _logo(ctx: RenderContext) -> Path | None:
    """The course logo (bimtek.yml `logo`) or the theme's (`logo:` in theme.yml), both resolved
    and checked once when the course and theme were loaded."""
    logo = ctx.course.logo or ctx.theme.logo
    return _readable(logo, "logo") if logo is not None else None


def _readable(path: Path, what: str) -> Path:
    """Check an image opens before it is embedded (a broken logo is the user's to fix)."""
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    try:
        with PILImage.open(path) as img:
            img.verify()
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        raise SlideError(f"{what} '{path.name}' cannot be read: {exc}") from None
    return path


def _core_properties(prs: Any, ctx: RenderContext, module: Module, language: str) -> None:
    """Title, author, subject, language and fixed dates (never the clock)."""
    from bimtek_kit.render.slides.draw import clean

    config = ctx.course.config
    stamp = dt.datetime.fromtimestamp(ctx.source_date_epoch, tz=dt.UTC).replace(
        tzinfo=None)
    props = prs.core_properties

    def short(text: str) -> str:
        """Core properties hold at most 255 characters (python-pptx refuses longer ones)."""
        text = clean(" ".join(text.split()))
        return text if len(text) <= 255 else text[:254] + "…"

    props.title = short(module.title)
    props.subject = short(config.title)
    props.author = short(config.organizer or config.display_short_title)
    props.last_modified_by = "bimtek-kit"
    props.keywords = short(f"{module.code}; {config.display_short_title}")
    props.comments = ""
    props.language = language
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    props.revision = 1


def reproducible_bytes(prs: Any, source_date_epoch: int) -> bytes:
    """Save, then rewrite the zip with fixed timestamps, attributes and entry order."""
    raw = io.BytesIO()
    prs.save(raw)
    stamp = dt.datetime.fromtimestamp(max(source_date_epoch, 315532800), tz=dt.UTC)
    date_time = (min(stamp.year, 2107), stamp.month, stamp.day, stamp.hour, stamp.minute,
                 stamp.second)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        names = source.namelist()
        ordered = sorted(names, key=lambda name: name != CONTENT_TYPES)  # stable: types first
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zout.writestr(info, source.read(name))
    return out.getvalue()

