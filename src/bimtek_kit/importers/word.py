"""`.docx` -> a module draft: headings -> sections, lists, tables, images, bold/italic,
footnotes -> an info box after their paragraph.

Headings are placed by level: when the document has a Title (or a single top-level heading),
that is the module title and the next level the `##` sections; deeper levels become `###` and
`####`; anything deeper still cannot be placed and becomes a bold paragraph with a warning at
its paragraph number. A document bimtek-kit exported maps back exactly: "BAB I" and "A." are
stripped, the LAN-style opening fills the front matter, shaded one-cell boxes become the
directives their label names, and the end-of-chapter evaluation is left to the question banks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bimtek_kit.importers.draft import Draft, ListLine, spans_markdown
from bimtek_kit.importers.labels import box_kinds, words
from bimtek_kit.model import Span

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
IMAGE_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif"}
_CHAPTER = re.compile(r"^(BAB|CHAPTER)\s+[IVXLC]+\s+", re.IGNORECASE)
_LETTER = re.compile(r"^([A-Z])\.\s+")
_TIME = re.compile(r"(\d+)\s*(menit|minutes?)", re.IGNORECASE)
_JP = re.compile(r"(\d+)\s*JP", re.IGNORECASE)
DIAGRAM_KINDS = ("alur", "siklus", "tangga", "piramida", "matriks", "hierarki")
_DIAGRAM_LABEL = re.compile(r"^(\s*(?:\d+\.|-) )\*\*(.+?)\*\*")
_DIAGRAM_ITEM = re.compile(r"^(\s*(?:\d+\.|-) )(.+?) — (.*)$")
_AXES = re.compile(r"^x: (.*) · y: (.*)$")


def import_docx(path: Path, image_prefix: str) -> Draft:
    import docx

    document = docx.Document(str(path))
    reader = _WordReader(document, Draft(path.name), image_prefix)
    reader.read()
    return reader.draft


@dataclass
class _WordReader:
    document: Any
    draft: Draft
    prefix: str
    number: int = 0
    """Paragraph number in the body, for located warnings."""
    title_level: int | None = None
    section_level: int = 1
    lettered: bool = False
    skipping: bool = False
    """Inside the end-of-chapter evaluation or the daftar isi: left out."""
    opening: str | None = None
    footnotes: dict[str, str] = field(default_factory=dict)
    pending_list: list[ListLine] = field(default_factory=list)
    list_start: int = 1

    def read(self) -> None:
        self.footnotes = _footnotes(self.document)
        self._plan_headings()
        self._body(self.document.element.body, self.draft)
        self._flush(self.draft)
        if not self.draft.title:
            self.draft.title = Path(self.draft.source).stem.replace("-", " ").replace("_", " ")
            self.draft.warn(None, "no title or top-level heading: the file name is the title")
        self.draft.ensure_section()

    # --- headings ---------------------------------------------------------------------

    def _plan_headings(self) -> None:
        levels = [_heading_level(p) for p in self.document.paragraphs]
        used = sorted({level for level in levels if level})
        has_title = any(p.style is not None and p.style.name == "Title"
                        for p in self.document.paragraphs)
        if used and not has_title and levels.count(used[0]) == 1:
            self.title_level = used[0]
            self.section_level = used[1] if len(used) > 1 else used[0] + 1
        elif used:
            self.section_level = used[0]
        unnumbered = words("evaluation") | words("contents")
        sections = [p.text.strip() for p, level in zip(self.document.paragraphs, levels,
                                                         strict=True)
                    if level == self.section_level and p.text.strip().lower() not in unnumbered]
        letters = [m.group(1) if (m := _LETTER.match(t)) else "" for t in sections]
        self.lettered = bool(sections) and letters == [chr(65 + i) for i in range(len(letters))]

    def _heading(self, paragraph: Any, level: int, draft: Draft) -> None:
        text = paragraph.text.strip()
        if not text:
            return
        self._flush(draft)
        if level == self.title_level or (paragraph.style.name == "Title"):
            self.draft.title = self.draft.title or _CHAPTER.sub("", text)
            self.skipping = False
            return
        lowered = text.lower()
        if lowered in words("contents") | words("evaluation") and level <= self.section_level:
            self.skipping = True
            if lowered in words("evaluation"):
                self.draft.warn(self.number, f"'{text}': evaluation questions are not imported; "
                                "write them in content/evaluasi/formatif.yml")
            return
        self.skipping = False
        self.opening = _opening_kind(lowered)
        if self.opening:
            return
        depth = level - self.section_level + 2
        if depth == 2:
            draft.section(_LETTER.sub("", text) if self.lettered else text)
        elif 2 < depth <= 4:
            draft.heading(depth, text)
        else:
            self.draft.warn(self.number, f"heading level {level} '{text}' cannot be placed "
                            f"under the sections (Heading {self.section_level}); kept as bold text")
            draft.paragraph((Span(text, bold=True),))

    # --- the body ---------------------------------------------------------------------

    def _body(self, parent: Any, draft: Draft) -> None:
        for element in parent.iterchildren():
            if element.tag == f"{W}p":
                self.number += 1
                self._paragraph(element, draft)
            elif element.tag == f"{W}tbl":
                self._flush(draft)
                if not self.skipping:
                    self._table(element, draft)
            elif element.tag == f"{W}sdt":
                content = element.find(f"{W}sdtContent")
                if content is not None:
                    self._body(content, draft)

    def _paragraph(self, element: Any, draft: Draft) -> None:
        from docx.text.paragraph import Paragraph

        paragraph = Paragraph(element, self.document.part)
        style = paragraph.style.name if paragraph.style is not None else ""
        level = _heading_level(paragraph)
        if level or style == "Title":
            self._heading(paragraph, level or 0, draft)
            return
        if self.skipping or style.startswith("TOC"):
            return
        if self.opening and self._opening_line(paragraph, style):
            return
        self.opening = None
        self._images(paragraph, draft)
        spans = _spans(paragraph)
        text = spans_markdown(spans)
        if style == "Caption" and draft.lines and draft.lines[-1].startswith("!["):
            return
        list_line = _list_line(paragraph, style, text)
        if list_line is not None:
            if not self.pending_list:
                self.list_start = _list_start(self.document, paragraph)
            if text:
                self.pending_list.append(list_line)
            return
        self._flush(draft)
        if not text:
            return
        if style == "Quote":
            draft.block(f"> {text}")
        elif style == "Code":
            draft.code_line(paragraph.text)
        else:
            draft.block(text)
        self._footnotes(paragraph, draft)

    def _flush(self, draft: Draft) -> None:
        if self.pending_list:
            draft.bullet_list(self.pending_list, self.list_start)
            self.pending_list = []

    def _footnotes(self, paragraph: Any, draft: Draft) -> None:
        ids = [ref.get(f"{W}id") for ref in paragraph._p.iter(f"{W}footnoteReference")]
        notes = [self.footnotes[i] for i in ids if i in self.footnotes]
        if notes:
            body = [f"- {note}" for note in notes] if len(notes) > 1 else [notes[0]]
            draft.directive("info", body, "Catatan kaki")

    def _images(self, paragraph: Any, draft: Draft) -> None:
        for drawing in paragraph._p.iter(f"{W}drawing"):
            blip = next(drawing.iter(f"{A}blip"), None)
            doc_pr = next(drawing.iter(f"{WP}docPr"), None)
            if blip is None:
                continue
            part = self.document.part.related_parts.get(blip.get(f"{R}embed"))
            suffix = IMAGE_TYPES.get(getattr(part, "content_type", ""))
            if part is None or suffix is None:
                self.draft.warn(self.number, "an image in a format other than PNG, JPEG or GIF "
                                "was left out")
                continue
            alt = (doc_pr.get("descr") or doc_pr.get("title") or "") if doc_pr is not None else ""
            if not alt.strip():
                alt = f"Gambar {len(draft.images) + 1}"
                self.draft.warn(self.number, f"image without alt text: described as '{alt}'")
            self._flush(draft)
            draft.image(f"{self.prefix}-{len(draft.images) + 1}{suffix}", part.blob, alt)

    # --- the LAN-style opening ----------------------------------------------------------

    def _opening_line(self, paragraph: Any, style: str) -> bool:
        """Take one line of the opening into the front matter; False where the opening ends
        (the first paragraph that is none of its parts belongs to the module's intro)."""
        text = paragraph.text.strip()
        if not text:
            return True
        key, _, value = text.partition(":")
        key = key.strip().lower()
        listed = style.startswith(("List", "List Paragraph"))
        if value and key in words("duration"):
            if match := _JP.search(value):
                self.draft.duration_jp = int(match.group(1))
        elif value and key in words("methods"):
            self.draft.methods = [m.strip() for m in value.split(",") if m.strip()]
        elif value and key in words("media"):
            self.draft.media = [m.strip() for m in value.split(",") if m.strip()]
        elif self.opening == "description" and not listed:
            self.draft.description = (self.draft.description + " " + text).strip()
        elif self.opening == "objectives" and text.lower() in words("objectives_lead"):
            pass
        elif self.opening == "objectives" and listed:
            self.draft.objectives.append(text)
        elif not (self.opening == "topics" and listed):
            return False
        return True

    # --- tables and boxes -------------------------------------------------------------

    def _table(self, element: Any, draft: Draft) -> None:
        from docx.table import Table

        table = Table(element, self.document.part)
        if len(table.rows) == 1 and len(table.columns) == 1:
            self._box(table.cell(0, 0), draft)
            return
        rows: list[list[str]] = []
        seen: dict[Any, bool] = {}  # cell elements already written (merged cells repeat)
        for index, row in enumerate(table.rows):
            cells = []
            for cell in row.cells:
                if cell._tc in seen:
                    cells.append("")
                    continue
                seen[cell._tc] = True
                cells.append(" ".join(_cell_markdown(p, header=index == 0)
                                      for p in cell.paragraphs if p.text.strip()))
            rows.append(cells)
        if len(seen) < sum(len(row) for row in rows):
            self.draft.warn(self.number, "merged table cells were split; check the table")
        draft.table(rows)

    def _box(self, cell: Any, draft: Draft) -> None:
        """A shaded one-cell table: the directive its label names, else its content inline."""
        paragraphs = cell.paragraphs
        label = paragraphs[0].text.strip() if paragraphs else ""
        head, _, diagram_kind = label.partition(" ")
        if head.lower() in words("diagram") and diagram_kind in DIAGRAM_KINDS:
            self._diagram(cell, diagram_kind, draft)
            return
        name, _, meta = label.partition(" · ")
        kind = box_kinds().get(re.sub(r"\s+[A-Z]*\d[\d.]*$", "", name.strip()).lower())
        if kind is None:
            self._body(cell._tc, draft)
            self._flush(draft)
            return
        cell._tc.remove(paragraphs[0]._p)
        title = ""
        first = cell.paragraphs[0] if cell.paragraphs else None
        if first is not None and first.style is not None and first.style.name == "Box Title":
            title = first.text.strip()
            cell._tc.remove(first._p)
        inner = draft.child()
        key = self._box_body(cell, inner)
        options = f"waktu={m.group(1)}" if (m := _TIME.search(meta)) else ""
        if kind == "catatan" or kind == "kunci":
            draft.directive(kind, inner.lines)
            return
        body = inner.lines + ([] if key is None else _wrap("kunci", key.lines))
        if kind == "simulasi":
            body = self._role_cards(body)
        draft.directive(kind, body, title, options)

    def _diagram(self, cell: Any, kind: str, draft: Draft) -> None:
        """A `bagan` box (as `DocxBlocks.visit_diagram` writes it) back to its directive:
        `**label** — description` items become `label: description` again."""
        cell._tc.remove(cell.paragraphs[0]._p)
        title, options = "", ""
        first = cell.paragraphs[0] if cell.paragraphs else None
        if first is not None and first.style is not None and first.style.name == "Box Title":
            title = first.text.strip()
            cell._tc.remove(first._p)
        inner = draft.child()
        self._box_body(cell, inner)
        body = []
        for line in inner.lines:
            if axes := _AXES.match(line):
                options = f'x="{axes.group(1)}" y="{axes.group(2)}"'
            elif not line.startswith("↻"):
                body.append(_DIAGRAM_ITEM.sub(r"\1\2: \3", _DIAGRAM_LABEL.sub(r"\1\2", line)))
        draft.directive("bagan " + kind, [line for line in body if line.strip()], title, options)

    def _role_cards(self, body: list[str]) -> list[str]:
        """The handbook names the roles only; each becomes a role card to be filled in."""
        result = []
        for line in body:
            match = re.match(r"^\*\*(\w+):\*\* (.+)$", line)
            if match and match.group(1).lower() in words("role"):
                for name in (n.strip() for n in match.group(2).split(",")):
                    result += ["", f"#### {match.group(1)} {name}", "",
                               "(Tuliskan kartu peran di sini.)"]
                self.draft.warn(self.number, "role-play without role briefs: write each "
                                "role card under its '#### Peran' heading")
            else:
                result.append(line)
        return result

    def _box_body(self, cell: Any, inner: Draft) -> Draft | None:
        """Write the cell into `inner`; a "Kunci Jawaban" label inside starts the key."""
        key: Draft | None = None
        target = inner
        for element in list(cell._tc.iterchildren()):
            if element.tag == f"{W}p":
                text = "".join(element.itertext()).strip()
                if box_kinds().get(text.lower()) == "kunci":
                    self._flush(target)
                    key = target = inner.child()
                    continue
            self._body_one(element, target)
        self._flush(target)
        return key

    def _body_one(self, element: Any, draft: Draft) -> None:
        if element.tag == f"{W}p":
            self.number += 1
            self._paragraph(element, draft)
        elif element.tag == f"{W}tbl":
            self._flush(draft)
            self._table(element, draft)


def _cell_markdown(paragraph: Any, header: bool) -> str:
    """A cell's paragraph; a header row's bold is the table's, not the text's."""
    spans = _spans(paragraph)
    if header:
        spans = [Span(s.text, False, s.italic, s.code, s.strike, s.href) for s in spans]
    return spans_markdown(spans)


def _wrap(name: str, lines: list[str]) -> list[str]:
    holder = Draft("")
    holder.directive(name, lines)
    return ["", *holder.lines]


def _opening_kind(lowered: str) -> str | None:
    if lowered in words("description"):
        return "description"
    if lowered in words("objectives"):
        return "objectives"
    if lowered in words("topics"):
        return "topics"
    return None


def _heading_level(paragraph: Any) -> int:
    name = paragraph.style.name if paragraph.style is not None else ""
    match = re.match(r"^Heading (\d)$", name)
    if match:
        return int(match.group(1))
    outline = paragraph._p.find(f"{W}pPr/{W}outlineLvl")
    if outline is not None and outline.get(f"{W}val", "9").isdigit():
        value = int(outline.get(f"{W}val"))
        return value + 1 if value < 9 else 0
    return 0


def _spans(paragraph: Any) -> list[Span]:
    """Runs (also inside hyperlinks) as spans with their formatting."""
    spans: list[Span] = []
    for child in paragraph._p.iterchildren():
        if child.tag == f"{W}r":
            spans.extend(_run_spans(child, paragraph, None))
        elif child.tag == f"{W}hyperlink":
            rel = child.get(f"{R}id")
            href = paragraph.part.rels[rel].target_ref if rel in paragraph.part.rels else None
            for run in child.iter(f"{W}r"):
                spans.extend(_run_spans(run, paragraph, href))
    return spans


def _run_spans(element: Any, paragraph: Any, href: str | None) -> list[Span]:
    from docx.text.run import Run

    run = Run(element, paragraph)
    text = "".join(t.text or "" for t in element.iter(f"{W}t"))
    text += " " * len(element.findall(f"{W}tab"))
    if not text:
        return []
    font = run.font
    mono = (font.name or "").lower() in ("courier new", "consolas", "dejavu sans mono",
                                         "liberation mono")
    return [Span(text, bold=bool(run.bold), italic=bool(run.italic), code=mono, href=href)]


def _list_line(paragraph: Any, style: str, text: str) -> ListLine | None:
    num_pr = paragraph._p.find(f"{W}pPr/{W}numPr")
    if style.startswith("List Continue"):
        return ListLine(_style_level(style), text, continuation=True)
    if not (style.startswith(("List Bullet", "List Number", "List Paragraph"))
            or num_pr is not None):
        return None
    level = _style_level(style)
    if num_pr is not None and num_pr.find(f"{W}ilvl") is not None:
        level = max(level, int(num_pr.find(f"{W}ilvl").get(f"{W}val", "0")))
    ordered = style.startswith("List Number") or _numbered(paragraph, num_pr)
    return ListLine(min(level, 3), text, ordered)


def _style_level(style: str) -> int:
    match = re.search(r" (\d)$", style)
    return int(match.group(1)) - 1 if match else 0


def _numbered(paragraph: Any, num_pr: Any) -> bool:
    """Whether a directly numbered paragraph counts (decimal, letters) rather than bullets."""
    if num_pr is None:
        return False
    try:
        numbering = paragraph.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return False
    num_id = num_pr.find(f"{W}numId").get(f"{W}val")
    for num in numbering.findall(f"{W}num"):
        if num.get(f"{W}numId") == num_id:
            abstract = num.find(f"{W}abstractNumId").get(f"{W}val")
            for definition in numbering.findall(f"{W}abstractNum"):
                if definition.get(f"{W}abstractNumId") == abstract:
                    fmt = definition.find(f"{W}lvl/{W}numFmt")
                    return fmt is not None and fmt.get(f"{W}val") != "bullet"
    return False


def _list_start(document: Any, paragraph: Any) -> int:
    """The start of an ordered list numbered with a `startOverride` (bimtek-kit's exports)."""
    num_id = paragraph._p.find(f"{W}pPr/{W}numPr/{W}numId")
    if num_id is None:
        return 1
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return 1
    for num in numbering.findall(f"{W}num"):
        if num.get(f"{W}numId") == num_id.get(f"{W}val"):
            override = num.find(f"{W}lvlOverride/{W}startOverride")
            if override is not None:
                return int(override.get(f"{W}val", "1"))
    return 1


def _footnotes(document: Any) -> dict[str, str]:
    """Footnote id -> its text, from the footnotes part when the document has one."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    for rel in document.part.rels.values():
        if rel.reltype == RELATIONSHIP_TYPE.FOOTNOTES:
            from lxml import etree

            root = etree.fromstring(rel.target_part.blob)
            return {note.get(f"{W}id"): " ".join("".join(note.itertext()).split())
                    for note in root.findall(f"{W}footnote")
                    if int(note.get(f"{W}id", "0")) > 0}
    return {}
