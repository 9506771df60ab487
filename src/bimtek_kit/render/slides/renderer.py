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

import contextlib
import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bimtek_kit.errors import BimtekError, relative_to
from bimtek_kit.model import Image, Module, Span
from bimtek_kit.render.base import Artifact, Job, RenderContext, Renderer, audience_path

if TYPE_CHECKING:  # the slides_* modules import python-pptx; only load them to render
    from bimtek_kit.render.slides.draw import PagePlan
    from bimtek_kit.render.slides.layout import TextMeasure, TitleFit
    from bimtek_kit.render.slides.plan import SlideSpec
    from bimtek_kit.render.slides.template import BaseDeck, Palette

CONTENT_TYPES = "[Content_Types].xml"
_NS_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
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
        with contextlib.suppress(SlideError):  # a broken template is reported by each job
            base_deck(ctx)  # made once here, the workers reopen it

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


@dataclass
class LaidDeck:
    """One module's slides laid out: what both drawers (PPTX and SVG) draw."""

    deck: BaseDeck
    pal: Palette
    measure: TextMeasure
    measure_at: Callable[[float], TextMeasure]
    mono: str
    language: str
    footer_text: str
    pages: list[PagePlan]


def open_deck(ctx: RenderContext) -> tuple[BaseDeck, Palette, TextMeasure, str]:
    """The theme's base deck, palette, text measure and mono font: where every deck starts
    (the modules' decks and the organisers' group deck)."""
    from bimtek_kit.render.slides.layout import TextMeasure, Typography
    from bimtek_kit.render.slides.measure import metrics

    theme = ctx.theme
    settings: dict[str, Any] = dict(theme.settings.get("slides") or {})
    mono = str(settings.get("mono_font") or "Courier New")
    deck, pal = base_deck(ctx)
    typo = Typography.from_settings(settings)
    # Measure with the font the text will be set in: the theme's, or the template's body font
    # as fontconfig resolves it (the same substitution LibreOffice makes on this machine).
    measure = TextMeasure(metrics(deck.body_font, mono), typo)
    return deck, pal, measure, mono


def deck_language(ctx: RenderContext) -> str:
    return "en-US" if ctx.theme.language == "en" else "id-ID"


def lay_out_deck(ctx: RenderContext, module: Module) -> LaidDeck:
    """Plan and lay out one module's deck (pure geometry in points, DESIGN §6)."""
    from bimtek_kit.render.slides.layout import SlideFiller
    from bimtek_kit.render.slides.plan import DeckPlanner

    theme = ctx.theme
    deck, pal, measure, mono = open_deck(ctx)
    planner = DeckPlanner(ctx.course, module, theme.labels, _pixel_size)
    pages = lay_out(planner.plan(), deck, measure, theme.labels.continued)
    config = ctx.course.config
    language = deck_language(ctx)
    return LaidDeck(deck, pal, measure, SlideFiller(measure, deck.body).measure, mono, language,
                    f"{config.display_short_title} · {module.code}", pages)


def base_deck(ctx: RenderContext) -> tuple[BaseDeck, Palette]:
    """A fresh copy of the theme's base deck (see `open_base`) and the slide palette."""
    from bimtek_kit.render.slides.template import TemplateError, open_base, palette

    theme = ctx.theme
    settings: dict[str, Any] = dict(theme.settings.get("slides") or {})
    try:
        pal = palette(theme.settings.get("colors") or {}, settings.get("colors"))
        deck = open_base(theme.find("template.pptx"), settings, pal, theme.fonts("slides")[0])
    except TemplateError as exc:
        raise SlideError(str(exc)) from None
    return deck, pal


def render_deck(ctx: RenderContext, module: Module) -> bytes:
    """Plan, lay out and draw one module's deck; return reproducible .pptx bytes."""
    from bimtek_kit.render.slides.draw import DeckWriter

    laid = lay_out_deck(ctx, module)
    deck, language = laid.deck, laid.language
    writer = DeckWriter(deck, laid.pal, laid.measure, mono=laid.mono, language=language,
                        measure_at=laid.measure_at, footer_text=laid.footer_text,
                        logo=_logo(ctx))
    writer.diagram_label = ctx.theme.labels.get("diagram", "Bagan")
    for page in laid.pages:
        writer.add(page)
    _core_properties(deck.prs, ctx, module, language)
    return reproducible_bytes(deck.prs, ctx.source_date_epoch)


