"""Diagram geometry (`::: bagan`, DESIGN §3): written once as pure points, drawn twice.

`lay_out_diagram` places a diagram's nodes and links in a frame of any size, and sets every text
at the largest size (between `max_size` and `min_size`) at which all of it fits its shape,
wrapped with the same font metrics the slides use. The slide drawer turns the result into grouped
native PowerPoint shapes (editable text, theme colours); `svg` turns the same result into an
inline SVG for the handbook, the site and the facilitator guide. No drawing library is imported
here: this is geometry and text measurement only.

Colours are roles ("primary", "tint", "accent", "text", "white"), resolved by each drawer from
the theme.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from markupsafe import Markup, escape

from bimtek_kit.model import Diagram, DiagramItem

Wrap = Callable[[str, float, float, bool], list[str]]
"""wrap(text, size, width, bold) -> the lines `text` takes at `size` points in `width` points."""

LINE = 1.2 * 1.03
"""Line pitch in em, as the slide measurement counts it (line height with its safety margin)."""
PAD = 6.0
"""Inner padding of a shape, points, on every side."""
GAP = 14.0
"""Space between neighbouring shapes, points."""
DASH = "–"
ARROW = 26.0
"""Horizontal room for an arrow between two steps of an `alur`."""


@dataclass(frozen=True)
class TextLine:
    text: str
    bold: int
    """How many characters at the start of the line are bold (the label's part)."""
    width: float = 0.0
    """Measured width in points of a line mixing bold and regular text (to centre it)."""

    @property
    def head(self) -> str:
        return self.text[:self.bold]

    @property
    def rest(self) -> str:
        return self.text[self.bold:]


@dataclass(frozen=True)
class Node:
    """One shape with its text; `shape` is box | ellipse | trapezoid | text (no outline)."""

    shape: str
    x: float
    y: float
    w: float
    h: float
    label: str
    description: str
    fill: str
    """Colour role of the fill ("none" for text only)."""
    ink: str
    """Colour role of the text."""
    size: float = 0.0
    lines: tuple[TextLine, ...] = ()
    """The text as wrapped at `size` (the SVG draws these; PowerPoint wraps the same text)."""
    align: str = "center"
    """center | left"""
    top_inset: float = 0.0
    """trapezoid: how far in from each side its top edge starts."""
    pad: float = PAD
    inline: bool = False
    """Label and description run on in one paragraph ("Label – description"), for shapes too
    low for two paragraphs."""

    @property
    def text_width(self) -> float:
        """Width available to text (a trapezoid's text keeps clear of its sloped sides)."""
        return max(self.w - 2 * self.pad - 2 * self.top_inset, 1.0)

    @property
    def run_on(self) -> str:
        """The text of an inline node: label, dash, description."""
        return f"{self.label} {DASH} {self.description}" if self.description else self.label


@dataclass(frozen=True)
class Link:
    """A polyline between shapes; `arrow` puts an arrowhead at its last point."""

    points: tuple[tuple[float, float], ...]
    arrow: bool = True


@dataclass(frozen=True)
class Drawing:
    w: float
    h: float
    nodes: tuple[Node, ...]
    links: tuple[Link, ...]
    size: float
    """The text size every node is set in."""
    fits: bool
    """False when even `min_size` leaves some text too big for its shape."""


# --- layout --------------------------------------------------------------------------------------


def lay_out_diagram(diagram: Diagram, w: float, h: float, wrap: Wrap, max_size: float,
                    min_size: float) -> Drawing:
    """Place `diagram` in a `w` x `h` frame and fit its text (see the module docstring)."""
    place = _LAYOUTS[diagram.kind]
    nodes, links = place(diagram, w, h)
    for candidate in _sizes(max_size, min_size):
        fitted = [_fit(node, wrap, candidate) for node in nodes]
        if all(node is not None for node in fitted):
            return Drawing(w, h, tuple(fitted), tuple(links), candidate, True)  # type: ignore[arg-type]
    set_nodes = tuple(_fit(node, wrap, min_size, force=True) or node for node in nodes)
    return Drawing(w, h, set_nodes, tuple(links), min_size, False)


def _sizes(max_size: float, min_size: float) -> list[float]:
    sizes, size = [], float(max_size)
    while size > min_size:
        sizes.append(size)
        size -= 1.0
    return [*sizes, float(min_size)]


def _lines(node: Node, wrap: Wrap, size: float, inline: bool) -> tuple[TextLine, ...]:
    """The wrapped lines of a node; an inline node's run-on text is measured all bold (wider)."""
    width = node.text_width
    if inline:
        lines, offset, bold_end = [], 0, len(node.label)
        width_of = getattr(wrap, "width", None)
        for text in wrap(node.run_on, size, width, True):
            line = TextLine(text, max(0, min(len(text), bold_end - offset)))
            if width_of is not None and line.head and line.rest:
                line = replace(line, width=width_of(line.head, size, True)
                               + width_of(line.rest, size, False))
            lines.append(line)
            offset += len(text) + 1
        return tuple(lines)
    label = [TextLine(text, len(text)) for text in wrap(node.label, size, width, True)]
    return (*label, *(TextLine(text, 0) for text in wrap(node.description, size, width, False)))


def _fit(node: Node, wrap: Wrap, size: float, force: bool = False) -> Node | None:
    """The node with its text set at `size` (two paragraphs, else run on), or None."""
    last = None
    for inline in (False, True) if node.description else (False,):
        lines = _lines(node, wrap, size, inline)
        last = replace(node, size=size, lines=lines, inline=inline)
        if len(lines) * size * LINE + 2 * node.pad <= node.h and not _too_wide(node, lines,
                                                                             wrap, size):
            return last
    return last if force else None


def _too_wide(node: Node, lines: tuple[TextLine, ...], wrap: Wrap, size: float) -> bool:
    """A word longer than its shape is wide stands on a line of its own and runs out of the
    shape ("mengonfirmasi" in a box of a five-step flow): that size does not fit either."""
    width_of = getattr(wrap, "width", None)
    if width_of is None:
        return False
    return any((line.width or width_of(line.head, size, True) + width_of(line.rest, size, False))
               > node.text_width + 0.5 for line in lines)


def _node(shape: str, x: float, y: float, w: float, h: float, item: DiagramItem, fill: str,
          ink: str, **extra: float | str | bool) -> Node:
    return Node(shape, x, y, w, h, item.label, item.description, fill, ink, **extra)  # type: ignore[arg-type]


def _alur(diagram: Diagram, w: float, h: float) -> tuple[list[Node], list[Link]]:
    """Steps left to right with arrows; more than five snake onto a second row (right to left)."""
    items = diagram.items
    rows = 1 if len(items) <= 5 else 2
    per_row = math.ceil(len(items) / rows)
    box_w = (w - (per_row - 1) * ARROW) / per_row
    row_gap = ARROW if rows > 1 else 0.0
    box_h = min((h - row_gap) / rows, 0.8 * box_w + 40)
    top = (h - rows * box_h - row_gap) / 2
    nodes: list[Node] = []
    for index, item in enumerate(items):
        row, col = divmod(index, per_row)
        if row % 2:
            col = per_row - 1 - col
        x = col * (box_w + ARROW)
        y = top + row * (box_h + row_gap)
        nodes.append(_node("box", x, y, box_w, box_h, item, "primary", "white"))
    links = []
    for a, b in zip(nodes, nodes[1:], strict=False):
        if abs(a.y - b.y) < 1:
            forward = b.x > a.x
            y = a.y + a.h / 2
            start = a.x + a.w + 3 if forward else a.x - 3
            end = b.x - 3 if forward else b.x + b.w + 3
            links.append(Link(((start, y), (end, y))))
        else:
            x = a.x + a.w / 2
            links.append(Link(((x, a.y + a.h + 3), (x, b.y - 3))))
    return nodes, links


def _siklus(diagram: Diagram, w: float, h: float) -> tuple[list[Node], list[Link]]:
    """Steps round an ellipse, clockwise from the top, each arrow to the next and back to 1."""
    items = diagram.items
    n = len(items)
    box_w = min(w * (0.3 if n <= 4 else 0.24 if n <= 6 else 0.2), 240.0)
    box_h = min(h * (0.3 if n <= 6 else 0.24), 110.0)
    rx, ry = (w - box_w) / 2, (h - box_h) / 2
    cx, cy = w / 2, h / 2
    nodes = []
    for index, item in enumerate(items):
        angle = -math.pi / 2 + 2 * math.pi * index / n
        x = cx + rx * math.cos(angle) - box_w / 2
        y = cy + ry * math.sin(angle) - box_h / 2
        fill, ink = ("primary", "white") if index % 2 == 0 else ("tint", "text")
        nodes.append(_node("box", x, y, box_w, box_h, item, fill, ink))
    links = []
    for index, a in enumerate(nodes):
        b = nodes[(index + 1) % n]
        start, end = _clip(a, b), _clip(b, a)
        links.append(Link((start, end)))
    return nodes, links


def _clip(a: Node, b: Node, margin: float = 4.0) -> tuple[float, float]:
    """Where the line from the centre of `a` to the centre of `b` leaves `a` (plus a margin)."""
    ax, ay = a.x + a.w / 2, a.y + a.h / 2
    dx, dy = b.x + b.w / 2 - ax, b.y + b.h / 2 - ay
    scale = min((a.w / 2 + margin) / abs(dx) if dx else math.inf,
                (a.h / 2 + margin) / abs(dy) if dy else math.inf)
    return ax + dx * scale, ay + dy * scale


def _tangga(diagram: Diagram, w: float, h: float) -> tuple[list[Node], list[Link]]:
    """An escalation ladder: step 1 at the bottom left, each next step higher and further right,
    with an arrow up the left side."""
    items = diagram.items
    n = len(items)
    arrow_room = 24.0
    gap = 6.0
    step_h = (h - (n - 1) * gap) / n
    indent = min((w - arrow_room) * 0.35 / max(n - 1, 1), 60.0)
    step_w = w - arrow_room - (n - 1) * indent
    nodes = []
    for index, item in enumerate(items):
        y = h - (index + 1) * step_h - index * gap
        x = arrow_room + index * indent
        shade = ("tint", "text") if index < n / 2 else ("primary", "white")
        nodes.append(_node("box", x, y, step_w, step_h, item, *shade, align="left"))
    links = [Link(((arrow_room / 2, h - 2), (arrow_room / 2, 2)))]
    return nodes, links


def _piramida(diagram: Diagram, w: float, h: float) -> tuple[list[Node], list[Link]]:
    """Layers from the narrow top (item 1) to the wide base, each text beside its layer."""
    items = diagram.items
    n = len(items)
    base = min(w * 0.4, h * 1.6)
    gap = 4.0
    layer_h = (h - (n - 1) * gap) / n
    text_x = base + 2 * GAP
    nodes: list[Node] = []
    links: list[Link] = []
    for index, item in enumerate(items):
        y = index * (layer_h + gap)
        top_w = base * (y / h)
        bottom_w = base * ((y + layer_h) / h)
        x = (base - bottom_w) / 2
        fill = "primary" if index % 2 == 0 else "accent"
        layer = Node("trapezoid", x, y, bottom_w, layer_h, "", "", fill, "white",
                     top_inset=(bottom_w - top_w) / 2)
        nodes.append(layer)
        nodes.append(_node("text", text_x, y, w - text_x, layer_h, item, "none", "text",
                           align="left"))
        middle = y + layer_h / 2
        links.append(Link(((x + bottom_w - (bottom_w - top_w) / 4 + 4, middle),
                           (text_x - 2, middle)), arrow=False))
    return nodes, links


def _matriks(diagram: Diagram, w: float, h: float) -> tuple[list[Node], list[Link]]:
    """A 2x2 grid (top left, top right, bottom left, bottom right) with optional axes."""
    axis = 22.0 if diagram.x_label or diagram.y_label else 0.0
    label_h = 32.0 if axis else 0.0
    left, top = axis, label_h
    grid_w, grid_h = w - left, h - top - label_h
    cell_w, cell_h = (grid_w - GAP) / 2, (grid_h - GAP) / 2
    nodes: list[Node] = []
    tones = [("tint", "text"), ("primary", "white"), ("tint", "text"), ("tint", "text")]
    for index, item in enumerate(diagram.items[:4]):
        row, col = divmod(index, 2)
        entries = "; ".join(child.label + (f": {child.description}" if child.description else "")
                            for child in item.children)
        description = "; ".join(part for part in (item.description, entries) if part)
        cell = DiagramItem(item.label, description, (), item.loc)
        nodes.append(_node("box", left + col * (cell_w + GAP), top + row * (cell_h + GAP),
                           cell_w, cell_h, cell, *tones[index]))
    links: list[Link] = []
    if axis:
        corner = (axis / 2, h - label_h + 4)
        links.append(Link((corner, (axis / 2, 2))))
        links.append(Link((corner, (w - 2, corner[1]))))
        if diagram.y_label:
            item = DiagramItem(diagram.y_label, "", (), diagram.loc)
            nodes.append(_node("text", left, 0, grid_w / 2, label_h, item, "none", "muted",
                               align="left", pad=2.0))
        if diagram.x_label:
            item = DiagramItem(diagram.x_label, "", (), diagram.loc)
            nodes.append(_node("text", w - grid_w / 2, h - label_h + 6, grid_w / 2 - 4,
                               label_h - 6, item, "none", "muted", align="right", pad=1.0))
    return nodes, links


def _hierarki(diagram: Diagram, w: float, h: float) -> tuple[list[Node], list[Link]]:
    """A tree: the root on top, its children in a row, grandchildren stacked under each child.

    Several top-level items are drawn as the children of an unlabelled root (not drawn)."""
    if len(diagram.items) == 1:
        root: DiagramItem | None = diagram.items[0]
        children = root.children
    else:
        root, children = None, diagram.items
    deepest = max((len(child.children) for child in children), default=0)
    rows = 1 + deepest
    root_h = min((h - rows * GAP) / (rows + 1), 90.0) if root else 0.0
    row_h = min((h - root_h - (rows - (0 if root else 1)) * GAP) / rows, 170.0)
    cols = max(len(children), 1)
    col_w = (w - (cols - 1) * GAP) / cols
    nodes: list[Node] = []
    links: list[Link] = []
    y = 0.0
    root_node = None
    if root is not None:
        root_w = min(w * 0.45, max(col_w, w * 0.3))
        root_node = _node("box", (w - root_w) / 2, 0, root_w, root_h, root, "primary", "white")
        nodes.append(root_node)
        y = root_h + GAP
    bus = y - GAP / 2
    indent = min(16.0, col_w * 0.12)
    for index, child in enumerate(children):
        x = index * (col_w + GAP)
        node = _node("box", x, y, col_w, row_h, child, "accent" if root is None else "tint",
                     "text")
        nodes.append(node)
        if root_node is not None:
            cx = root_node.x + root_node.w / 2
            links.append(Link(((cx, root_node.y + root_node.h), (cx, bus),
                               (x + col_w / 2, bus), (x + col_w / 2, y - 2))))
        above = y + row_h
        for depth, grandchild in enumerate(child.children, start=1):
            gy = y + depth * (row_h + GAP)
            nodes.append(_node("box", x + indent, gy, col_w - indent, row_h, grandchild,
                               "white", "text"))
            middle = gy + row_h / 2
            links.append(Link(((x + indent / 2, above), (x + indent / 2, middle),
                               (x + indent - 2, middle))))
            above = middle
    return nodes, links


_LAYOUTS = {
    "alur": _alur, "siklus": _siklus, "tangga": _tangga, "piramida": _piramida,
    "matriks": _matriks, "hierarki": _hierarki,
}


def diagram_description(diagram: Diagram, label: str) -> str:
    """Alt text: "Bagan alur: A → B → C" (what a screen reader says for the whole diagram)."""
    joiner = " → " if diagram.kind in ("alur", "siklus", "tangga") else "; "
    names = joiner.join(_names(diagram.items))
    title = f" {diagram.title}" if diagram.title else ""
    return f"{label} {diagram.kind}{title}: {names}"


def _names(items: tuple[DiagramItem, ...]) -> list[str]:
    names = []
    for item in items:
        inner = _names(item.children)
        names.append(f"{item.label} ({', '.join(inner)})" if inner else item.label)
    return names


# --- SVG ---------------------------------------------------------------------------------------

FALLBACK_COLORS = {"primary": "#1B3A5C", "accent": "#C9A227", "text": "#1F2328",
                   "muted": "#5A6270", "tint": "#EEF2F6", "white": "#FFFFFF"}
"""The built-in theme's colours, for a theme that does not name one of the roles."""
PAGE_WIDTH = 453.0
"""Points: the text width of an A4 page with 2.5 cm margins; the SVG scales down on narrower
pages and screens."""
PAGE_SIZES = (11.0, 8.0)
"""Largest and smallest text size of a diagram on paper."""
_PAGE_HEIGHT = {"alur": 0.36, "siklus": 0.55, "tangga": 0.5, "piramida": 0.5, "matriks": 0.5,
                "hierarki": 0.45}
"""Height of each kind on paper, as a share of the width."""


def diagram_svg(diagram: Diagram, colors: dict[str, str], font: str, label: str) -> Markup:
    """The handbook's drawing of `diagram`: the same geometry as the slide, at page size."""
    from bimtek_kit.render.slides.measure import metrics, wrapper

    height = PAGE_WIDTH * _PAGE_HEIGHT[diagram.kind]
    if diagram.kind in ("tangga", "piramida"):
        height = max(height, 30.0 * len(diagram.items))
    elif diagram.kind == "hierarki":
        deepest = max((len(item.children) for child in diagram.items
                       for item in child.children), default=0)
        height += 60.0 * deepest
    drawing = lay_out_diagram(diagram, PAGE_WIDTH, height, wrapper(metrics(font)), *PAGE_SIZES)
    return svg(drawing, colors, f"{font}, Liberation Sans, Arial, sans-serif",
               diagram_description(diagram, label))



def svg(drawing: Drawing, colors: dict[str, str], font: str, title: str = "") -> Markup:
    """The drawing as an inline SVG (text as text, so it stays selectable and searchable)."""
    def color(role: str) -> str:
        return "none" if role == "none" else str(colors.get(role) or FALLBACK_COLORS[role])

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram" role="img" '
             f'viewBox="0 0 {drawing.w:.1f} {drawing.h:.1f}" '
             f'width="{drawing.w:.1f}pt" height="{drawing.h:.1f}pt" '
             f'font-family="{escape(font)}">']
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    ink = color("muted")
    parts.append(f'<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" '
                 f'markerWidth="6" markerHeight="6" orient="auto-start-reverse">'
                 f'<path d="M0,0 L10,5 L0,10 z" fill="{ink}"/></marker></defs>')
    for link in drawing.links:
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in link.points)
        marker = ' marker-end="url(#arrow)"' if link.arrow else ""
        parts.append(f'<polyline points="{points}" fill="none" stroke="{ink}" '
                     f'stroke-width="1.5"{marker}/>')
    for node in drawing.nodes:
        parts.append(_svg_shape(node, color))
        parts.append(_svg_text(node, color))
    parts.append("</svg>")
    return Markup("".join(parts))


