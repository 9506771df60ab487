"""Placing the pages of one PDF, scaled, onto the pages of another (issue #17).

The bahan tayang (one slide a page) is drawn once per module; the handout and the notes pages
lay out their own pages around empty slots of the slide's size and then show the bahan
tayang's pages in those slots, each as a PDF form XObject (PDF 8.10). The slide's drawing
operators, fonts and images are copied as they are, not drawn again: WeasyPrint's drawing of
the slides' SVG was most of the cost of the two printed outputs.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    EncodedStreamObject,
    FloatObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from bimtek_kit.render.pdf.merge import _content_refs, _stream

if TYPE_CHECKING:
    from weasyprint import Document

PX = 0.75
"""PDF points per CSS pixel (WeasyPrint lays out in CSS px and writes points)."""


@dataclass(frozen=True)
class Slot:
    """Where a page of the source goes: a page of the laid-out document and a rectangle."""

    page: int
    """0-based page index in the document that holds the slot."""
    source: int
    """0-based page index in the source PDF to draw there."""
    x: float
    y: float
    """Lower-left corner in PDF points (y upwards)."""
    width: float
    height: float


def slots(document: Document, attribute: str) -> list[Slot]:
    """Every replaced element (an `<img>`) carrying `attribute` = a 1-based source page,
    with the rectangle of its content box (inside its border) in PDF points."""
    from weasyprint.formatting_structure.boxes import ReplacedBox

    found = []
    for index, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if not isinstance(box, ReplacedBox) or element is None:
                continue
            number = element.get(attribute)
            if number is None:
                continue
            x, y = box.content_box_x(), box.content_box_y()
            found.append(Slot(index, int(number) - 1, x * PX, (page.height - y - box.height) * PX,
                              box.width * PX, box.height * PX))
    return found


def place_pages(data: bytes, source: bytes, places: Sequence[Slot]) -> bytes:
    """`data` with page `slot.source` of `source` drawn into each slot, scaled to fill it.

    The result keeps `data`'s metadata, outline and `/ID`, so equal inputs give equal bytes.
    Each source page becomes one form XObject however many slots show it; fonts and images
    the source pages share are stored once.
    """
    # A full copy: pypdf's incremental update wrote an xref stream pikepdf reports as broken.
    writer = PdfWriter(clone_from=io.BytesIO(data))
    pages = PdfReader(io.BytesIO(source)).pages
    sources = [pages[index] for index in range(len(pages))]  # pypdf's pages[i] walks the tree
    identifier = writer._ID
    forms: dict[int, IndirectObject] = {}
    opened: set[int] = set()
    save = writer._add_object(_stream(b"q\n"))  # the page's own drawing leaves its transform
    for slot in places:
        if slot.source not in forms:
            forms[slot.source] = writer._add_object(_form(sources[slot.source], writer))
        page = writer.pages[slot.page]
        resources = page["/Resources"].get_object()
        if "/XObject" not in resources:
            resources[NameObject("/XObject")] = DictionaryObject()
        name = f"/BimtekPlaced{slot.source + 1}"
        resources["/XObject"].get_object()[NameObject(name)] = forms[slot.source]
        box = sources[slot.source].mediabox
        scale_x = slot.width / float(box.width)
        scale_y = slot.height / float(box.height)
        drawing = (f"q {scale_x:.6f} 0 0 {scale_y:.6f} {slot.x:.4f} {slot.y:.4f} cm "
                   f"{name} Do Q\n").encode("ascii")
        if slot.page not in opened:  # wrap the page's drawing once: q … Q, then the slots
            opened.add(slot.page)
            drawing = b"Q\n" + drawing
            before = [save, *_content_refs(writer, page)]
        else:
            before = _content_refs(writer, page)
        page[NameObject("/Contents")] = ArrayObject(
            [*before, writer._add_object(_stream(drawing))])
    writer._ID = identifier
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _form(page: PageObject, writer: PdfWriter) -> StreamObject:
    """The page as a form XObject: its content stream as stored (still compressed) and its
    resources, cloned into `writer` once per object however many pages use them."""
    contents = page["/Contents"].get_object()
    if isinstance(contents, ArrayObject) or "/Filter" not in contents:
        items = contents if isinstance(contents, ArrayObject) else [contents]
        form: StreamObject = _stream(b"\n".join(item.get_object().get_data() for item in items))
    else:
        form = EncodedStreamObject()
        form._data = contents._data
        for key in ("/Filter", "/DecodeParms"):
            if key in contents:
                form[NameObject(key)] = contents[key].clone(writer)
    box = page.mediabox
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject([FloatObject(v) for v in (box.left, box.bottom,
                                                                    box.right, box.top)]),
        NameObject("/Resources"): (page["/Resources"].get_object().clone(writer)
                                   if "/Resources" in page else DictionaryObject()),
    })
    if "/Group" in page:  # a transparency group (opacity inside the slide) stays one
        form[NameObject("/Group")] = page["/Group"].get_object().clone(writer)
    return form
