"""Faster SVG text for the slide PDFs: one text run per `<text>`/`<tspan>`, not one per letter.

WeasyPrint 70 draws SVG text letter by letter: every character gets its own Pango layout, so a
slide's text cost about 13 ms per text element and the three slide PDFs (bahan tayang,
handout, notes pages) took two thirds of a cold build (issue #23). The slide drawer
(`svgdraw`) never positions single letters: every run has at most one `x` and `y` and no
`dx`, `dy`, `rotate`, `letter-spacing` or `textLength`. For such runs `runs_as_whole` lays the
text out once and draws it as one line at the same place; anything else goes to WeasyPrint's
own code. Kerning and ligatures stay off, as they were letter by letter, so every glyph keeps
the advance the layout measured (`measure.py`) and text boxes stay within the layout.

The replacement is active only inside `runs_as_whole()`, so no other PDF (a handbook diagram
laid out in the same process) changes with the order jobs ran in.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from math import inf
from typing import Any

_SLOW_ATTRIBUTES = ("dx", "dy", "rotate", "letter-spacing", "textLength", "display-anchor")
_TEXT_TAGS = ("a", "text", "textPath", "tspan")


@contextmanager
def runs_as_whole() -> Iterator[None]:
    """Within the block, WeasyPrint draws simple SVG text runs whole (see the module doc)."""
    import weasyprint.svg as svg_module

    original = svg_module.text
    if getattr(original, "_bimtek_whole", False):
        yield
        return
    fast = _whole_run_text(original)
    tags = svg_module.TAGS
    saved = {tag: tags[tag] for tag in _TEXT_TAGS}
    svg_module.text = fast
    tags.update(dict.fromkeys(_TEXT_TAGS, fast))
    try:
        yield
    finally:
        svg_module.text = original
        tags.update(saved)


def _whole_run_text(original: Any) -> Any:  # noqa: ANN401 - WeasyPrint's private drawer
    def text(svg: Any, node: Any, font_size: float) -> None:  # noqa: ANN401
        if not node.text and _simple(node):
            _move_cursor(svg, node, font_size)
        elif node.text and _simple(node):
            _draw_run(svg, node, font_size)
        else:
            original(svg, node, font_size)

    text._bimtek_whole = True  # type: ignore[attr-defined]
    return text


def _simple(node: Any) -> bool:  # noqa: ANN401
    attributes = node.attrib
    if any(name in attributes for name in _SLOW_ATTRIBUTES):
        return False
    return all(len(str(attributes.get(axis, "")).split()) <= 1 for axis in ("x", "y"))


def _style(svg: Any, node: Any, font_size: float) -> Any:  # noqa: ANN401
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.svg.text import Style

    style = Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [font.strip().strip("\"'")
                            for font in node.get("font-family", "sans-serif").split(",")]
    style["font_style"] = node.get("font-style", "normal")
    weight = node.get("font-weight", 400)
    style["font_weight"] = {"normal": 400, "bold": 700}.get(weight, weight)
    try:
        style["font_weight"] = int(style["font_weight"])
    except ValueError:
        style["font_weight"] = 400
    style["font_size"] = font_size
    if node.get("direction") in ("ltr", "rtl"):
        style["direction"] = node.get("direction")
    # Letter by letter there was neither kerning nor ligatures; keep the measured advances.
    style["font_kerning"] = "none"
    style["font_variant_ligatures"] = "none"
    return style


def _draw_run(svg: Any, node: Any, font_size: float) -> None:  # noqa: ANN401
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.svg.text import TextBox
    from weasyprint.svg.utils import normalize, size
    from weasyprint.text.line_break import split_first_line

    style = _style(svg, node, font_size)
    layout, _, _, width, height, baseline = split_first_line(
        node.text, style, svg.context, inf, 0)
    x = y = None
    if "x" in node.attrib:
        x = size(normalize(node.attrib["x"]).strip(), font_size, svg.inner_width)
        svg.cursor_d_position[0] = 0
    if "y" in node.attrib:
        y = size(normalize(node.attrib["y"]).strip(), font_size, svg.inner_height)
        svg.cursor_d_position[1] = 0
    x = svg.cursor_position[0] if x is None else x
    y = svg.cursor_position[1] if y is None else y
    svg.cursor_position = x + width, y
    x_position = x + svg.cursor_d_position[0]
    y_position = y + svg.cursor_d_position[1] + _baseline_shift(node, font_size)
    node.text_bounding_box = extend_bounding_box(
        node.text_bounding_box,
        ((x_position, y_position - baseline), (x_position + width, y_position - baseline + height)))

    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    box = TextBox(layout, style)
    box.baseline = baseline
    emojis = draw_first_line(svg.stream, box, "none", "none",
                             Matrix(a=1, d=-1, e=x_position, f=y_position))
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)


def _move_cursor(svg: Any, node: Any, font_size: float) -> None:  # noqa: ANN401
    """A `<text>` whose words are all in its `<tspan>`s: only sets where they start (WeasyPrint
    lays out its empty string first, a Pango layout per element for nothing)."""
    from weasyprint.svg.utils import normalize, size

    x, y = svg.cursor_position
    if "x" in node.attrib:
        x = size(normalize(node.attrib["x"]).strip(), font_size, svg.inner_width)
    if "y" in node.attrib:
        y = size(normalize(node.attrib["y"]).strip(), font_size, svg.inner_height)
    svg.cursor_position = (x, y)


def _baseline_shift(node: Any, font_size: float) -> float:  # noqa: ANN401
    """WeasyPrint's vertical alignment of a run (the same rough ascent and descent)."""
    ascent, descent = font_size * 0.8, font_size * 0.2
    alignment = node.get("dominant-baseline", node.get("alignment-baseline"))
    if alignment in ("central", "middle"):
        return (ascent + descent) / 2 - descent
    if alignment in ("text-before-edge", "before_edge", "top", "hanging", "text-top"):
        return ascent
    if alignment in ("text-after-edge", "after_edge", "bottom", "text-bottom"):
        return -descent
    return 0.0
