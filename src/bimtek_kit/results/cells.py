"""Spreadsheet rows as `hasil/` files and the roster fallback are read: Excel's CSV (a BOM,
`;` or `,`), cells stripped, every problem located as `path:row:column: message`."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from bimtek_kit.errors import CellLoc, Diagnostics, Loc, did_you_mean


def read_table(path: Path, relative: str, diagnostics: Diagnostics) -> list[list[str]] | None:
    """Rows of a CSV as Excel writes it (BOM, `;` or `,`), cells stripped."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        diagnostics.error(Loc(relative, 1), "not UTF-8 text; save it as CSV UTF-8")
        return None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text),
                                                                  delimiter=delimiter)]
    if not rows or not any(rows[0]):
        diagnostics.error(Loc(relative, 1), "empty file: expected a header row")
        return None
    return rows


def header_columns(rows: list[list[str]], relative: str, expected: list[str],
                   optional: set[str], diagnostics: Diagnostics) -> dict[str, int] | None:
    """Column name -> index; every missing and unknown column is reported."""
    header = [cell.lower() for cell in rows[0]]
    columns = {name: index for index, name in enumerate(header) if name}
    ok = True
    for name in header:
        if name and name not in expected and name not in optional:
            diagnostics.error(CellLoc(relative, 1, name), f"unknown column '{name}'"
                              f"{did_you_mean(name, expected)}")
            ok = False
    for name in expected:
        if name not in columns:
            diagnostics.error(Loc(relative, 1), f"missing column '{name}'")
            ok = False
    return columns if ok else None


@dataclass
class Cells:
    """One data row, read by column name; problems reported at its cells."""

    cells: list[str]
    columns: dict[str, int]
    path: str
    row: int
    diagnostics: Diagnostics

    def get(self, name: str) -> str:
        index = self.columns[name]
        return self.cells[index] if index < len(self.cells) else ""

    def error(self, column: str, message: str) -> None:
        self.diagnostics.error(CellLoc(self.path, self.row, column), message)
