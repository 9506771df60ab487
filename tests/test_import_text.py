"""Text from Word and PowerPoint is data: whatever it holds, it reads back as written."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.tree import SyntaxTreeNode

from bimtek_kit.builder.blocks import convert_blocks
from bimtek_kit.builder.context import BlockContext
from bimtek_kit.errors import Diagnostics, Loc
from bimtek_kit.importers.draft import spans_markdown
from bimtek_kit.model import Paragraph, Span, plain
from bimtek_kit.sources.markdown import tokenize

SYNTAX = list("\\`*_[]<>|{}~#:-+=!()\"'&") + ["1.", "1)", ":::", "```", "  ", "http://x.id",
                                                  "&copy;", "---", "***", "===", "<b>", "\\"]


def _read_back(markdown: str) -> tuple[list[object], Diagnostics]:
    diagnostics = Diagnostics()
    ctx = BlockContext(Loc("m.md"), 1, Path("."), (Path("."),), diagnostics)
    return list(convert_blocks(SyntaxTreeNode(tokenize(markdown, False)).children, ctx)), \
        diagnostics


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(SYNTAX), st.text("abc xyz", min_size=1)),
                min_size=1, max_size=12),
       st.booleans(), st.booleans())
def test_any_text_reads_back_as_written(pieces: list[str], bold: bool, italic: bool):
    text = " ".join("".join(pieces).split())
    if not text.strip(":"):
        return  # a paragraph of colons alone is refused as a stray directive fence, by design
    blocks, diagnostics = _read_back(spans_markdown([Span(text, bold=bold, italic=italic)]))
    assert not diagnostics.items
    assert len(blocks) == 1 and isinstance(blocks[0], Paragraph)
    assert plain(blocks[0].spans) == text
