"""Geometry of the scannable answer sheet (lembar jawaban), shared by the printer and the reader.

The printed sheet (`print/answer_sheet.html`) places every mark, bubble and code cell at the
millimetre positions computed here, and `results.scan` looks for them at the very same
positions after straightening a photo, so the two can never drift apart.

All positions are in millimetres from the top-left corner of the *frame*: the rectangle whose
corners are the four filled corner marks. The reader maps the mark centres onto the frame and
needs nothing else from the page, so the same sheet reads on A4, F4 and Letter paper. The frame
is small enough (160 × 222 mm) to fit the printable area of all three.

Identity: the participant fills in the 18 NIP digits as bubbles (10 per column). A roster-based
sheet could carry a printed QR per participant instead: `SheetLayout.participant_qr` is the
hook left for the roster kit (not drawn or read yet; pyzbar would read it in `scan.read_page`
before the NIP grid). The test (pre/post bank) and the paket are printed as a row of
filled/empty code cells, so nobody has to fill them in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

FRAME_W = 160.0
FRAME_H = 222.0
MARK = 6.0
"""Side of the filled square corner marks."""
BUBBLE = 4.0
"""Diameter of an answer or NIP bubble."""
CODE_CELL = 3.0
NIP_DIGITS = 18
NIP_GROUPS = (8, 14, 15)
"""NIP = birth date (8) · appointment year and month (6) · sex (1) · serial (3): a small gap
after each part helps the participant copy the number."""
INSET = 9.0
"""Left and right inset of the content from the frame edge (clear of the marks)."""
HEADER_H = 43.0
"""Title, name fields and the one-line instructions."""
NIP_TOP = 45.0
NIP_PITCH_X = 5.0
NIP_PITCH_Y = 4.6
NIP_GROUP_GAP = 1.5
CODE_LEFT = 113.0
CODE_TOP = 50.5
CODE_PITCH = 3.8
ANSWERS_TOP = 104.0
COLUMNS = 4
COLUMN_W = (FRAME_W - 2 * INSET) / COLUMNS
ROW_PITCH = 5.8
OPTION_PITCH = 5.2
HEADING_H = 6.0
GROUP_GAP = 2.5
BOTTOM_LIMIT = FRAME_H - MARK - 1.0
"""Nothing scannable or writable below this line (the bottom marks sit there)."""
ISIAN_EXTRA = 1.5
"""Space between two short-answer questions, besides their write-in lines."""

VARIANT_BITS = 3
BANK_BITS = 4


class SheetOverflow(ValueError):
    """The paper has more questions than one scannable sheet holds."""


@dataclass(frozen=True)
class Bubble:
    x: float
    """Centre, mm from the frame's left edge."""
    y: float
    value: str
    """What filling it means: an option letter, `B`/`S`, or a NIP digit."""


@dataclass(frozen=True)
class AnswerRow:
    number: int
    x: float
    """Right edge of the printed question number."""
    y: float
    bubbles: tuple[Bubble, ...]


@dataclass(frozen=True)
class AnswerGroup:
    letter: str
    kind: str
    y: float
    """Top of the group's heading."""
    rows: tuple[AnswerRow, ...]


@dataclass(frozen=True)
class IsianBlock:
    letter: str
    y: float
    numbers: tuple[int, ...]
    inside: bool
    """True when the write-in lines fit on the sheet; else they go to a continuation page."""


@dataclass(frozen=True)
class SheetLayout:
    marks: tuple[tuple[float, float], ...]
    """Centres of the four corner marks: top-left, top-right, bottom-right, bottom-left."""
    code: tuple[bool, ...]
    code_cells: tuple[tuple[float, float], ...]
    """Centres of the code cells, in reading order."""
    nip_columns: tuple[tuple[Bubble, ...], ...]
    groups: tuple[AnswerGroup, ...]
    isian: IsianBlock | None
    participant_qr: str | None = None
    """Hook for the roster kit: a per-participant code printed as a QR instead of NIP bubbles."""

    @property
    def rows(self) -> list[AnswerRow]:
        return [row for group in self.groups for row in group.rows]


def mark_centres() -> tuple[tuple[float, float], ...]:
    half = MARK / 2
    return ((half, half), (FRAME_W - half, half), (FRAME_W - half, FRAME_H - half),
            (half, FRAME_H - half))


# --- the test code ---------------------------------------------------------------------------


def encode_code(bank_index: int, variant_index: int) -> tuple[bool, ...]:
    """Cells for a bank (1-based among the printed banks) and paket (0 none, 1 = A, …).

    Layout: guard · 4 bank bits · 3 paket bits · even parity · guard. The guards (always
    filled) let the reader check that it found the strip; the parity catches a misread cell.
    """
    if not (1 <= bank_index < 2**BANK_BITS and 0 <= variant_index < 2**VARIANT_BITS):
        raise SheetOverflow(f"cannot encode test {bank_index}, paket {variant_index}")
    data = _bits(bank_index, BANK_BITS) + _bits(variant_index, VARIANT_BITS)
    return (True, *data, sum(data) % 2 == 1, True)


