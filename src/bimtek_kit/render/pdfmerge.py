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
from collections.abc import Sequence
from dataclasses import dataclass, field

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject


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
    """A PDF whose page i is stamped onto page `overlay_from + i` (page numbers)."""
    overlay_from: int = 0
    import_outlines: bool = True
    recto_starts: bool = False
    """Insert a blank page where needed so that every part after the first opens on a
    right-hand (odd) page, as in a book printed on both sides."""
    part_bookmarks: Sequence[str] = ()
    """One top-level outline entry per part, at its first page (empty titles are skipped)."""
    extra: dict[str, str] = field(default_factory=dict)


_STYLES = {"r": PageLabelStyle.LOWERCASE_ROMAN, "D": PageLabelStyle.DECIMAL}


def merge_pdfs(parts: Sequence[bytes], spec: MergeSpec) -> bytes:
    """Concatenate `parts` into one PDF described by `spec`; same inputs, same bytes."""
    writer = PdfWriter()
    starts = []
    for data in parts:
        if spec.recto_starts and len(writer.pages) % 2 == 1:
            writer.add_blank_page()
        starts.append(len(writer.pages))
        writer.append(PdfReader(io.BytesIO(data)), import_outline=spec.import_outlines)
    for title, start in zip(spec.part_bookmarks, starts, strict=False):
        if title:
            writer.add_outline_item(title=title, page_number=start)
    if spec.overlay is not None:
        _stamp(writer, PdfReader(io.BytesIO(spec.overlay)), spec.overlay_from)
    for title, page in spec.bookmarks:
        writer.add_outline_item(title=title, page_number=page)
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


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)
