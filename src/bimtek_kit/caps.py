"""Input caps: sizes under which every renderer runs in time roughly linear in its input.

A red-team pass (issue #13) found inputs under the old 8 MB file cap that no renderer finished:
a 7 MB module, 50,000 bullets, a 400-column table (slide tables fit columns in about cubic
time), 600 KB of `[` (markdown-it spends ~100 µs on every unclosed `[`). Real modules are
20-60 KB. These caps are generous for real courses and are checked at load, so `bimtek check`
reports them as `path:line: message` before any renderer starts. README "Security model"
lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bimtek_kit.errors import Diagnostics, Loc
from bimtek_kit.model import Block, CodeBlock, ListBlock, Module, Paragraph, Table, plain, walk

MAX_MODULE_BYTES = 256 * 1024
"""Bytes per module file: about 100 handbook pages; the handbook layout of a chapter is
slightly superlinear in its length (246 KB: 51 s, 493 KB: 150 s on a loaded machine)."""
MAX_BRACKETS = 5_000
"""`[` characters per module (each one is a possible link the parser must try to close)."""
MAX_LIST_ITEMS = 2_000
"""Items per list (nested lists count separately)."""
MAX_TABLE_COLUMNS = 30
"""Columns per table. A wide table's cells wrap to more lines, so it needs more slides, each
repeating the header row: at 30 columns the slides take ~4.5x the time of 8 columns."""
MAX_TABLE_ROWS = 1_000
MAX_PARAGRAPH_CHARS = 25_000
"""Characters per paragraph (and per line of code): about 3,500 words. A paragraph longer than
a slide is cut slide by slide, and each cut measures the rest of it again, so the time grows
with the square of its length (50,000 characters took 8x the time of 12,500; 25,000 takes 4x
the time of 6,250)."""
MAX_CELL_CHARS = 5_000
"""Characters per table cell: a cell taller than a slide is cut the same way (a few hundred is
already a lot for a cell)."""


def check_module_text(text: str, loc: Loc, diagnostics: Diagnostics) -> bool:
    """Refuse a module too large to parse in reasonable time; True when it may be parsed."""
    size = len(text.encode("utf-8"))
    if size > MAX_MODULE_BYTES:
        diagnostics.error(
            loc.at(1),
            f"module is {size // 1024} KB; the limit is {MAX_MODULE_BYTES // 1024} KB per "
            "module (split it into several modules)",
        )
        return False
    if text.count("[") > MAX_BRACKETS:
        position = _nth(text, "[", MAX_BRACKETS + 1)
        diagnostics.error(
            loc.at(text.count("\n", 0, position) + 1),
            f"more than {MAX_BRACKETS:,} '[' characters in one module; the limit keeps "
            "link parsing fast (write 'kurung siku' text differently or split the module)",
        )
        return False
    return True


def check_module_model(module: Module, diagnostics: Diagnostics) -> None:
    """Lists, tables and paragraphs over the caps, each at its own line."""
    blocks: list[Block] = list(walk(module.intro))
    for section in module.sections:
        blocks.extend(walk(section.blocks))
    for block in blocks:
        for message in _problems(block):
            diagnostics.error(block.loc, message)


def _problems(block: Block) -> list[str]:
    """The caps that apply to this kind of block (only lists, tables and paragraphs have any)."""
    check = _CAP_CHECKS.get(type(block))
    return check(block) if check else []


def _list_problems(block: ListBlock) -> list[str]:
    if len(block.items) <= MAX_LIST_ITEMS:
        return []
    return [f"list has {len(block.items):,} items; the limit is {MAX_LIST_ITEMS:,} "
            "per list (split it)"]


def _table_problems(block: Table) -> list[str]:
    columns = max([len(block.header), *(len(row) for row in block.rows)])
    problems = []
    if columns > MAX_TABLE_COLUMNS:
        problems.append(f"table has {columns} columns; the limit is {MAX_TABLE_COLUMNS}")
    if len(block.rows) > MAX_TABLE_ROWS:
        problems.append(f"table has {len(block.rows):,} rows; the limit is "
                        f"{MAX_TABLE_ROWS:,} (split it)")
    longest = max((len(plain(cell)) for row in (block.header, *block.rows) for cell in row),
                  default=0)
    if longest > MAX_CELL_CHARS:
        problems.append(f"a table cell has {longest:,} characters; the limit is "
                        f"{MAX_CELL_CHARS:,} per cell (move the text out of the table)")
    return problems


def _paragraph_problems(block: Paragraph) -> list[str]:
    length = len(plain(block.spans))
    if length <= MAX_PARAGRAPH_CHARS:
        return []
    return [f"paragraph has {length:,} characters; the limit is "
            f"{MAX_PARAGRAPH_CHARS:,} per paragraph (add blank lines between them)"]


def _code_problems(block: CodeBlock) -> list[str]:
    length = max((len(line) for line in block.text.split("\n")), default=0)
    if length <= MAX_PARAGRAPH_CHARS:
        return []
    return [f"a code line has {length:,} characters; the limit is "
            f"{MAX_PARAGRAPH_CHARS:,} per line (break the line)"]


_CAP_CHECKS: dict[type, Callable[[Any], list[str]]] = {
    ListBlock: _list_problems, Table: _table_problems, Paragraph: _paragraph_problems,
    CodeBlock: _code_problems,
}


def _nth(text: str, char: str, n: int) -> int:
    position = -1
    for _ in range(n):
        position = text.index(char, position + 1)
    return position
