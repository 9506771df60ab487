"""HTML -> PDF with WeasyPrint, shared by every PDF output.

Two rules live here so no renderer can forget them (DESIGN §7): resources load only from the
allowed folders through `LocalOnlyFetcher` (never the network), and the PDF's dates and `/ID`
are fixed, so equal sources give equal bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlparse

from weasyprint import CSS, HTML, Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

from bimtek_kit.render.pdf.stack import ROOT_SCHEME, RenderError, root_url
from bimtek_kit.resources import is_inside

__all__ = ["RenderError", "root_url"]  # defined in the light `stack`, used with this module

# WeasyPrint and fontTools report theme-level CSS notes through `logging`; without a handler
# Python would print them to the user's terminal. Refused resources are reported by
# `LocalOnlyFetcher` instead, as build errors.
for _name in ("weasyprint", "fontTools"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False


@dataclass
class LocalOnlyFetcher(URLFetcher):
    """Serves `file:` URLs inside `roots` and inline `data:` URLs (nothing to fetch: the
    slide PDFs pass each slide's SVG so); refuses and records everything else."""

    roots: tuple[Path, ...] = ()
    refused: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)

    def __hash__(self) -> int:
        return id(self)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return _inline(url)
        path = _local_path(url, self.roots)
        if path is None or not is_inside(path, self.roots) or not path.is_file():
            self.refused.append(url)
            raise ValueError(f"refused to load {url}: only files inside the project and theme")
        return URLFetcherResponse(path.resolve().as_uri(), path.read_bytes())


def _local_path(url: str, roots: tuple[Path, ...]) -> Path | None:
    """The file a `file:` or `bimtek-root:` URL names (not yet checked against `roots`)."""
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return Path(unquote(parsed.path))
    if parsed.scheme == ROOT_SCHEME:
        index, _, relative = unquote(parsed.path).partition("/")
        if index.isdigit() and int(index) < len(roots):
            return roots[int(index)] / relative
    return None


def _inline(url: str) -> URLFetcherResponse:
    """A `data:` URL's bytes and type (RFC 2397), decoded here: urllib's `urlopen` parsed a
    set of mail headers for each one, and every slide of a bahan tayang is one."""
    import base64
    from urllib.parse import unquote_to_bytes

    header, _, payload = url[len("data:"):].partition(",")
    mime, *parameters = header.split(";")
    data = (base64.b64decode(unquote_to_bytes(payload)) if "base64" in parameters
            else unquote_to_bytes(payload))
    return URLFetcherResponse(url, data, {"Content-Type": mime.strip() or "text/plain"})


_WARMED: set[tuple[str, ...]] = set()


def warm(fonts: Iterable[str]) -> None:
    """Lay out and write a scrap of text in `fonts`: loads fontconfig, Pango and the fonts.

    Once per set of fonts: every paged renderer asks, and a second scrap in the same fonts
    warms nothing more (six of them were 0.6 s of each build that starts workers)."""
    names = tuple(fonts)
    if names in _WARMED:
        return
    _WARMED.add(names)
    families = ", ".join(f'"{name}"' for name in names)
    html = (f"<p style='font-family: {families}'>Aa <b>Bb</b> <i>Ii</i> <b><i>Bi</i></b> 0123"
            "</p>")
    HTML(string=html).render().write_pdf()


def render_document(html: str, base_dir: Path, roots: Iterable[Path],
                    stylesheets: Iterable[str] = (), images: dict | None = None) -> Document:
    """Lay out `html`; raise `RenderError` if it asked for anything outside `roots`.
    `images`: images known before layout, by URL (`place.SlidePages`)."""
    fetcher = LocalOnlyFetcher(tuple(roots))
    base_url = str(base_dir) + "/"
    sheets = _parsed(tuple(stylesheets), base_url, fetcher.roots)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
        stylesheets=list(sheets.sheets), font_config=sheets.fonts, cache=dict(images or {}))
    refused = [*sheets.refused, *fetcher.refused]
    if refused:
        raise RenderError(f"refused to load {', '.join(sorted(set(refused))[:3])}")
    return document


@dataclass(frozen=True)
class _Sheets:
    sheets: tuple[CSS, ...]
    fonts: object
    """The `FontConfiguration` the sheets' `@font-face` rules were loaded into."""
    refused: tuple[str, ...]


_SHEETS: dict[tuple[object, ...], tuple[CSS, tuple[str, ...]]] = {}
_FONT_CONFIGS: dict[tuple[object, ...], object] = {}
_MAX_SHEETS = 64


def _parsed(stylesheets: tuple[str, ...], base_url: str, roots: tuple[Path, ...]) -> _Sheets:
    """The stylesheets, each parsed once per process, and the FontConfiguration their
    `@font-face` rules were loaded into, one per set of such rules.

    Without a FontConfiguration shared by the stylesheets and the layout, WeasyPrint ignores
    `@font-face`: the theme's shipped fonts (pdf.fonts) would silently give way to the
    machine's. Parsing the sheets, loading the font files into a new configuration and
    warming a new Pango font map each time cost about a tenth of a chapter's layout, and a
    handbook is laid out in dozens of documents with the same sheets (issue #23). A sheet is
    reused only with the same text, base URL, allowed folders and font configuration, so it
    loads the same files.
    """
    fonts = _font_config(tuple(css for css in stylesheets if "@font-face" in css),
                         base_url, roots)
    sheets, refused = [], []
    for css in stylesheets:
        key = (css, base_url, roots, id(fonts))
        if key not in _SHEETS:
            fetcher = LocalOnlyFetcher(roots)
            sheet = CSS(string=css, url_fetcher=fetcher, base_url=base_url, font_config=fonts)
            if len(_SHEETS) >= _MAX_SHEETS:
                _SHEETS.pop(next(iter(_SHEETS)))
            _SHEETS[key] = (sheet, tuple(fetcher.refused))
        sheet, refusals = _SHEETS[key]
        sheets.append(sheet)
        refused.extend(refusals)
    return _Sheets(tuple(sheets), fonts, tuple(refused))