def lay_out(specs: list[SlideSpec], deck: BaseDeck, measure: TextMeasure,
            continued: str) -> list[PagePlan]:
    """Fit titles and paginate every spec; continuation pages get "… (lanjutan)" titles.

    Every slide gets a title of its own (PowerPoint's accessibility checker asks for it):
    continuations are numbered "(lanjutan 2)", any other repeated title gets " (2)".
    """
    from bimtek_kit.render.slides.draw import PagePlan, clean
    from bimtek_kit.render.slides.layout import (
        Para,
        SlideFiller,
        TextBox,
        fit_paragraphs,
        fit_title,
        spread_notes,
    )
    from bimtek_kit.render.slides.template import title_frame

    typo, fm = measure.typo, measure.fm
    filler = SlideFiller(measure, deck.body)
    pages: list[PagePlan] = []
    bases: list[tuple[str, str]] = []
    """(title, suffix) of each page, for making titles unique."""

    def content_title(title: str, suffix: str) -> TitleFit:
        return fit_title(fm, title, title_frame(deck, "content"), typo.title, typo.title_min,
                         suffix=suffix, caps=deck.roles["content"].caps)

    for spec in specs:
        spec.title = " ".join(clean(spec.title).split())  # one line of text, as it is measured
        frame = title_frame(deck, spec.kind)
        if spec.kind != "content":
            fit = fit_title(fm, spec.title, frame, typo.cover_title, typo.cover_title_min,
                            max_lines=3, caps=deck.roles[spec.kind].caps)
            page = PagePlan(spec.kind, fit, kicker=spec.kicker, subtitle=spec.subtitle,
                            notes=[*spec.lead_notes, *spec.tail_notes],
                            footer=spec.kind == "divider", section=spec.section)
            if fit.shortened:  # the full title is kept for the presenter
                page.notes.insert(0, spec.title)
            if spec.subtitle:
                sub_frame = deck.roles[spec.kind].subtitle or frame
                page.subtitle_size = fit_paragraphs(measure, spec.subtitle, sub_frame,
                                                    typo.subtitle, typo.floor)
            elif spec.kicker:
                page.subtitle_size = typo.body
            pages.append(page)
            bases.append((spec.title, ""))
            continue
        first_fit = content_title(spec.title, continuation_suffix(continued, spec.continued))
        boxes = list(spec.boxes)
        if first_fit.shortened and not spec.continued:
            boxes.insert(0, TextBox("text", (Para((Span(spec.title),), role="titlelead",
                                                  counts=False),)))
        laid, size = filler.fit(boxes)
        last = len(laid) - 1
        # The slide's own prose first, then what follows the last box, then `catatan`.
        notes = spread_notes([[*page_body.notes, *(spec.tail_notes if index == last else []),
                               *(spec.lead_notes if index == 0 else [])]
                              for index, page_body in enumerate(laid)])
        for index, page_body in enumerate(laid):
            suffix = continuation_suffix(continued, index + int(spec.continued))
            fit = first_fit if index == 0 else content_title(spec.title, suffix)
            pages.append(PagePlan("content", fit, page_body.placed, notes=notes[index],
                                  body_size=size, section=spec.section))
            bases.append((spec.title, suffix))
    _unique_titles(pages, bases, content_title)
    _spread_in_sections(pages, spread_notes)
    return pages


def _spread_in_sections(pages: list[PagePlan],
                        spread: Callable[[list[list[str]]], list[list[str]]]) -> None:
    """Share notes out over each section's run of content slides, so a `###` part without prose
    of its own still gets the notes of the slide before it."""
    run: list[PagePlan] = []
    for page in [*pages, None]:
        if page is not None and page.kind == "content" and page.section and (
                not run or run[-1].section == page.section):
            run.append(page)
            continue
        if len(run) > 1:
            for member, notes in zip(run, spread([p.notes for p in run]), strict=True):
                member.notes = notes
        run = [page] if page is not None and page.kind == "content" and page.section else []


