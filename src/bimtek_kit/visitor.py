"""One way to walk the model's blocks (DESIGN §6).

Every renderer that turns blocks into something (HTML, slide specs, DOCX, time plans) subclasses
`BlockVisitor` and writes one `visit_<kind>` method per block kind. The dispatch table is built
from `BLOCK_KINDS`, the single list of block classes, so a block kind added to the model and not
handled by a visitor fails loudly — at class creation (`check_complete`) and when visited — instead
of being silently dropped from one output.

    class Words(BlockVisitor[int]):
        def visit_paragraph(self, block): return len(plain(block.spans).split())
        ...

    Words().visit(block)

Two reusable walks live here too: `children(block)` (what `model.walk` descends into) and
`Lift`, which collects blocks of some kinds from inside containers (a subclass assigns `take`
to the `visit_<kind>` it keeps). A new block kind is added by giving every concrete visitor,
and these two, a `visit_<kind>`; `tests/test_visitor.py` lists any that lack it.
"""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from bimtek_kit import model
from bimtek_kit.model import Block

T = TypeVar("T")

BLOCK_KINDS: list[type] = list(typing.get_args(model.Block))
"""Every block class of the model, in declaration order. Tests may append a dummy kind."""


class UnhandledBlockError(TypeError):
    """A visitor met a block kind it has no method for: a bug, never user input."""


@functools.cache
def method_name(kind: type) -> str:
    """`ListBlock` -> `visit_list_block`, `AudienceOnly` -> `visit_audience_only`."""
    return "visit_" + re.sub(r"(?<!^)(?=[A-Z])", "_", kind.__name__).lower()


def missing_methods(cls: type) -> list[str]:
    """The `visit_<kind>` methods `cls` lacks for the current `BLOCK_KINDS`."""
    names = [method_name(kind) for kind in BLOCK_KINDS]
    return [name for name in names if not callable(getattr(cls, name, None))]


def check_complete(cls: type) -> None:
    """Raise when `cls` does not handle every block kind of the model."""
    missing = missing_methods(cls)
    if missing:
        raise UnhandledBlockError(f"{cls.__qualname__} does not handle: {', '.join(missing)}")


class BlockVisitor(Generic[T]):
    """Dispatch a block to `visit_<kind>`; subclasses must handle every kind.

    A subclass that is meant to be extended further sets `abstract = True` in its body to skip
    the completeness check for itself (its concrete subclasses are still checked).
    """

    abstract = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.__dict__.get("abstract", False):
            check_complete(cls)

    def visit(self, block: object, *args: Any) -> T:
        """`visit_<kind>(block, *args)`; extra arguments carry walk state (e.g. list depth)."""
        method = getattr(self, method_name(type(block)), None)
        if method is None or type(block) not in BLOCK_KINDS:
            raise UnhandledBlockError(
                f"{type(self).__qualname__} does not handle block kind {type(block).__name__}"
            )
        return method(block, *args)  # type: ignore[no-any-return]

    def visit_all(self, blocks: Iterable[object], *args: Any) -> list[T]:
        return [self.visit(block, *args) for block in blocks]


def all_visitors() -> list[type]:
    """Every concrete visitor class defined so far (import the renderers first)."""
    found: list[type] = []
    stack: list[type] = [BlockVisitor]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            if not sub.__dict__.get("abstract", False):
                found.append(sub)
    return found


class Children(BlockVisitor[tuple[Block, ...]]):
    """The blocks directly inside a block, in reading order (an activity's key last)."""

    def visit_paragraph(self, block: model.Paragraph) -> tuple[Block, ...]:
        return ()

    visit_heading = visit_table = visit_image = visit_code_block = visit_raw_html = visit_paragraph

    def visit_list_block(self, block: model.ListBlock) -> tuple[Block, ...]:
        return tuple(child for item in block.items for child in item.blocks)

    def visit_quote(self, block: model.Quote) -> tuple[Block, ...]:
        return block.blocks

    visit_callout = visit_notes = visit_summary = visit_audience_only = visit_quote

    def visit_activity(self, block: model.Activity) -> tuple[Block, ...]:
        parts = (*block.questions, *block.roles)
        return (*block.blocks, *(child for part in parts for child in part.blocks), *block.key)


children = Children().visit
"""`children(block)`: the blocks directly inside `block` (what `model.walk` descends into)."""


class Lift(BlockVisitor[list[Block]]):
    """Collect blocks of some kinds, looking inside containers and list items.

    Leaf kinds and activities give nothing; a subclass returns `[block]` for the kinds it
    wants (e.g. the facilitator's `catatan`, activities and summaries).
    """

    abstract = True

    def lift(self, blocks: Iterable[Block]) -> list[Block]:
        return [found for block in blocks for found in self.visit(block)]

    def visit_paragraph(self, block: Block) -> list[Block]:
        return []

    visit_heading = visit_table = visit_image = visit_code_block = visit_raw_html = visit_paragraph
    visit_activity = visit_paragraph

    def visit_list_block(self, block: model.ListBlock) -> list[Block]:
        return self.lift(child for item in block.items for child in item.blocks)

    def visit_quote(self, block: model.Quote) -> list[Block]:
        return self.lift(block.blocks)

    visit_callout = visit_notes = visit_summary = visit_audience_only = visit_quote


def take(self: Lift, block: Block) -> list[Block]:
    """A `Lift` method that keeps the block itself (assign it to `visit_<kind>`)."""
    return [block]