def _font_config(faces: tuple[str, ...], base_url: str, roots: tuple[Path, ...]) -> object:
    """One FontConfiguration per distinct set of `@font-face` sheets, where they load from and
    the files they name as they are now (a theme's font replaced while `bimtek serve` runs is
    loaded again): documents that declare the same fonts share its faces and Pango caches."""
    from weasyprint.text.fonts import FontConfiguration

    key = (faces, base_url, roots, _files_stamp(faces, base_url, roots))
    if key not in _FONT_CONFIGS:
        if len(_FONT_CONFIGS) >= _MAX_FONT_CONFIGS:
            _forget_font_config(next(iter(_FONT_CONFIGS)))
        _FONT_CONFIGS[key] = FontConfiguration()
    return _FONT_CONFIGS[key]


_MAX_FONT_CONFIGS = 8
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


def _forget_font_config(key: tuple[object, ...]) -> None:
    """Drop a configuration and every sheet parsed with it (their keys hold its `id`, which a
    later object may reuse)."""
    fonts = _FONT_CONFIGS.pop(key)
    for sheet_key in [k for k in _SHEETS if k[3] == id(fonts)]:
        del _SHEETS[sheet_key]


def _files_stamp(faces: tuple[str, ...], base_url: str,
                 roots: tuple[Path, ...]) -> tuple[tuple[str, int, int], ...]:
    """(URL, size, mtime) of every file the `@font-face` sheets name that the fetcher would
    serve; a URL it refuses is left out (the parse reports it)."""
    stamp = []
    for url in sorted({match.group(2).strip() for css in faces for match in
                       _CSS_URL.finditer(css)}):
        joined = urljoin(base_url, url)
        path = (_local_path(joined, roots) if urlparse(joined).scheme
                else Path(unquote(joined)))  # relative to a base folder given as a path
        try:
            info = path.stat() if path is not None else None
        except OSError:
            info = None
        if info is not None:
            stamp.append((url, info.st_size, info.st_mtime_ns))
    return tuple(stamp)


def link_areas(document: Document, targets: Iterable[str]) -> list[tuple[int, list[float], str]]:
    """Where `document` links to anchors it does not hold: (page index, [x1, y1, x2, y2] in PDF
    points, anchor name), one rectangle per link and page.

    A document laid out in parts cannot link from one part to another: WeasyPrint drops a link
    whose anchor is missing. The join adds these links back once it knows where pages land
    (`pdfmerge.MergeSpec.links`). A link is reported once per box inside it (a number, a title,
    a leader); the rectangle encloses them all.
    """
    wanted = set(targets)
    areas: dict[tuple[int, str], list[float]] = {}
    for index, page in enumerate(document.pages):
        for kind, target, (x1, y1, x2, y2), _ in page.links:
            if kind == "internal" and target in wanted:
                area = areas.setdefault((index, target), [x1, y1, x2, y2])
                area[:] = [min(area[0], x1), min(area[1], y1), max(area[2], x2), max(area[3], y2)]
    found = []
    for (index, target), (x1, y1, x2, y2) in areas.items():
        height = document.pages[index].height  # CSS px, y downwards; PDF points, y upwards
        found.append((index, [round(v * 0.75, 2) for v in (x1, height - y2, x2, height - y1)],
                      target))
    return found


def write_pdf(document: Document, *, title: str, author: str, language: str,
              source_date_epoch: int, pdf_tags: bool = False,
              finisher: Callable[[Document, Any], None] | None = None) -> bytes:
    """Serialise with fixed metadata dates and a content-derived `/ID` (reproducible);
    `finisher` may add objects to the PDF before it is written (`place.SlidePages`)."""
    stamp = dt.datetime.fromtimestamp(source_date_epoch, tz=dt.UTC)
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    document.metadata.title = title
    document.metadata.authors = [author] if author else []
    document.metadata.lang = language
    document.metadata.generator = "bimtek-kit"
    document.metadata.created = iso
    document.metadata.modified = iso
    seed = f"{title}|{author}|{language}|{len(document.pages)}|{source_date_epoch}"
    identifier = hashlib.sha256(seed.encode("utf-8")).hexdigest()[:32].encode("ascii")
    with _fixed_clock(source_date_epoch):
        return document.write_pdf(pdf_identifier=identifier, pdf_tags=pdf_tags,  # type: ignore[no-any-return]
                                  finisher=finisher)


@contextmanager
def _fixed_clock(source_date_epoch: int) -> Iterator[None]:
    """Set SOURCE_DATE_EPOCH while fonts are subset: fontTools stamps each subset font's `head`
    table with the current time unless it is set, which made equal sources give different PDFs."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
