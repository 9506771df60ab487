"""Markdown front matter splitting and tokenising (parsed once per module, DESIGN §6)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bimtek_kit.sources.directives import directive_plugin


@dataclass
class SplitSource:
    """A module file cut into its front matter and its Markdown body."""

    front_matter: str | None
    """The YAML text between the `---` lines; None when the file has none."""
    front_matter_line: int
    """Line of the first YAML line (2 when the file starts with `---`)."""
    body: str
    body_line: int
    """1-based line in the file where `body` starts."""
    unterminated: bool = False


def split_front_matter(text: str) -> SplitSource:
    """Cut `---`-delimited YAML off the top of a module; the body keeps its line offset."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return SplitSource(None, 1, text, 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return SplitSource(yaml_text, 2, body, index + 2)
    return SplitSource("\n".join(lines[1:]), 2, "", len(lines) + 1, unterminated=True)


@cache
def _parser(allow_html: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": allow_html, "typographer": False})
    md.enable(["table", "strikethrough"])
    # Let every link through the parser: the model builder keeps only safe schemes and warns
    # about the rest at their line, instead of markdown-it silently printing them as text.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.use(directive_plugin)
    return md


def tokenize(body: str, allow_html: bool = False) -> list[Token]:
    """Return the block token stream of a module body (line maps are 0-based in the body)."""
    return _parser(allow_html).parse(body)
