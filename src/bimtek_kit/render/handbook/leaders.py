"""Daftar isi leaders as one box per line, drawn with the very operators of the dots (issue #23).

WeasyPrint 70 fills a `leader(".")` with a copy of the one-dot text box for every dot: a
daftar isi line carries about a hundred boxes, each with its own background pass, and each is
drawn with a Pango layout set up and shaped again for one dot. The daftar isi of a 10-module
course (200 lines, 12 pages) cost more than three seconds, as much as three chapters.

Inside `whole_leaders()`, WeasyPrint places the dots as it always does; then they are replaced
by one `LeaderDots` box spanning them that remembers where each dot was. When drawn, the first
two dots go through WeasyPrint's own `draw_text`, and every further dot gets a copy of the
second one's operators with its own text matrix: the page content is the same, operator for
operator and in the same order (right to left, as WeasyPrint draws leaders), so the page shows
and `pdftotext` reads exactly what it did. A leader with a text decoration or anything but a
row of equal dots keeps WeasyPrint's boxes.

The replacement is active only inside `whole_leaders()`, around the layout and writing of the
front matter, so no other document depends on the order jobs ran in.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def whole_leaders() -> Iterator[None]:
    """Within the block, leaders are laid out and drawn as `LeaderDots` (see the module doc)."""
    import weasyprint.draw as draw
    import weasyprint.layout.inline as inline

    handle_leader = getattr(inline, "handle_leader", None)
    draw_text = getattr(draw, "draw_text", None)
    if handle_leader is None or draw_text is None or getattr(handle_leader, "_bimtek_whole",
                                                             False):
        yield  # another WeasyPrint layout (or already inside): its own leaders, unchanged
        return

    def merged_leader(context: Any, line: Any, containing_block: Any) -> None:  # noqa: ANN401
        handle_leader(context, line, containing_block)
        merge_leader(line)

    def drawn(stream: Any, textbox: Any, *args: Any) -> None:  # noqa: ANN401
        if isinstance(textbox, _dots_class()):
            draw_dots(stream, textbox, draw_text, *args)
        else:
            draw_text(stream, textbox, *args)

    merged_leader._bimtek_whole = True  # type: ignore[attr-defined]
    inline.handle_leader, draw.draw_text = merged_leader, drawn
    try:
        yield
    finally:
        inline.handle_leader, draw.draw_text = handle_leader, draw_text


def merge_leader(line: Any) -> None:  # noqa: ANN401 - WeasyPrint's layout boxes
    """Replace the dots WeasyPrint put into `line`'s leader by one `LeaderDots` box."""
    from weasyprint.formatting_structure.boxes import TextBox
    from weasyprint.layout.leader import leader_index

    _index, leader = leader_index(line)
    dots = leader.children if leader is not None else ()
    if len(dots) < 3 or not all(type(dot) is TextBox for dot in dots):
        return
    first = dots[0]
    if (first.style["text_decoration_line"] not in ("none", set(), frozenset())
            or any(dot.text != first.text or dot.width != first.width
                   or dot.position_y != first.position_y for dot in dots)):
        return
    left = min(dot.position_x for dot in dots)
    right = max(dot.position_x for dot in dots) + first.width
    whole = _dots_class()(first, [dot.position_x - left for dot in dots])
    whole.position_x, whole.width = left, right - left
    leader.children = (whole,)


def draw_dots(stream: Any, box: Any, draw_text: Any, *args: Any) -> None:  # noqa: ANN401
    """Draw the dots of `box` in WeasyPrint's order, with the operators it would write.

    WeasyPrint's stream joins text objects that follow each other (a `BT` right after an `ET`
    drops both), so the second dot's operators replace the first one's closing `ET`: every
    further dot does the same with its own text matrix.
    """
    xs = [box.position_x + offset for offset in box.offsets]
    y = box.position_y + box.baseline
    draw_text(stream, box.dot(xs[0]), *args)
    ops = stream.stream
    start = len(ops)
    draw_text(stream, box.dot(xs[1]), *args)
    first = _text_matrix(xs[1], y)
    joined = start > 0 and ops[start - 1] == first  # the first dot's `ET` was dropped
    template = ops[start - 1:] if joined else ops[start:]
    if template.count(first) != 1 or (joined and template[-1] != b"ET"):
        for x in xs[2:]:  # not the plain dot we know: let WeasyPrint draw them all
            draw_text(stream, box.dot(x), *args)
        return
    where = template.index(first)
    for x in xs[2:]:
        template[where] = _text_matrix(x, y)
        if joined:
            ops.pop()
        ops.extend(template)


def _text_matrix(x: float, y: float) -> bytes:
    """The `Tm` operator `draw_text` writes for a text box at `x` with its baseline at `y`
    (`Matrix(d=-1, e=x, f=y)`, written by pydyf; spelt out: a daftar isi has 70,000 dots)."""
    from pydyf import _to_bytes

    return b"1 0 0 -1 " + _to_bytes(x) + b" " + _to_bytes(y) + b" Tm"


_DOTS: list[type] = []


def _dots_class() -> type:
    """`LeaderDots`, a WeasyPrint `TextBox` (defined on first use: WeasyPrint loads lazily)."""
    if not _DOTS:
        from weasyprint.formatting_structure.boxes import TextBox

        class LeaderDots(TextBox):  # type: ignore[misc]
            """One leader's dots: a text box spanning them, and each dot's place in it."""

            def __init__(self, dot: Any, offsets: list[float]) -> None:  # noqa: ANN401
                self.__dict__.update(dot.__dict__)
                self.offsets = offsets
                self._dot = dot

            def dot(self, x: float) -> Any:  # noqa: ANN401
                """The original one-dot box, at `x` and this box's current height."""
                dot = self._dot.copy()
                dot.position_x, dot.position_y = x, self.position_y
                return dot

        _DOTS.append(LeaderDots)
    return _DOTS[0]