def continuation_suffix(continued: str, number: int) -> str:
    """"" for a first slide, " (lanjutan)" for the first continuation, then " (lanjutan 2)"."""
    if number <= 0:
        return ""
    return f" ({continued})" if number == 1 else f" ({continued} {number})"


def _unique_titles(pages: list[PagePlan], bases: list[tuple[str, str]],
                   refit: Callable[[str, str], TitleFit]) -> None:
    """Number the second and later slides that would repeat a title: "Title (2)"."""
    seen: dict[str, int] = {}
    for page, (title, suffix) in zip(pages, bases, strict=True):
        key = page.title.text.casefold()
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == 1:
            continue
        number = seen[key]
        while True:
            fit = refit(title, f"{suffix} ({number})")
            if fit.text.casefold() not in seen:
                break
            number += 1
        if page.kind != "content":
            fit = replace(page.title, text=fit.text)
        page.title = fit
        seen[fit.text.casefold()] = 1


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
    core_properties(prs, ctx, module.title, f"{module.code}; "
                    f"{ctx.course.config.display_short_title}", language)


def core_properties(prs: Any, ctx: RenderContext, title: str, keywords: str,
                    language: str) -> None:
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

    props.title = short(title)
    props.subject = short(config.title)
    props.author = short(config.organizer or config.display_short_title)
    props.last_modified_by = "bimtek-kit"
    props.keywords = short(keywords)
    props.comments = ""
    props.language = language
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    props.revision = 1


def reproducible_bytes(prs: Any, source_date_epoch: int) -> bytes:
    """The deck as a zip with fixed timestamps, attributes and entry order, written in one pass.

    The entries are python-pptx's own, in the order its `save` writes them (content types, the
    package relationships, then each part and its relationships), so the bytes equal saving
    and rewriting the zip, at half the cost: nothing is compressed twice.
    """
    from pptx.opc.oxml import serialize_part_xml
    from pptx.opc.packuri import PACKAGE_URI
    from pptx.opc.serialized import _ContentTypesItem

    package = prs.part.package
    parts = tuple(package.iter_parts())
    entries = [(CONTENT_TYPES, serialize_part_xml(_ContentTypesItem.xml_for(parts))),
               (PACKAGE_URI.rels_uri.membername, package._rels.xml)]
    for part in parts:
        entries.append((part.partname.membername, part.blob))
        if part._rels:
            entries.append((part.partname.rels_uri.membername, rels_xml(part.rels)))
    return zip_entries(entries, source_date_epoch)


def rels_xml(rels: Any) -> bytes:
    """A part's `.rels` file as python-pptx's `_Relationships.xml` writes it (relationships in
    numerical order), without its parse of a small XML document per relationship."""
    from lxml import etree

    root = etree.Element(f"{{{_NS_RELS}}}Relationships", nsmap={None: _NS_RELS})
    numbered = sorted((int(r_id[3:]) if r_id.startswith("rId") and r_id[3:].isdigit() else 0,
                       r_id) for r_id in rels)
    for _, r_id in numbered:
        rel = rels[r_id]
        attributes = {"Id": r_id, "Type": rel.reltype, "Target": rel.target_ref}
        if rel.is_external:
            attributes["TargetMode"] = "External"
        etree.SubElement(root, f"{{{_NS_RELS}}}Relationship", attributes)
    return etree.tostring(root, encoding="UTF-8", standalone=True)


def zip_entries(entries: list[tuple[str, bytes]], source_date_epoch: int) -> bytes:
    """Deflated zip of `entries` in their order, every entry stamped with SOURCE_DATE_EPOCH."""
    stamp = dt.datetime.fromtimestamp(max(source_date_epoch, 315532800), tz=dt.UTC)
    date_time = (min(stamp.year, 2107), stamp.month, stamp.day, stamp.hour, stamp.minute,
                 stamp.second)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zout.writestr(info, data)
    return out.getvalue()
