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
from bimtek_kit.importers.labels import words
from bimtek_kit.model import Span

IMAGE_EXTENSIONS = {"png": ".png", "jpg": ".jpg", "jpeg": ".jpg", "gif": ".gif"}
_NUMBERING = re.compile(r"^\s*\d+[.)]\s+")
_BULLET = re.compile(r"^\s*[•▪◦‣–-]\s+")
_JP = re.compile(r"(\d+)\s*JP\b")
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
    if match := _JP.search(draft.description):
        draft.duration_jp = int(match.group(1))
    slides = _without_boilerplate(slides)
    dividers = any(not s.has_content and s.title for s in slides)
    section, previous = None, None
    for slide in slides:
        title = _CONTINUED.sub("", slide.title).strip()
        if _special(slide, title.lower(), draft):
            continue
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


def _without_boilerplate(slides: list[_Slide]) -> list[_Slide]:
    """Drop footers, slide numbers and "Bagian 2" kickers: text on most slides, bare numbers,
    the part label. They belong to the deck's design, not to the module."""
    counts: dict[str, int] = {}
    for slide in slides:
        for text in set(_texts(slide.shapes)):
            counts[text] = counts.get(text, 0) + 1
    repeated = {t for t, n in counts.items() if n >= 3 and n > len(slides) / 2}
    parts = words("part")

    def boilerplate(text: str) -> bool:
        head, _, number = text.rpartition(" ")
        return (text in repeated or text.isdigit()
                or (number.isdigit() and head.lower() in parts))

    return [_Slide(s.number, s.title, [shape for shape in s.shapes
                                       if not (shape.has_text_frame
                                               and boilerplate(shape.text_frame.text.strip()))],
                   s.notes) for s in slides]


def _special(slide: _Slide, title: str, draft: Draft) -> bool:
    """Slides bimtek-kit (and many decks) open and close with: objectives go to the front
    matter, the agenda and the closing slides are left out, a summary becomes `rangkuman`."""
    if title in words("objectives"):
        lead = words("objectives_lead")
        draft.objectives += [_NUMBERING.sub("", text) for shape in slide.shapes
                             if shape.has_text_frame for p in shape.text_frame.paragraphs
                             if (text := p.text.strip()) and text.lower() not in lead]
        return True
    if title in words("agenda") | words("thanks") | words("questions_prompt"):
        return True
    if title in words("summary"):
        summary = draft.child()
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text.strip():
                _text_frame(shape.text_frame, summary)
        draft.directive("rangkuman", summary.lines)
        return True
    return False


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
        rows = [[" ".join(spans_markdown(_spans(p, plain_weight=index == 0))
                          for p in cell.text_frame.paragraphs if p.text.strip())
                 for cell in row.cells] for index, row in enumerate(shape.table.rows)]
        draft.table(rows)
    elif shape.has_text_frame and shape.text_frame.text.strip():
        _text_frame(shape.text_frame, draft)
    elif getattr(shape, "has_chart", False) and shape.has_chart:
        draft.warn(slide.number, "a chart cannot be imported: redraw it as a table or image")


def _text_frame(frame: Any, draft: Draft) -> None:
    """A slide's text is a list in all but name; a single long paragraph stays prose.
    Numbers or bullets typed into the text ("1.<tab>") become the list's own."""
    paragraphs = [p for p in frame.paragraphs if p.text.strip()]
    numbered = bool(paragraphs) and all(_NUMBERING.match(p.text) for p in paragraphs)
    items = []
    for paragraph in paragraphs:
        spans = _spans(paragraph)
        typed = _NUMBERING.match(paragraph.text) or _BULLET.match(paragraph.text)
        if typed:
            spans = _drop(spans, typed.end())
        text = spans_markdown(spans)
        if text:
            items.append(ListLine(paragraph.level, text, ordered=numbered))
    if len(items) == 1 and len(items[0].text) > 120:
        draft.block(items[0].text)
        return
    start = int(re.findall(r"\d+", paragraphs[0].text)[0]) if numbered else 1
    draft.bullet_list(items, start)  # a continued list goes on counting


def _drop(spans: list[Span], count: int) -> list[Span]:
    """`spans` without their first `count` characters."""
    result = []
    for span in spans:
        cut = min(count, len(span.text))
        count -= cut
        if span.text[cut:]:
            result.append(Span(span.text[cut:], span.bold, span.italic, span.code, span.strike,
                               span.href))
    return result


def _spans(paragraph: Any, plain_weight: bool = False) -> list[Span]:
    """Runs as spans; `plain_weight` drops bold (a header row's bold is the table's)."""
    spans = []
    for run in paragraph.runs:
        href = run.hyperlink.address if run.hyperlink is not None else None
        bold = bool(run.font.bold) and not plain_weight
        spans.append(Span(run.text, bold=bold, italic=bool(run.font.italic), href=href))
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
