"""State shared while one module body is turned into blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markdown_it.tree import SyntaxTreeNode

from bimtek_kit.builder.inline import InlineResult, convert_inline
from bimtek_kit.errors import Diagnostics, Loc


@dataclass
class BlockContext:
    """Where the body sits in its file, what it may load, and where problems go."""

    loc: Loc
    """The module file; `loc_of` adds the line."""
    body_line: int
    """File line of the first body line (token maps are 0-based within the body)."""
    base_dir: Path
    roots: tuple[Path, ...]
    diagnostics: Diagnostics
    allow_html: bool = False
    activity_count: int = 0
    enclosing: list[str] = field(default_factory=list)
    """Names of the directives we are inside, innermost last."""

    def inline(self, node: SyntaxTreeNode) -> InlineResult:
        """Convert the inline content of a paragraph, heading or cell; report unsafe links."""
        tokens: list = []
        for child in node.children:
            if child.type == "inline" and child.token is not None:
                tokens = child.token.children or []
                break
        result = convert_inline(tokens)
        for href in result.dropped_links:
            shown = href if len(href) <= 60 else href[:57] + "..."
            self.diagnostics.warning(
                self.loc_of(node),
                f"link '{shown}' removed: only http(s), mailto and tel links "
                "are kept (the text stays)",
            )
        return result

    def loc_of(self, node: SyntaxTreeNode) -> Loc:
        """Return the file location of a tree node (its first line)."""
        node_map = node.map or (node.children[0].map if node.children else None)
        if node_map is None:
            return self.loc.at(self.body_line)
        return self.loc.at(self.body_line + node_map[0])