def decode_code(cells: Sequence[bool]) -> tuple[int, int] | None:
    """(bank index, paket index) from the cells, or None when guards or parity do not match."""
    if len(cells) != 2 + BANK_BITS + VARIANT_BITS + 1 or not (cells[0] and cells[-1]):
        return None
    data = list(cells[1:-2])
    if (sum(data) % 2 == 1) != cells[-2]:
        return None
    bank = _number(data[:BANK_BITS])
    return (bank, _number(data[BANK_BITS:])) if bank else None


def _bits(value: int, width: int) -> tuple[bool, ...]:
    return tuple(bool(value >> (width - 1 - i) & 1) for i in range(width))


def _number(bits: Iterable[bool]) -> int:
    value = 0
    for bit in bits:
        value = value * 2 + int(bit)
    return value


def code_cells() -> tuple[tuple[float, float], ...]:
    count = 2 + BANK_BITS + VARIANT_BITS + 1
    half = CODE_CELL / 2
    return tuple((CODE_LEFT + i * CODE_PITCH + half, CODE_TOP + half) for i in range(count))


# --- NIP grid --------------------------------------------------------------------------------


def nip_column_x(column: int) -> float:
    gaps = sum(1 for edge in NIP_GROUPS if column >= edge)
    return INSET + BUBBLE / 2 + column * NIP_PITCH_X + gaps * NIP_GROUP_GAP


NIP_BOX_TOP = NIP_TOP + 4.5
"""Top of the row of boxes where the digits are written above their bubbles."""
NIP_BUBBLES_TOP = NIP_BOX_TOP + 5.0 + 3.0


def nip_columns() -> tuple[tuple[Bubble, ...], ...]:
    return tuple(
        tuple(Bubble(nip_column_x(c), NIP_BUBBLES_TOP + d * NIP_PITCH_Y, str(d)) for d in range(10))
        for c in range(NIP_DIGITS)
    )


# --- answers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionSpot:
    """What the layout needs to know about one printed question."""

    number: int
    values: tuple[str, ...]
    """Bubble values (option letters, or the true/false marks); empty for a written answer."""


def layout_sheet(
    groups: Sequence[tuple[str, str, Sequence[QuestionSpot]]],
    code: tuple[bool, ...],
    isian_height: float,
) -> SheetLayout:
    """Place every group of a paper: (section letter, kind, questions) in printed order.

    `isian_height` is the height of one short-answer question with its write-in lines.
    Raises SheetOverflow when the bubbles do not fit on one sheet.
    """
    top = ANSWERS_TOP
    placed: list[AnswerGroup] = []
    written: tuple[str, tuple[int, ...]] | None = None
    for letter, kind, questions in groups:
        if kind == "isian":
            written = (letter, tuple(q.number for q in questions))
            continue
        group = _place_group(letter, kind, questions, top)
        placed.append(group)
        top = max(row.y for row in group.rows) + ROW_PITCH / 2 + GROUP_GAP
    if placed and max(row.y for row in placed[-1].rows) + BUBBLE / 2 > BOTTOM_LIMIT:
        count = sum(len(g.rows) for g in placed)
        raise SheetOverflow(
            f"{count} multiple-choice and true/false questions do not fit on one scannable "
            f"answer sheet (at most {capacity()} per sheet)"
        )
    isian = None
    if written:
        letter, numbers = written
        fits = top + HEADING_H + len(numbers) * isian_height <= BOTTOM_LIMIT
        isian = IsianBlock(letter, top, numbers, inside=fits)
    return SheetLayout(mark_centres(), code, code_cells(), nip_columns(), tuple(placed), isian)


def _place_group(letter: str, kind: str, questions: Sequence[QuestionSpot],
                 top: float) -> AnswerGroup:
    """Questions column by column (1–4 down the first column, …), like a printed test key."""
    per_column = -(-len(questions) // COLUMNS)
    first_row = top + HEADING_H + ROW_PITCH / 2
    rows = []
    for index, question in enumerate(questions):
        column, row = divmod(index, per_column)
        left = INSET + column * COLUMN_W
        y = first_row + row * ROW_PITCH
        bubbles = tuple(Bubble(left + 9.5 + k * OPTION_PITCH, y, value)
                        for k, value in enumerate(question.values))
        rows.append(AnswerRow(question.number, left + 6.0, y, bubbles))
    return AnswerGroup(letter, kind, top, tuple(rows))


def capacity() -> int:
    """Questions that fit when they are all multiple choice."""
    rows = int((BOTTOM_LIMIT - ANSWERS_TOP - HEADING_H - BUBBLE / 2) // ROW_PITCH) + 1
    return rows * COLUMNS
