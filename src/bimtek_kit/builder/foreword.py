"""The foreword (`foreword:` in bimtek.yml) and the course logo, read once at load time.

Both used to be resolved only by the renderers, so `check` passed and `build` failed; now the
loader reports their problems at the `bimtek.yml` line like any other source (DESIGN §6).
"""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it.tree import SyntaxTreeNode

from bimtek_kit.builder.blocks import convert_blocks
from bimtek_kit.builder.context import BlockContext
from bimtek_kit.config import CourseConfig
from bimtek_kit.errors import Diagnostics, Loc
from bimtek_kit.model import Block
from bimtek_kit.resources import ResourceError, check_image, resolve_resource
from bimtek_kit.sources.markdown import tokenize


def foreword_blocks(
    config: CourseConfig, root: Path, loc: Loc, diagnostics: Diagnostics
) -> tuple[Block, ...]:
    """The kata pengantar parsed like a module body (never as a template); `loc` is the line
    where its text starts in bimtek.yml."""
    text = config.foreword
    if not text.strip():
        return ()
    ctx = BlockContext(loc=Loc(loc.path), body_line=loc.line or 1, base_dir=root, roots=(root,),
                       diagnostics=diagnostics, allow_html=config.allow_html)
    tree = SyntaxTreeNode(tokenize(text, config.allow_html))
    return convert_blocks(tree.children, ctx)


def course_logo(
    config: CourseConfig, root: Path, loc: Loc, diagnostics: Diagnostics
) -> Path | None:
    """Resolve `logo:` of bimtek.yml inside the project and check it is a usable image."""
    if not config.logo:
        return None
    try:
        path = resolve_resource(config.logo, root, (root,))
        check_image(path)
    except ResourceError as exc:
        diagnostics.error(loc, f"logo {exc}")
        return None
    return path


def value_line(config_file: Path, key: str) -> int:
    """1-based line where the value of top-level `key` starts (the line after `key: |`)."""
    try:
        lines = config_file.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    pattern = re.compile(rf"^{re.escape(key)}\s*:\s*(.*)$")
    for index, line in enumerate(lines):
        match = pattern.match(line)
        if match:
            block_scalar = match.group(1).strip()[:1] in ("|", ">", "")
            return index + 2 if block_scalar else index + 1
    return 1
