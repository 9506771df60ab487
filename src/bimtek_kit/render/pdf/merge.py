"""Joining laid-out PDF parts into one file, reproducibly (pypdf).

Long documents are laid out in pieces (one per module) so the pieces can be built in parallel
and reused when their module did not change (issue #7); this module puts them back together:
pages in order, outlines kept, optional page-number overlays, page labels, fixed metadata and
`/ID`, and identical objects (fonts shared by the pieces) stored once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.constants import PageLabelStyle
from pypdf.filters import decode_stream_data
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

from bimtek_kit.render.pdf.stack import SAMPLE_DIGITS


@dataclass
class MergeSpec:
    title: str
    author: str
    language: str
    source_date_epoch: int
    bookmarks: Sequence[tuple[str, int]] = ()
    """Extra top-level outline entries: (title, 0-based page index)."""
    labels: Sequence[tuple[int, int, str, int]] = ()
    """Page labels: (first page, last page, style "r" or "D" or a literal prefix, start)."""
    overlay: bytes | None = None
    """A PDF whose page i is stamped onto page `overlay_from + i`."""
    overlay_from: int = 0
    digits: bytes | None = None
    """Page numbering by stamps: the samples of `stack.page_number_samples`, laid out where the
    document prints its page numbers; pages from `digits_from` on get `digits_start`,
    `digits_start` + 1 … composed of the samples' digits, after the samples' label."""
    digits_from: int = 0
    digits_start: int = 1
    back_cover: bool = False
    """The last page is a back cover: it gets no page number."""
    import_outlines: bool = True
    recto_starts: bool = False
    """Insert a blank page where needed so that every part after the first opens on a
    right-hand (odd) page, as in a book printed on both sides."""
    blank: bytes | None = None
    """A one-page PDF to insert as that blank page (e.g. one carrying the facilitators' mark);
    None: an empty page."""
    part_bookmarks: Sequence[str] = ()
    """One top-level outline entry per part, at its first page (empty titles are skipped)."""
    part_labels: Sequence[str] = ()
    """Page labels for documents numbered per part: part i's pages are labelled prefix + 1, 2,
    3 … (a blank page put before a part ends the part before it)."""
    links: Sequence[tuple[int, Sequence[float], int, int]] = ()
    """Links added after joining: (page index, rectangle in PDF points, part, page of that
    part). A part cannot link to another part by itself (the daftar isi to a chapter); see
    `pdf.link_areas`."""
    extra: dict[str, str] = field(default_factory=dict)


def _add_blank(writer: PdfWriter, blank: bytes | None) -> None:
    if blank is None:
        writer.add_blank_page()
    else:
        writer.append(PdfReader(io.BytesIO(blank)), import_outline=False)


_STYLES = {"r": PageLabelStyle.LOWERCASE_ROMAN, "D": PageLabelStyle.DECIMAL}


def merge_pdfs(parts: Sequence[bytes], spec: MergeSpec) -> bytes:
    """Concatenate `parts` into one PDF described by `spec`; same inputs, same bytes."""
    try:
        return _merge(parts, spec)
    finally:
        for data in parts:  # the readers `page_count(keep=True)` kept for this join
            _READERS.pop(id(data), None)


def _merge(parts: Sequence[bytes], spec: MergeSpec) -> bytes:
    writer = PdfWriter()
    starts: list[int] = []
    appended: set[int] = set()
    for data in parts:
        if spec.recto_starts and len(writer.pages) % 2 == 1:
            _add_blank(writer, spec.blank)
        starts.append(len(writer.pages))
        kept = _READERS.get(id(data))
        # A part given twice gets a reader of its own: pypdf maps a reader's objects once.
        reader = (kept[1] if kept and kept[0] is data and id(data) not in appended
                  else PdfReader(io.BytesIO(data)))
        appended.add(id(data))
        writer.append(reader, import_outline=spec.import_outlines)
        # The writer keeps every reader it cloned from alive ("PreventGC"): 300 parsed parts
        # were half of a 300-module join's 520 MB (issue #23). Its pages are copied now.
        writer.reset_translation(reader)
        reader.resolved_objects.clear()
        _READERS.pop(id(data), None)
    for title, start in zip(spec.part_bookmarks, starts, strict=False):
        if title:
            writer.add_outline_item(title=title, page_number=start)
    if spec.overlay is not None:
        _stamp(writer, PdfReader(io.BytesIO(spec.overlay)), spec.overlay_from)
    if spec.digits is not None:
        _number_pages(writer, spec.digits, spec.digits_from, spec.digits_start,
                      len(writer.pages) - (1 if spec.back_cover else 0))
    for title, page in spec.bookmarks:
        writer.add_outline_item(title=title, page_number=page)
    for page, rect, part, offset in spec.links:
        writer.add_annotation(page, Link(rect=tuple(rect), target_page_index=starts[part] + offset,
                                         border=[0, 0, 0]))
    ends = [*(start - 1 for start in starts[1:]), len(writer.pages) - 1]
    for prefix, first, last in zip(spec.part_labels, starts, ends, strict=False):
        writer.set_page_label(first, last, style=PageLabelStyle.DECIMAL, prefix=prefix or None,
                              start=1)
    for first, last, style, start in spec.labels:
        if last < first:
            continue
        if style in _STYLES:
            writer.set_page_label(first, last, style=_STYLES[style], start=start or 1)
        else:
            writer.set_page_label(first, last, prefix=style)
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    _metadata(writer, spec, len(writer.pages))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _stamp(writer: PdfWriter, overlay: PdfReader, first: int) -> None:
    for index, stamp in enumerate(overlay.pages):
        target = first + index
        if target >= len(writer.pages):
            break
        page = writer.pages[target]
        page.merge_page(stamp)
        page.compress_content_streams()


def _number_pages(writer: PdfWriter, digits: bytes, first: int, start: int, end: int) -> None:
    """Stamp `start`, `start` + 1 … on pages `first`… as real text, in the document's own
    page-number style.

    `digits` holds the laid-out samples of `stack.page_number_samples`: the label and one digit
    per page, where the document prints its page numbers. Their text operators (colour, font,
    position) are reused to write each number as one text run: milliseconds, where laying out
    a page-number document of hundreds of pages took seconds (issue #12). The number is real
    text, so it can be selected and read by a screen reader.
    """
    stamp = _DigitStamp.read(PdfReader(io.BytesIO(digits)), writer)
    open_state = writer._add_object(_stream(b"q\n"))
    for index in range(first, end):
        page = writer.pages[index]
        if _draws_nothing(page):  # a blank verso before a chapter: counted, never numbered
            continue
        resources = page["/Resources"].get_object()
        for kind, name, ref in (("/Font", stamp.font_name, stamp.font),
                                ("/ExtGState", stamp.state_name, stamp.state)):
            if ref is None:
                continue
            if kind not in resources:
                resources[NameObject(kind)] = DictionaryObject()
            resources[kind].get_object()[NameObject(name)] = ref
        # Page 1 is a right-hand page: the samples say where a left-hand one puts the number.
        text = stamp.content(str(start + index - first), left_hand=index % 2 == 1)
        close = writer._add_object(_stream(b"Q\n" + text))
        page[NameObject("/Contents")] = ArrayObject([open_state, *_content_refs(writer, page),
                                                     close])


_OPERATOR = re.compile(rb"(?<![\w/.\-])[A-Za-z'\"]+\*?(?!\w)")
_SETUP = {b"q", b"Q", b"cm", b"gs", b"w", b"J", b"j", b"M", b"d", b"ri", b"i", b"g", b"G",
          b"rg", b"RG", b"k", b"K", b"cs", b"CS", b"sc", b"SC", b"scn", b"SCN"}
"""Content operators that set up the graphics state but put nothing on the page."""


def _draws_nothing(page: DictionaryObject) -> bool:
    """True for a page left blank on purpose (issue #15): the join's empty page before a
    right-hand chapter, or one WeasyPrint put before a left-hand back cover. Such a page gets
    no page number: it is counted, but nothing is printed on it."""
    if "/Contents" not in page:
        return True
    contents = page["/Contents"].get_object()
    streams = ([s.get_object() for s in contents] if isinstance(contents, ArrayObject)
               else [contents])
    # Decoded here, not by `get_data`, which keeps the decoded copy on the stream: 90 MB of
    # page contents held to the end of a 300-module join (issue #23). Lazily: a page that
    # draws stops at its first drawing operator, not its last token.
    return all(op.group() in _SETUP for stream in streams
               for op in _OPERATOR.finditer(decode_stream_data(stream)))


def _content_refs(writer: PdfWriter, page: DictionaryObject) -> list[IndirectObject]:
    """The page's content streams as references: a stream inside an array must be an indirect
    object (PDF 7.3.8). `page["/Contents"]` resolves the reference, so putting it back into a
    new array wrote the stream inline: a file poppler repairs but pdfminer and qpdf reject."""
    if "/Contents" not in page:  # a blank page put before a chapter
        return []
    raw = page.raw_get("/Contents")
    contents = raw.get_object()
    items = list(contents) if isinstance(contents, ArrayObject) else [raw]
    return [item if isinstance(item, IndirectObject) else writer._add_object(item)
            for item in items]


_BT = re.compile(rb"BT\s.*?ET", re.S)
_TM = re.compile(rb"([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) Tm")
_TF = re.compile(rb"/(\S+) ([\d.]+) Tf")
_TJ = re.compile(rb"\[(.*)\]\s*TJ", re.S)
_GLYPHS = re.compile(rb"<([0-9A-Fa-f]+)>")
_GS = re.compile(rb"/(\S+) gs")
_GLYPH_HEX = 4
"""Hex digits per glyph in WeasyPrint's text strings (two-byte glyph ids)."""


@dataclass
class _Sample:
    """One sample page's page number: the label's part of its text array, the digit's glyph
    and where the text starts."""

    label: bytes
    glyph: str
    x: float

    @classmethod
    def read(cls, text: bytes) -> _Sample:
        array, matrix = _TJ.search(text), _TM.search(text)
        glyphs = list(_GLYPHS.finditer(array.group(1))) if array else []
        if not (array and matrix and glyphs):
            raise ValueError("page-number digits: no text found in the samples")
        last = glyphs[-1]  # the digit is the text's last glyph
        label = (array.group(1)[:last.start()] + b"<"
                 + last.group(1)[:-_GLYPH_HEX] + b">")
        return cls(label, last.group(1)[-_GLYPH_HEX:].decode(), float(matrix.group(5)))


@dataclass
class _DigitStamp:
    before: bytes
    """Operators before the text (transforms, graphics state, colour), names replaced."""
    after: bytes
    matrix: list[bytes]
    font_size: bytes
    label: bytes
    glyphs: dict[str, str]
    step: float
    """How far the text's start moves per digit after the first: 0 for a number aligned
    left, half a digit back for one centred, a whole digit back for one aligned right."""
    left_x: float
    """Where the text starts on a left-hand page (mirrored margins move it)."""
    font: object
    state: object
    font_name: str = "/BimtekPageNumberFont"
    state_name: str = "/BimtekPageNumberState"

    @classmethod
    def read(cls, reader: PdfReader, writer: PdfWriter) -> _DigitStamp:
        pages = [page.get_contents().get_data() for page in reader.pages]
        texts = [_BT.search(data) for data in pages]
        if len(texts) != SAMPLE_PAGES or not all(texts):
            raise ValueError(f"page-number digits: {SAMPLE_PAGES} pages with text expected")
        first = texts[0].group(0)  # type: ignore[union-attr]
        font_match, matrix = _TF.search(first), _TM.search(first)
        if not (font_match and matrix):
            raise ValueError("page-number digits: no text found in the samples")
        samples = [_Sample.read(text.group(0)) for text in texts]  # type: ignore[union-attr]
        resources = reader.pages[0]["/Resources"]
        font = resources["/Font"].get_object()["/" + font_match.group(1).decode()]
        before = pages[0][: texts[0].start()]  # type: ignore[union-attr]
        state_match = _GS.search(before)
        states = resources.get("/ExtGState")
        state = (states.get_object()["/" + state_match.group(1).decode()]
                 if state_match and states is not None else None)
        if state_match:
            before = before.replace(b"/" + state_match.group(1) + b" gs",
                                    cls.state_name.encode() + b" gs")
        one, longest, left = samples[0], samples[10], samples[11]
        return cls(before, pages[0][texts[0].end():], list(matrix.groups()),  # type: ignore[union-attr]
                   font_match.group(2), one.label,
                   {str(digit): sample.glyph for digit, sample in enumerate(samples[:10])},
                   (longest.x - one.x) / (SAMPLE_DIGITS - 1), left.x,
                   writer._add_object(font.get_object().clone(writer)) if font else None,
                   writer._add_object(state.get_object().clone(writer)) if state else None)

    def content(self, number: str, *, left_hand: bool) -> bytes:
        a, b, c, d, x, y = self.matrix
        start = (self.left_x if left_hand else float(x)) + (len(number) - 1) * self.step
        codes = "".join(self.glyphs[digit] for digit in number)
        text = (b"BT\n" + b" ".join([a, b, c, d]) + f" {start:.4f} ".encode() + y + b" Tm\n"
                + self.font_name.encode() + b" " + self.font_size + b" Tf\n"
                + b"[" + self.label + f"<{codes}>] TJ\nET".encode())
        return self.before + text + self.after


SAMPLE_PAGES = 12
"""Pages of `stack.page_number_samples`: digits 0–9, three zeros, a 0 on a left-hand page."""


def _stream(data: bytes) -> StreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _metadata(writer: PdfWriter, spec: MergeSpec, pages: int) -> None:
    stamp = dt.datetime.fromtimestamp(spec.source_date_epoch, tz=dt.UTC).strftime("D:%Y%m%d%H%M%SZ")
    writer.add_metadata({
        "/Title": spec.title, "/Author": spec.author, "/Creator": "bimtek-kit",
        "/Producer": "bimtek-kit", "/CreationDate": stamp, "/ModDate": stamp, **spec.extra,
    })
    writer._root_object[NameObject("/Lang")] = TextStringObject(spec.language)
    seed = f"{spec.title}|{spec.author}|{spec.language}|{pages}|{spec.source_date_epoch}"
    identifier = ByteStringObject(hashlib.sha256(seed.encode("utf-8")).digest()[:16])
    writer._ID = ArrayObject([identifier, identifier])


def page_count(data: bytes, *, keep: bool = False) -> int:
    """Pages of a PDF; `keep`: the part is about to be joined, so its parsed reader is kept
    for `merge_pdfs` (which drops it), instead of parsing it a second time."""
    reader = _reader(data) if keep else _READERS.get(id(data), (None, None))[1]
    if reader is None or _READERS[id(data)][0] is not data:
        reader = PdfReader(io.BytesIO(data))
    return len(reader.pages)


_READERS: dict[int, tuple[bytes, PdfReader]] = {}
_MAX_READERS = 1024


def _reader(data: bytes) -> PdfReader:
    """One parsed reader per part while it is being joined (issue #23).

    A join first counts each part's pages, then appends the part: parsing a WeasyPrint part's
    object stream twice was a third of the join. Readers are kept by the identity of the
    bytes object (kept alive beside it, so the identity cannot be reused) from
    `page_count(..., keep=True)` until `merge_pdfs` has joined them.
    """
    found = _READERS.get(id(data))
    if found is None or found[0] is not data:
        if len(_READERS) >= _MAX_READERS:
            _READERS.pop(next(iter(_READERS)))
        found = _READERS[id(data)] = (data, PdfReader(io.BytesIO(data)))
    return found[1]
