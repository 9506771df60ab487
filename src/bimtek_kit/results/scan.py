"""Read photographed or scanned answer sheets (DESIGN §10): marks -> perspective -> bubbles.

One sheet goes through four steps, each a function here:

1. `flatten`: divide the grey image by its local paper brightness (a morphological closing
   larger than any mark), so a shadow across a phone photo no longer looks like ink;
2. `find_marks`: the four filled corner squares (solid, square, the largest such blobs);
3. `straighten`: a perspective warp that puts the mark centres where `results.sheet` says
   they are, at `PX_PER_MM`, so every bubble sits at a known pixel;
4. `darkness` of every bubble's inner disc (its outline excluded), less the darkness of an
   empty bubble on the same sheet (`blank_level`), read against two thresholds: at least
   `MARKED` is a mark, between `FAINT` and `MARKED` is a faint mark that a person must look
   at. Nothing is guessed: two marks, or a faint one, become `?` and a review line
   (`scan.jpg: soal 7: dua jawaban ditandai (B, C)`).

The thresholds sit in the middle of the gaps measured on the synthetic batch of
tests/test_results.py (40 sheets at 150 dpi, ±8° rotation, perspective, blur, noise, a 45 %
shadow; 9,120 bubbles): empty bubbles read at most 0.05, the faint marks 0.24–0.26, pencil
fills at least 0.55.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bimtek_kit.results import sheet

if TYPE_CHECKING:
    import numpy as np

PX_PER_MM = 8.0
MARKED = 0.4
FAINT = 0.12
CODE_FILLED = 0.5
WORK_SIZE = 2400
"""Longest side, in pixels, a large phone photo is scaled down to before reading."""
PDF_DPI = 200

NUMBER_WORDS = {2: "dua", 3: "tiga", 4: "empat", 5: "lima", 6: "enam"}


class SheetUnreadable(Exception):
    """A page where the sheet itself cannot be found or identified."""


@dataclass(frozen=True)
class Page:
    name: str
    """How messages name it: `foto1.jpg`, or `scan.pdf hlm 3` for a page of a PDF."""
    gray: Any


@dataclass
class SheetRead:
    name: str
    bank_index: int
    variant_index: int
    nip: str
    """18 characters, `?` where a column is empty or unclear."""
    answers: dict[int, str] = field(default_factory=dict)
    """Printed question number -> value (`A`, `B`/`S`, `-` for none, `?` to check)."""
    problems: list[str] = field(default_factory=list)
    """Review lines for a person, each `name: where: what`."""


# --- loading ---------------------------------------------------------------------------------


def load_pages(path: Path) -> Iterator[Page]:
    """Grey pages of an image file or of every page of a PDF (rasterised by pypdfium2)."""
    import cv2
    import numpy as np

    if path.suffix.lower() == ".pdf":
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(str(path))
        try:
            for index in range(len(document)):
                bitmap = document[index].render(scale=PDF_DPI / 72, grayscale=True)
                image = np.array(bitmap.to_pil().convert("L"))
                name = path.name if len(document) == 1 else f"{path.name} hlm {index + 1}"
                yield Page(name, image)
        finally:
            document.close()
        return
    data = np.fromfile(str(path), dtype=np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE) if data.size else None
    if image is None:
        raise SheetUnreadable(f"{path.name}: bukan gambar JPEG/PNG atau PDF yang dapat dibaca")
    yield Page(path.name, image)


# --- the four steps --------------------------------------------------------------------------


def flatten(gray: np.ndarray) -> np.ndarray:
    """Grey image divided by the local paper brightness: paper ~1.0, ink ~0.1, any light."""
    import cv2
    import numpy as np

    size = max(15, int(min(gray.shape) / 18) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    paper = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, kernel).astype(np.float32)
    return np.clip(gray.astype(np.float32) / np.maximum(paper, 1.0), 0.0, 1.0)


def find_marks(flat: np.ndarray) -> list[tuple[float, float]]:
    """Centres of the four corner squares, in the order top-left, top-right, bottom-right,
    bottom-left as they appear in the image; raises SheetUnreadable."""
    import cv2
    import numpy as np

    ink = (flat < 0.5).astype(np.uint8)
    contours, _ = cv2.findContours(ink, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    squares = []
    min_area = (min(flat.shape) / 250) ** 2
    for contour in contours:
        area = cv2.contourArea(contour)
        if area < min_area:
            continue
        (cx, cy), (w, h), _ = cv2.minAreaRect(contour)
        if w == 0 or h == 0 or not 0.75 < w / h < 1.33 or area / (w * h) < 0.84:
            continue
        if _on_paper(flat, cx, cy, (w + h) / 2):
            squares.append((area, cx, cy))
    if len(squares) < 4:
        raise SheetUnreadable("keempat tanda sudut tidak ditemukan")
    largest = max(s[0] for s in squares)
    points = np.array([(x, y) for area, x, y in squares if area > 0.5 * largest])
    if len(points) < 4:
        raise SheetUnreadable("keempat tanda sudut tidak ditemukan")
    total, diff = points.sum(axis=1), points[:, 0] - points[:, 1]
    corners = [points[total.argmin()], points[diff.argmax()], points[total.argmax()],
               points[diff.argmin()]]
    if len({(float(x), float(y)) for x, y in corners}) < 4:
        raise SheetUnreadable("keempat tanda sudut tidak ditemukan")
    return [(float(x), float(y)) for x, y in corners]


def _on_paper(flat: np.ndarray, cx: float, cy: float, side: float) -> bool:
    """A corner mark is printed on white paper: the square ring around it is bright. This
    rejects the dark corners of a desk that show around a photographed sheet."""
    import numpy as np

    top, left = int(cy - side), int(cx - side)
    if top < 0 or left < 0 or cy + side >= flat.shape[0] or cx + side >= flat.shape[1]:
        return False
    window = flat[top: int(cy + side) + 1, left: int(cx + side) + 1]
    ys, xs = np.mgrid[0: window.shape[0], 0: window.shape[1]]
    distance = np.maximum(np.abs(xs + left - cx), np.abs(ys + top - cy))
    ring = window[distance > side * 0.8]
    return ring.size > 0 and float((ring > 0.7).mean()) > 0.9


def straighten(flat: np.ndarray, corners: list[tuple[float, float]]) -> np.ndarray:
    """The frame, warped so that 1 mm of the sheet is `PX_PER_MM` pixels."""
    import cv2
    import numpy as np

    source = np.array(corners, dtype=np.float32)
    target = np.array([(x * PX_PER_MM, y * PX_PER_MM) for x, y in sheet.mark_centres()],
                      dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, target)
    size = (round(sheet.FRAME_W * PX_PER_MM), round(sheet.FRAME_H * PX_PER_MM))
    return cv2.warpPerspective(flat, matrix, size, flags=cv2.INTER_AREA, borderValue=1.0)


def darkness(frame: np.ndarray, x: float, y: float, radius: float) -> float:
    """1 − mean brightness of the disc of `radius` mm around (x, y) mm: 0 blank, 1 black."""
    import numpy as np

    r = radius * PX_PER_MM
    cx, cy = x * PX_PER_MM, y * PX_PER_MM
    top, left = int(cy - r), int(cx - r)
    window = frame[max(top, 0): int(cy + r) + 1, max(left, 0): int(cx + r) + 1]
    ys, xs = np.mgrid[0: window.shape[0], 0: window.shape[1]]
    inside = (xs + max(left, 0) - cx) ** 2 + (ys + max(top, 0) - cy) ** 2 <= r * r
    return float(1.0 - window[inside].mean()) if inside.any() else 0.0


# --- reading a sheet -------------------------------------------------------------------------


def read_code(frame: np.ndarray) -> tuple[int, int] | None:
    cells = [darkness(frame, x, y, sheet.CODE_CELL * 0.3) > CODE_FILLED
             for x, y in sheet.code_cells()]
    return sheet.decode_code(cells)


def locate(page: Page) -> tuple[np.ndarray, tuple[int, int]]:
    """The straightened frame and its test code; tries the four turns of the sheet, so a
    sheet photographed sideways or upside down still reads."""
    flat = flatten(_work_size(page.gray))
    corners = find_marks(flat)
    for turn in range(4):
        frame = straighten(flat, corners[turn:] + corners[:turn])
        code = read_code(frame)
        if code is not None:
            return frame, code
    raise SheetUnreadable("kode lembar tidak terbaca (tanda sudut atau kode tertutup?)")


def _work_size(gray: np.ndarray) -> np.ndarray:
    import cv2

    longest = max(gray.shape)
    if longest <= WORK_SIZE:
        return gray
    scale = WORK_SIZE / longest
    return cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)


def read_page(page: Page, layout_for: Any) -> SheetRead:
    """Read one sheet. `layout_for(bank_index, variant_index)` returns its SheetLayout (or
    raises SheetUnreadable for a code that names no printed test)."""
    frame, (bank_index, variant_index) = locate(page)
    layout: sheet.SheetLayout = layout_for(bank_index, variant_index)
    result = SheetRead(page.name, bank_index, variant_index, "")
    empty = blank_level(frame, layout)
    digits = []
    for column, bubbles in enumerate(layout.nip_columns, start=1):
        value, problem = choose(frame, bubbles, empty)
        digits.append("?" if value in ("?", "-") else value)
        if value == "-":
            problem = "tidak ada angka yang dihitamkan"
        if problem:
            result.problems.append(f"{page.name}: NIP kolom {column}: {problem}")
    result.nip = "".join(digits)
    for row in layout.rows:
        value, problem = choose(frame, row.bubbles, empty)
        result.answers[row.number] = value
        if problem:
            result.problems.append(f"{page.name}: soal {row.number}: {problem}")
    return result


INNER = sheet.BUBBLE / 2 * 0.65
"""Radius read inside a bubble: its printed outline stays outside, even 0.3 mm off."""


def blank_level(frame: np.ndarray, layout: sheet.SheetLayout) -> float:
    """How dark an empty bubble of this sheet reads (its printed digit, the blur of its
    outline, the print density): the median over the NIP grid, where 9 of 10 are empty."""
    import numpy as np

    return float(np.median([darkness(frame, b.x, b.y, INNER)
                            for column in layout.nip_columns for b in column]))


def choose(frame: np.ndarray, bubbles: tuple[sheet.Bubble, ...],
           empty: float) -> tuple[str, str | None]:
    """The one marked value, `-` for none, or `?` and why a person must look at it."""
    levels = [(darkness(frame, b.x, b.y, INNER) - empty, b.value) for b in bubbles]
    marked = [value for level, value in levels if level >= MARKED]
    faint = [value for level, value in levels if FAINT <= level < MARKED]
    if len(marked) > 1:
        count = NUMBER_WORDS.get(len(marked), str(len(marked)))
        return "?", f"{count} jawaban ditandai ({', '.join(marked)})"
    if faint and marked:
        return "?", f"{marked[0]} ditandai, tanda samar juga pada {', '.join(faint)}"
    if faint:
        return "?", f"tanda samar ({', '.join(faint)})"
    return (marked[0], None) if marked else ("-", None)