def _svg_shape(node: Node, color: Callable[[str], str]) -> str:
    fill = color(node.fill)
    stroke = color("primary") if node.fill in ("white", "tint") else "none"
    if node.shape == "box":
        return (f'<rect x="{node.x:.1f}" y="{node.y:.1f}" width="{node.w:.1f}" '
                f'height="{node.h:.1f}" rx="6" fill="{fill}" stroke="{stroke}"/>')
    if node.shape == "trapezoid":
        x, y, w, h, inset = node.x, node.y, node.w, node.h, node.top_inset
        points = f"{x + inset:.1f},{y:.1f} {x + w - inset:.1f},{y:.1f} " \
                 f"{x + w:.1f},{y + h:.1f} {x:.1f},{y + h:.1f}"
        return f'<polygon points="{points}" fill="{fill}"/>'
    return ""


def _svg_text(node: Node, color: Callable[[str], str]) -> str:
    if not node.lines:
        return ""
    pitch = node.size * LINE
    top = node.y + (node.h - pitch * len(node.lines)) / 2
    if node.align == "left":
        x, anchor = node.x + PAD, "start"
    elif node.align == "right":
        x, anchor = node.x + node.w - PAD, "end"
    else:
        x, anchor = node.x + node.w / 2, "middle"
    texts = []
    for index, line in enumerate(node.lines):
        baseline = top + pitch * index + node.size * 0.95
        start, where = x, anchor
        if line.width and anchor != "start":
            # A line mixing bold and regular runs is placed from its measured start: renderers
            # differ in how they anchor a text chunk made of several spans.
            start = x - (line.width / 2 if anchor == "middle" else line.width)
            where = "start"
        spans = ""
        if line.head:
            spans += f'<tspan font-weight="bold">{escape(line.head)}</tspan>'
        if line.rest:
            spans += f"<tspan>{escape(line.rest)}</tspan>"
        texts.append(f'<text x="{start:.1f}" y="{baseline:.1f}" font-size="{node.size:.1f}" '
                     f'fill="{color(node.ink)}" text-anchor="{where}" '
                     f'xml:space="preserve">{spans}</text>')
    return "".join(texts)
