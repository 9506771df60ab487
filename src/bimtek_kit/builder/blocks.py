"""Markdown block tree -> model blocks (paragraphs, lists, tables, images, quotes, directives)."""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it.tree import SyntaxTreeNode

from bimtek_kit.builder.context import BlockContext
from bimtek_kit.builder.hints import KRAMDOWN_ATTRIBUTES
from bimtek_kit.model import (
    Block,
    CodeBlock,
    Heading,
    Image,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    RawHtml,
    Span,
    Table,
)
from bimtek_kit.resources import (
    ResourceError,
    check_image,
    is_inside,
    raw_html_problems,
    resolve_resource,
)

_STRAY_FENCE = re.compile(r"^:{3,}$")


def convert_blocks(nodes: list[SyntaxTreeNode], ctx: BlockContext) -> tuple[Block, ...]:
    """Convert sibling tree nodes into blocks, reporting problems into `ctx.diagnostics`."""
    blocks: list[Block] = []
    for node in nodes:
        blocks.extend(convert_block(node, ctx))
    return tuple(blocks)


def convert_block(node: SyntaxTreeNode, ctx: BlockContext) -> list[Block]:
    kind = node.type
    if kind == "paragraph":
        return _paragraph(node, ctx)
    if kind == "heading":
        spans = ctx.inline(node).spans
        return [Heading(int(node.tag[1]), spans, ctx.loc_of(node))]
    if kind in ("bullet_list", "ordered_list"):
        return [convert_list(node, ctx)]
    if kind == "table":
        return [_table(node, ctx)]
    if kind == "blockquote":
        return [Quote(convert_blocks(node.children, ctx), ctx.loc_of(node))]
    if kind in ("fence", "code_block"):
        return [CodeBlock(node.content.rstrip("\n"), node.info.strip(), ctx.loc_of(node))]
    if kind == "html_block":
        for problem in raw_html_problems(node.content, ctx.base_dir, ctx.roots):
            ctx.diagnostics.error(ctx.loc_of(node), problem)
        return [RawHtml(node.content, ctx.loc_of(node))]
    if kind == "directive":
        from bimtek_kit.builder.directives import convert_directive

        return convert_directive(node, ctx)
    return []  # thematic breaks and link definitions carry no content


def convert_list(node: SyntaxTreeNode, ctx: BlockContext) -> ListBlock:
    items = []
    for item in node.children:
        spans, rest = split_first_paragraph(item, ctx)
        items.append(ListItem(spans, rest, ctx.loc_of(item)))
    start = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else 1
    return ListBlock(tuple(items), node.type == "ordered_list", start, ctx.loc_of(node))


def split_first_paragraph(
    item: SyntaxTreeNode, ctx: BlockContext
) -> tuple[tuple[Span, ...], tuple[Block, ...]]:
    """Return a list item's first paragraph as spans and everything after it as blocks."""
    children = list(item.children)
    spans: tuple[Span, ...] = ()
    extra: list[Block] = []
    if children and children[0].type == "paragraph":
        result = ctx.inline(children[0])
        spans = result.spans
        extra.extend(_images(result.images, children[0], ctx))
        children = children[1:]
    return spans, tuple(extra) + convert_blocks(children, ctx)


def _paragraph(node: SyntaxTreeNode, ctx: BlockContext) -> list[Block]:
    result = ctx.inline(node)
    text = "".join(s.text for s in result.spans).strip()
    if _STRAY_FENCE.match(text) and not result.images:
        ctx.diagnostics.error(
            ctx.loc_of(node),
            f"'{text}' closes no open directive (a directive that contains another needs a longer "
            "outer fence, e.g. '::::' outside and ':::' inside)",
        )
        return []
    _kramdown_attributes(node, ctx)
    blocks: list[Block] = []
    if result.spans:
        blocks.append(Paragraph(result.spans, ctx.loc_of(node)))
    blocks.extend(_images(result.images, node, ctx))
    return blocks


def _kramdown_attributes(node: SyntaxTreeNode, ctx: BlockContext) -> None:
    """`{: .callout}` lines (kramdown, Jekyll, Carpentries) would be printed literally."""
    source = next((c.content for c in node.children if c.type == "inline"), "")
    for offset, line in enumerate(source.split("\n")):
        if KRAMDOWN_ATTRIBUTES.match(line):
            ctx.diagnostics.warning(
                ctx.loc_of(node).at((ctx.loc_of(node).line or 0) + offset),
                f"'{line.strip()}' is a kramdown attribute line and would be printed as text; "
                "use a directive instead (e.g. '::: penting' … ':::')",
            )


def _images(
    found: list[tuple[str, str, str]], node: SyntaxTreeNode, ctx: BlockContext
) -> list[Block]:
    images: list[Block] = []
    for src, alt, title in found:
        loc = ctx.loc_of(node)
        try:
            path = resolve_resource(src, ctx.base_dir, ctx.roots)
            check_image(path)
        except ResourceError as exc:
            ctx.diagnostics.error(loc, f"image {exc}{case_hint(src, ctx.base_dir, ctx.roots)}")
            path = None
        if not alt.strip():
            ctx.diagnostics.warning(
                loc, f"image '{src}' has no alt text (write ![description](...))"
            )
        images.append(Image(src, path, alt, title, loc))
    return images


def case_hint(reference: str, base_dir: Path, roots: tuple[Path, ...]) -> str:
    """`; did you mean 'images/alur-lapor.png'? …` when only the letter case differs: the
    author's Windows or macOS disk finds the file, the Linux build machine does not."""
    folder = base_dir
    fixed: list[str] = []
    for part in Path(reference.strip()).parts:
        if part in (".", ".."):
            folder = folder / part
            fixed.append(part)
            continue
        try:
            names = [p.name for p in folder.iterdir()]
        except OSError:
            return ""
        match = part if part in names else next(
            (n for n in names if n.casefold() == part.casefold()), None
        )
        if match is None:
            return ""
        folder = folder / match
        fixed.append(match)
    suggestion = "/".join(fixed)
    if suggestion == reference.strip() or not is_inside(folder, roots) or not folder.is_file():
        return ""
    return f"; did you mean `{suggestion}`? (names are case-sensitive)"


def _table(node: SyntaxTreeNode, ctx: BlockContext) -> Table:
    header: tuple = ()
    rows: list[tuple] = []
    aligns: tuple[str | None, ...] = ()
    for part in node.children:
        for row in part.children:
            cells = tuple(ctx.inline(cell).spans for cell in row.children)
            if part.type == "thead":
                header = cells
                aligns = tuple(_align(cell) for cell in row.children)
            else:
                rows.append(cells)
    width = len(header)
    rows = [tuple(row[:width]) + ((),) * (width - len(row)) for row in rows]
    return Table(header, tuple(rows), aligns, ctx.loc_of(node))


def _align(cell: SyntaxTreeNode) -> str | None:
    style = str(cell.attrs.get("style", ""))
    match = re.search(r"text-align:(\w+)", style)
    return match.group(1) if match else None
