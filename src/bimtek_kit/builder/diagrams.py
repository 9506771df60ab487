"""`::: bagan <kind>` -> a `Diagram` block (DESIGN §3).

A diagram is written as a Markdown list: each item a short label and, after a colon or a dash,
an optional one-line description; a `matriks` takes four items (the quadrants, read left to
right, top to bottom) with their entries as a nested list, a `hierarki` nests children under
their parent. Everything the drawing cannot fit is reported here, at the directive's line, so
`bimtek check` finds it before a deck is drawn.
"""

from __future__ import annotations

import re

from markdown_it.tree import SyntaxTreeNode

from bimtek_kit.builder.context import BlockContext
from bimtek_kit.errors import Loc, did_you_mean
from bimtek_kit.model import DIAGRAM_KINDS, Block, Diagram, DiagramItem, plain

KIND_ALIASES = {
    "flow": "alur", "process": "alur", "cycle": "siklus", "ladder": "tangga", "stairs": "tangga",
    "pyramid": "piramida", "matrix": "matriks", "grid": "matriks", "tree": "hierarki",
    "hierarchy": "hierarki",
}
MIN_ITEMS = 2
MAX_ITEMS = 9
"""Nodes a diagram can show legibly on a slide at 14 pt or more."""
MAX_CHARS = 80
"""Label plus description: about 60 characters fit comfortably; beyond 80 text cannot fit."""
MATRIX_CELLS = 4
MAX_ENTRIES = 4
"""Entries per matriks quadrant."""
OPTIONS = {"x", "y"}
_DESCRIPTION = re.compile(r"\s*(?::|\s[–—-])\s+")


def convert_diagram(node: SyntaxTreeNode, title: str, options: dict[str, str],
                    ctx: BlockContext) -> list[Block]:
    """Build the diagram of a `bagan` directive, or report why it cannot be drawn."""
    loc = ctx.loc_of(node)
    written, _, caption = title.partition(" ")
    kind = KIND_ALIASES.get(written.lower(), written.lower())
    if kind not in DIAGRAM_KINDS:
        hint = did_you_mean(kind, (*DIAGRAM_KINDS, *KIND_ALIASES)) if kind else ""
        what = f"unknown bagan kind '{written}'" if written else "bagan needs a kind"
        ctx.diagnostics.error(loc, f"{what}{hint}; use one of: {', '.join(DIAGRAM_KINDS)}")
        return []
    for key in options:
        if key not in OPTIONS:
            ctx.diagnostics.warning(loc, f"unknown option '{key}' for 'bagan'"
                                         f"{did_you_mean(key, sorted(OPTIONS))}")
    lists = [child for child in node.children if child.type in ("bullet_list", "ordered_list")]
    if len(lists) != 1 or len(lists[0].children) == 0:
        ctx.diagnostics.error(loc, f"bagan {kind} needs one Markdown list of its items")
        return []
    if len(node.children) > 1:
        ctx.diagnostics.warning(loc, f"bagan {kind}: only its list is drawn; the text around "
                                     "it is left out")
    items = tuple(_item(child, ctx) for child in lists[0].children)
    if not _check(kind, items, loc, ctx):
        return []
    return [Diagram(kind, caption.strip(), items, loc, options.get("x", ""), options.get("y", ""))]


def _item(node: SyntaxTreeNode, ctx: BlockContext) -> DiagramItem:
    text = ""
    children: list[DiagramItem] = []
    for child in node.children:
        if child.type == "paragraph":
            line = " ".join(plain(ctx.inline(child).spans).split())
            text = f"{text}: {line}" if text else line
        elif child.type in ("bullet_list", "ordered_list"):
            children.extend(_item(grandchild, ctx) for grandchild in child.children)
    label, description = split_label(text)
    return DiagramItem(label, description, tuple(children), ctx.loc_of(node))


def split_label(text: str) -> tuple[str, str]:
    """`Reach: siapa yang dijangkau` -> ("Reach", "siapa yang dijangkau")."""
    parts = _DESCRIPTION.split(text, maxsplit=1)
    if len(parts) == 2 and parts[0] and parts[1]:
        return parts[0].strip(), parts[1].strip()
    return text.strip(), ""


def count_nodes(items: tuple[DiagramItem, ...]) -> int:
    return sum(1 + count_nodes(item.children) for item in items)


def _check(kind: str, items: tuple[DiagramItem, ...], loc: Loc, ctx: BlockContext) -> bool:
    """Report what cannot be drawn; True when the diagram can be drawn."""
    ok = True
    if kind == "matriks":
        if len(items) != MATRIX_CELLS:
            ctx.diagnostics.error(loc, f"bagan matriks has {len(items)} items; it needs "
                                       f"{MATRIX_CELLS} (a 2x2 grid: top left, top right, "
                                       "bottom left, bottom right)")
            ok = False
        for item in items:
            if len(item.children) > MAX_ENTRIES:
                ctx.diagnostics.error(item.loc, f"bagan matriks cell '{item.label}' has "
                                                f"{len(item.children)} entries; at most "
                                                f"{MAX_ENTRIES} fit")
                ok = False
    else:
        count = count_nodes(items) if kind == "hierarki" else len(items)
        if count > MAX_ITEMS:
            ctx.diagnostics.error(loc, f"bagan {kind} has {count} items; at most {MAX_ITEMS} fit")
            ok = False
        elif count < MIN_ITEMS:
            ctx.diagnostics.error(loc, f"bagan {kind} has {count} item; it needs at least "
                                       f"{MIN_ITEMS}")
            ok = False
    for item in _all(items):
        size = len(item.label) + len(item.description)
        if size > MAX_CHARS:
            ctx.diagnostics.error(item.loc, f"bagan item '{item.label[:30]}' has {size} "
                                            f"characters; at most {MAX_CHARS} fit (about 60 "
                                            "read best)")
            ok = False
    return ok


def _all(items: tuple[DiagramItem, ...]):
    for item in items:
        yield item
        yield from _all(item.children)
