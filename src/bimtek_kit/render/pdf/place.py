"""Showing the pages of one PDF inside a document WeasyPrint writes (issue #17).

The bahan tayang (one slide a page) is drawn once per module; the handout and the notes pages
lay out their own pages around `<img>` slots of the slide's size, and each slot shows a page of
the bahan tayang as a PDF form XObject (PDF 8.10): the slide's drawing operators, fonts and
images are copied as they are, not drawn again.

The slots are images WeasyPrint knows from its image cache (`SlidePages.images`): when it
draws one, it draws the form where the image goes, and the forms and the objects they use go
straight into the PDF WeasyPrint is writing. Placing them afterwards with pypdf (copy the whole
document, add the forms, write it again) was a third of the time of those two files.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pydyf
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
)


class SlidePages:
    """The pages of `source` as images for WeasyPrint's cache, one per `url_of(page)`, and the
    finisher that adds the objects they use to the written PDF (`weasy.write_pdf`)."""

    def __init__(self, source: bytes, urls: list[str]) -> None:
        reader = PdfReader(io.BytesIO(source))
        pages = [reader.pages[index] for index in range(len(reader.pages))]
        self._copies: dict[int, _Copy] = {}
        self.images = {url: _PageImage(self, page, index)
                       for index, (url, page) in enumerate(zip(urls, pages, strict=False))}

    def copy(self, reference: IndirectObject) -> _Copy:
        """The written PDF's copy of a source object (made once), and of all it refers to."""
        number = reference.idnum
        if number not in self._copies:
            target = reference.get_object()
            self._copies[number] = _Copy(self, target)
            for inner in _references(target):
                self.copy(inner)
        return self._copies[number]

    def finish(self, _document: Any, pdf: pydyf.PDF) -> None:  # noqa: ANN401 - WeasyPrint's
        """Number the copied objects in `pdf` (after the forms, before writing)."""
        for copied in self._copies.values():
            if copied.number is None:
                pdf.add_object(copied)


class _PageImage:
    """A slot: WeasyPrint sizes it as the page's proportions say and draws the page's form."""

    def __init__(self, pages: SlidePages, page: DictionaryObject, index: int) -> None:
        box = page.mediabox
        self.width, self.height = float(box.width), float(box.height)
        self.id = f"bimtek-page-{index + 1}"  # WeasyPrint names the XObject after it
        self._pages, self._page = pages, page
        self._form: _Form | None = None

    def get_intrinsic_size(self, _resolution: float, _font_size: float) -> tuple:
        return self.width, self.height, self.width / self.height

    def draw(self, stream: Any, width: float, height: float, _style: Any) -> None:  # noqa: ANN401
        name = stream.add_image(self, False, 1)
        # The form is in points, y up; the slot is `width` × `height`, y down.
        stream.transform(width / self.width, 0, 0, -height / self.height, 0, height)
        stream.draw_x_object(name)

    def get_x_object(self, _interpolate: bool, _ratio: float) -> _Form:
        if self._form is None:
            self._form = _Form(self._pages, self._page)
        return self._form


class _Written(pydyf.Object):
    """An object written as given bytes, outside object streams (a stream may not be in one)."""

    extra: dict = {}  # noqa: RUF012 - WeasyPrint looks for masks and resources here

    @property
    def compressible(self) -> bool:
        return False


class _Copy(_Written):
    """A source object, its references renumbered when the PDF is written."""

    def __init__(self, pages: SlidePages, target: PdfObject) -> None:
        super().__init__()
        self._pages, self._target = pages, target

    @property
    def data(self) -> bytes:
        return _serialised(self._target, self._pages)


class _Form(_Written):
    """A page of the source as a form XObject: its content as stored, its resources copied."""

    def __init__(self, pages: SlidePages, page: DictionaryObject) -> None:
        super().__init__()
        self._pages = pages
        box = page.mediabox
        contents = page.raw_get("/Contents")
        content = contents.get_object()
        if isinstance(content, ArrayObject):  # several streams: one, decoded
            self._content = b"\n".join(item.get_object().get_data() for item in content)
            self._filter: dict[str, PdfObject] = {}
        else:
            self._content = content._data
            self._filter = {key: content[key] for key in ("/Filter", "/DecodeParms")
                            if key in content}
        self._dictionary = {
            "/Type": NameObject("/XObject"), "/Subtype": NameObject("/Form"),
            "/BBox": ArrayObject([box.left, box.bottom, box.right, box.top]),
            **{key: page.raw_get(key) for key in ("/Resources", "/Group") if key in page},
            **self._filter}
        for value in self._dictionary.values():
            for inner in _references(value):
                pages.copy(inner)

    @property
    def data(self) -> bytes:
        entries = b" ".join(_name(key) + b" " + _serialised(value, self._pages)
                            for key, value in self._dictionary.items())
        return (b"<< " + entries + b" /Length %d >>\nstream\n" % len(self._content)
                + self._content + b"\nendstream")


def _references(value: PdfObject) -> Iterator[IndirectObject]:
    """The indirect references directly inside `value` (not inside what they point to)."""
    if isinstance(value, IndirectObject):
        yield value
    elif isinstance(value, DictionaryObject):
        for item in value.values():
            yield from _references(item)
    elif isinstance(value, ArrayObject):
        for item in value:
            yield from _references(item)


def _serialised(value: PdfObject, pages: SlidePages) -> bytes:
    """`value` in PDF syntax, each reference to a source object replaced by its copy's."""
    if isinstance(value, IndirectObject):
        return b"%d 0 R" % pages.copy(value).number
    if isinstance(value, StreamObject):
        entries = b" ".join(_name(key) + b" " + _serialised(item, pages)
                            for key, item in value.items() if key != "/Length")
        return (b"<< " + entries + b" /Length %d >>\nstream\n" % len(value._data)
                + value._data + b"\nendstream")
    if isinstance(value, DictionaryObject):
        entries = b" ".join(_name(key) + b" " + _serialised(item, pages)
                            for key, item in value.items())
        return b"<< " + entries + b" >>"
    if isinstance(value, ArrayObject):
        return b"[" + b" ".join(_serialised(item, pages) for item in value) + b"]"
    buffer = io.BytesIO()
    value.write_to_stream(buffer)
    return buffer.getvalue()


def _name(key: str) -> bytes:
    buffer = io.BytesIO()
    NameObject(key).write_to_stream(buffer)
    return buffer.getvalue()
