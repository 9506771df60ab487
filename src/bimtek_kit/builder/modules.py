"""One module file -> `Module`: front matter validated, body split into `##` sections."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it.tree import SyntaxTreeNode

from bimtek_kit.builder.blocks import convert_block
from bimtek_kit.builder.context import BlockContext
from bimtek_kit.builder.hints import objective_count
from bimtek_kit.config import FrontMatter, validate
from bimtek_kit.errors import Diagnostics, Loc
from bimtek_kit.model import Block, Module, Section, plain
from bimtek_kit.slugs import is_safe_id, slugify
from bimtek_kit.sources.directives import parse_params
from bimtek_kit.sources.markdown import SplitSource, split_front_matter, tokenize
from bimtek_kit.sources.yamlsource import LineMap, parse_yaml

_NUMBER_PREFIX = re.compile(r"^\d+[-_ ]*")


@dataclass
class ModuleSource:
    """A module file whose front matter is valid; the body is converted once the order is known."""

    path: Path
    loc: Loc
    front: FrontMatter
    lines: LineMap
    split: SplitSource
    id: str
    text: str
    """The whole file, for the model cache key."""

    @property
    def id_line(self) -> int:
        return self.lines.line_of(("id",)) if self.front.id else self.lines.first_line


def read_module_source(
    path: Path, text: str, loc: Loc, diagnostics: Diagnostics
) -> ModuleSource | None:
    """Validate the front matter of a module; return None (with diagnostics) when it is unusable."""
    split = split_front_matter(text)
    if split.front_matter is None:
        diagnostics.error(
            loc.at(1),
            "module has no front matter: start the file with '---', the YAML keys "
            "(title, duration_jp, objectives …), and another '---'",
        )
        return None
    if split.unterminated:
        diagnostics.error(
            loc.at(1), "front matter is never closed: add a line '---' after the YAML keys"
        )
        return None
    document = parse_yaml(
        split.front_matter, loc, diagnostics, line_offset=split.front_matter_line - 1
    )
    if document is None:
        return None
    if document.data is None:
        diagnostics.error(
            loc.at(1), "front matter is empty: it needs at least title, duration_jp and objectives"
        )
        return None
    front = validate(FrontMatter, document.data, loc, document.lines, diagnostics, "front matter")
    if front is None:
        return None
    objective_count(len(front.objectives), loc.at(document.lines.line_of(("objectives",))),
                    diagnostics)
    module_id = front.id or _NUMBER_PREFIX.sub("", path.stem)
    if not is_safe_id(module_id):
        suggestion = slugify(module_id) or "modul"
        diagnostics.error(
            loc.at(document.lines.line_of(("id",))),
            f"module id '{module_id}' is not a safe id: use lowercase letters, digits and '-' "
            f"(e.g. '{suggestion}')",
        )
        return None
    return ModuleSource(path, loc, front, document.lines, split, module_id, text)


def build_module(
    source: ModuleSource,
    number: int,
    roots: tuple[Path, ...],
    diagnostics: Diagnostics,
    allow_html: bool = False,
) -> Module:
    """Parse the body once and assemble the module with its position in the course."""
    intro, sections = _convert_body(source.path, source.loc, source.split, roots, diagnostics,
                                    allow_html)
    front = source.front
    return Module(
        id=source.id,
        number=number,
        file_stem=f"{number:02d}-{source.id}",
        title=front.title,
        code=front.code or f"M{number}",
        duration_jp=front.duration_jp,
        objectives=tuple(front.objectives),
        methods=tuple(front.methods),
        media=tuple(front.media),
        description=front.description,
        narasumber=front.narasumber,
        intro=tuple(intro),
        sections=tuple(
            Section(i, title, tuple(blocks), minutes, loc, f"{source.id}-{i}")
            for i, (title, minutes, loc, blocks) in enumerate(sections, start=1)
        ),
        loc=source.loc.at(1),
        path=source.path,
    )


Sections = list[tuple[str, int | None, Loc, list[Block]]]


def check_body(
    path: Path, text: str, loc: Loc, roots: tuple[Path, ...], diagnostics: Diagnostics,
    allow_html: bool = False,
) -> None:
    """Report the body's problems of a module whose front matter is unusable.

    A front-matter mistake must not hide the body's: the author sees all of them in one run.
    """
    split = split_front_matter(text)
    if split.unterminated or not split.body.strip():
        return
    _convert_body(path, loc, split, roots, diagnostics, allow_html)


def _convert_body(
    path: Path, loc: Loc, split: SplitSource, roots: tuple[Path, ...], diagnostics: Diagnostics,
    allow_html: bool,
) -> tuple[list[Block], Sections]:
    """Tokenize the body once and cut it into the intro and the `##` sections."""
    ctx = BlockContext(loc=loc, body_line=split.body_line, base_dir=path.parent, roots=roots,
                       diagnostics=diagnostics, allow_html=allow_html)
    tree = SyntaxTreeNode(tokenize(split.body, allow_html))
    intro: list[Block] = []
    sections: Sections = []
    for node in tree.children:
        if node.type == "heading" and node.tag in ("h1", "h2"):
            title, minutes = _section_heading(node, ctx)
            sections.append((title, minutes, ctx.loc_of(node), []))
            continue
        target = sections[-1][3] if sections else intro
        target.extend(convert_block(node, ctx))
    if sections and intro:
        diagnostics.warning(
            intro[0].loc,
            "text before the first '## ' section: it has no slide and no sub-chapter; "
            "put it under a '## ' heading",
        )
    if not sections:
        diagnostics.warning(
            loc.at(split.body_line),
            "module has no '## ' sections; its content has no slides or sub-chapters",
        )
    return intro, sections


def _section_heading(node: SyntaxTreeNode, ctx: BlockContext) -> tuple[str, int | None]:
    """Read `## Title {waktu=30}`: the title and the optional fixed minutes."""
    text = plain(ctx.inline(node).spans)
    title, options, error = parse_params(text)
    loc = ctx.loc_of(node)
    if error:
        ctx.diagnostics.error(loc, f"section heading: {error}")
    minutes: int | None = None
    for key, value in options.items():
        if key not in ("waktu", "minutes"):
            ctx.diagnostics.error(loc, f"unknown option '{key}' for a section (only 'waktu')")
        elif value.isdigit() and int(value) > 0:
            minutes = int(value)
        else:
            ctx.diagnostics.error(
                loc, f"option '{key}' must be a positive whole number, got '{value}'"
            )
    if not title:
        ctx.diagnostics.error(loc, "section heading has no title")
    return title or "(tanpa judul)", minutes
