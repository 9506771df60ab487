"""`.pptx` -> a module draft: slide titles -> sections, text -> lists, tables kept, pictures
saved, speaker notes -> `catatan`.

A title-only slide (a section divider) opens a `##` section and the content slides after it
become its `###` sub-sections; a deck without dividers gets one section per slide title, and
slides whose title repeats ("… (lanjutan)") continue the section before. The first slide, when
it uses a title layout, gives the module title and its subtitle the description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bimtek_kit.importers.draft import Draft, ListLine, escape_text, spans_markdown
from bimtek_kit.model import Span

IMAGE_EXTENSIONS = {"png": ".png", "jpg": ".jpg", "jpeg": ".jpg", "gif": ".gif"}
_CONTINUED = re.compile(r"\s*[\(\[]?(lanjutan|cont\.?|continued)[\)\]]?\s*$", re.IGNORECASE)


@dataclass
class _Slide:
    number: int
    title: str
    shapes: list[Any]
    notes: str

    @property
    def has_content(self) -> bool:
        return any(_has_content(shape) for shape in self.shapes)


def import_pptx(path: Path, image_prefix: str) -> Draft:
    from pptx import Presentation

    deck = Presentation(str(path))
    draft = Draft(path.name)
    slides = [_slide(number, slide) for number, slide in enumerate(deck.slides, start=1)]
    if slides and _is_title_slide(deck.slides[0]):
        first = slides.pop(0)
        draft.title = first.title
        draft.description = " ".join(_texts(first.shapes))
    draft.title = draft.title or deck.core_properties.title or path.stem
    dividers = any(not s.has_content and s.title for s in slides)
    section, previous = None, None
    for slide in slides:
        title = _CONTINUED.sub("", slide.title).strip()
        if not title:
            draft.warn(slide.number, "slide without a title: its content joins the section "
                       "before")
        elif dividers and not slide.has_content:
            section = title
            draft.section(title)
        elif dividers and section is not None:
            if title not in (section, previous):
                draft.heading(3, title)
        elif title != previous:
            draft.section(title)
        previous = title or previous
        _content(slide, draft, image_prefix)
    if draft.sections == 0:
        draft.warn(None, "the deck has no slide titles: everything is in one section")
    draft.ensure_section()
    return draft


def _slide(number: int, slide: Any) -> _Slide:
    title_shape = slide.shapes.title
    title = title_shape.text_frame.text.strip() if title_shape is not None else ""
    shapes = [s for s in slide.shapes if title_shape is None or s.shape_id != title_shape.shape_id]
    notes = ""
    if slide.has_notes_slide:
        notes = slide.notes_slide.notes_text_frame.text.strip()
    return _Slide(number, " ".join(title.split()), shapes, notes)


def _is_title_slide(slide: Any) -> bool:
    from pptx.enum.shapes import PP_PLACEHOLDER

    return any(s.is_placeholder and s.placeholder_format.type == PP_PLACEHOLDER.CENTER_TITLE
               for s in slide.shapes)


def _has_content(shape: Any) -> bool:
    if shape.has_text_frame and shape.text_frame.text.strip():
        return True
    return bool(getattr(shape, "has_table", False) or shape.shape_type == 13
                or getattr(shape, "shapes", None))


def _texts(shapes: list[Any]) -> list[str]:
    return [s.text_frame.text.strip() for s in shapes if s.has_text_frame
            and s.text_frame.text.strip()]


def _content(slide: _Slide, draft: Draft, prefix: str) -> None:
    for shape in slide.shapes:
        _shape(shape, slide, draft, prefix)
    if slide.notes:
        paragraphs = [escape_text(p.strip()) for p in slide.notes.split("\n") if p.strip()]
        draft.directive("catatan", "\n\n".join(paragraphs).split("\n"))


def _shape(shape: Any, slide: _Slide, draft: Draft, prefix: str) -> None:
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
        for inner in shape.shapes:
            _shape(inner, slide, draft, prefix)
    elif shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
        _picture(shape, slide, draft, prefix)
    elif getattr(shape, "has_table", False) and shape.has_table:
        rows = [[" ".join(spans_markdown(_spans(p)) for p in cell.text_frame.paragraphs
                          if p.text.strip()) for cell in row.cells] for row in shape.table.rows]
        draft.table(rows)
    elif shape.has_text_frame and shape.text_frame.text.strip():
        _text_frame(shape.text_frame, draft)
    elif getattr(shape, "has_chart", False) and shape.has_chart:
        draft.warn(slide.number, "a chart cannot be imported: redraw it as a table or image")


def _text_frame(frame: Any, draft: Draft) -> None:
    """Paragraphs at level 0 with no bullet and more than one sentence stay prose; the rest
    is a list (a slide's text is a list in all but name)."""
    items = [ListLine(p.level, spans_markdown(_spans(p))) for p in frame.paragraphs
             if p.text.strip()]
    if len(items) == 1 and len(items[0].text) > 120:
        draft.block(items[0].text)
        return
    draft.bullet_list(items)


def _spans(paragraph: Any) -> list[Span]:
    spans = []
    for run in paragraph.runs:
        href = run.hyperlink.address if run.hyperlink is not None else None
        spans.append(Span(run.text, bold=bool(run.font.bold), italic=bool(run.font.italic),
                          href=href))
    return spans


def _picture(shape: Any, slide: _Slide, draft: Draft, prefix: str) -> None:
    image = shape.image
    suffix = IMAGE_EXTENSIONS.get(image.ext.lower())
    if suffix is None:
        draft.warn(slide.number, f"a picture in .{image.ext} format was left out "
                   "(only PNG, JPEG and GIF)")
        return
    alt = shape._element.nvPicPr.cNvPr.get("descr") or ""
    if not alt.strip():
        alt = slide.title or f"Gambar {len(draft.images) + 1}"
        draft.warn(slide.number, f"picture without alt text: described as '{alt}'")
    draft.image(f"{prefix}-{len(draft.images) + 1}{suffix}", image.blob, alt)
