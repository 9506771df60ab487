"""Tables that fit the printed page: column widths from the text, stacking when too wide.

WeasyPrint's automatic table layout let a table of long words grow past the right margin
(issue #15: the BerAKHLAK and Thomas–Kilmann tables lost their last column at the trim).
Printed tables are therefore laid out with `table-layout: fixed` and widths chosen here from
what the cells hold: every column gets room for its longest word (up to a limit) and the rest
is shared by how much text a column carries. A table whose words cannot fit side by side even
so is printed stacked: one block per row, each cell under its column's name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bimtek_kit.hyphenation import SOFT_HYPHEN
from bimtek_kit.model import Inline, Table, plain

LINE_CHARS = 84
"""Characters of table text (9.5 pt sans) on one line of the narrowest printed text width
(a handbook activity box), cell padding excluded."""
CELL_PADDING = 3
"""Characters' worth of cell padding in every column (and a margin for wider letters)."""
WORD_LIMIT = 14
"""A longer word may be hyphenated: it does not widen its column further."""
MIN_COLUMN = 5
MIN_WEIGHT = 12.0
"""A column of mostly empty cells (a grid to fill in) still gets room to write in."""

_WORD = re.compile(r"\S+")


def column_widths(table: Table) -> list[float] | None:
    """Percent widths of the columns, summing to 100; None when the table must be stacked."""
    columns = len(table.header)
    if not columns:
        return []
    cells = [[plain(row[i]) if i < len(row) else "" for row in (table.header, *table.rows)]
             for i in range(columns)]
    floors = [CELL_PADDING + max(MIN_COLUMN, min(WORD_LIMIT, _longest_word(texts)))
              for texts in cells]
    if sum(floors) > LINE_CHARS:
        return None
    weights = [max(MIN_WEIGHT, sum(len(text) for text in texts[1:]) / max(1, len(texts) - 1),
                   len(texts[0]) * 0.6) for texts in cells]
    widths = _share(floors, weights, LINE_CHARS)
    total = sum(widths)
    return [round(100 * width / total, 2) for width in widths]


def _longest_word(texts: Sequence[str]) -> int:
    return max((len(word) for text in texts for word in _WORD.findall(text)), default=0)


def _share(floors: list[int], weights: list[float], room: int) -> list[float]:
    """Give every column its floor, then share the rest by weight; a column whose share
    would fall under its floor keeps the floor and leaves the rest to the others."""
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(len(floors)) if i not in fixed]
        left = room - sum(fixed.values())
        weight = sum(weights[i] for i in free) or 1.0
        shares = {i: left * weights[i] / weight for i in free}
        short = [i for i, share in shares.items() if share < floors[i]]
        if not short:
            return [fixed.get(i, shares.get(i, 0.0)) for i in range(len(floors))]
        for i in short:
            fixed[i] = floors[i]


def colgroup_html(widths: Sequence[float]) -> str:
    return "<colgroup>" + "".join(f'<col style="width:{w}%">' for w in widths) + "</colgroup>"


def narrow_column_hyphens(hyphenate: Callable[[str], str] | None) -> Callable[[str], str] | None:
    """`hyphenate` for table cells: words under ten letters stay whole and no piece is shorter
    than four letters, so a narrow column reads "Bersaing", never "Ber-sa-ing"."""
    if hyphenate is None:
        return None

    def fewer(text: str) -> str:
        return _WORD.sub(lambda match: _thin(match.group(0)), hyphenate(text))

    return fewer


def _thin(word: str) -> str:
    if SOFT_HYPHEN not in word:
        return word
    pieces = word.split(SOFT_HYPHEN)
    if sum(len(piece) for piece in pieces) < 10:
        return "".join(pieces)
    kept = [pieces[0]]
    for piece in pieces[1:]:
        if len(kept[-1]) < 4:
            kept[-1] += piece
        else:
            kept.append(piece)
    if len(kept) > 1 and len(kept[-1]) < 4:
        last = kept.pop()
        kept[-1] += last
    return SOFT_HYPHEN.join(kept)


def stacked_html(table: Table, cell: Callable[[Inline], str]) -> str:
    """One block per row: the first cell as its title, the others under their column names."""
    rows = []
    for row in table.rows:
        first = cell(row[0]) if row else ""
        fields = "".join(
            f'<p class="stacked-field"><span class="stacked-name">{cell(name)}</span> '
            f"{cell(row[i]) if i < len(row) else ''}</p>"
            for i, name in enumerate(table.header) if i > 0)
        rows.append(f'<div class="stacked-row"><p class="stacked-title">'
                    f'<span class="stacked-name">{cell(table.header[0])}</span> {first}</p>'
                    f"{fields}</div>")
    return f'<div class="table-stacked">{"".join(rows)}</div>'
