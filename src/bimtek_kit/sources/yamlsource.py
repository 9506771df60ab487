"""Safe YAML loading that remembers the line of every key and item.

Pydantic reports errors by key path (`schedule.breaks.0.at`); `LineMap` turns such a path back
into the source line so every message can say `path:line`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from bimtek_kit.errors import Diagnostics, Loc

PathKey = tuple[str | int, ...]


@dataclass
class LineMap:
    """Maps key paths in a YAML document to 1-based lines in the file."""

    lines: dict[PathKey, int] = field(default_factory=dict)
    first_line: int = 1

    def item(self, index: int) -> LineMap:
        """The line map of one item of a top-level list, so its errors name its own keys."""
        return LineMap(
            {path[1:]: line for path, line in self.lines.items() if path[:1] == (index,)},
            self.line_of((index,)),
        )

    def line_of(self, path: PathKey) -> int:
        """Return the line of `path`, or of its nearest ancestor that has one."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return self.first_line


@dataclass
class YamlDocument:
    data: Any
    lines: LineMap


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser (same nodes and line marks, about ten times faster) where it is installed."""


def _compose(text: str) -> yaml.Node | None:
    """Compose with the fast parser; on an error parse again in pure Python, so the message a
    user sees is the same with or without libyaml."""
    try:
        return yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader)


class _Constructor(yaml.constructor.SafeConstructor):
    """SafeConstructor that never builds arbitrary Python objects (DESIGN §7)."""


def parse_yaml(
    text: str, loc: Loc, diagnostics: Diagnostics, line_offset: int = 0
) -> YamlDocument | None:
    """Parse one YAML document; on a syntax error report it at its line and return None.

    `line_offset` is added to every line: front matter starts below the opening `---`.
    """
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else (line_offset + 1)
        problem = exc.problem or exc.context or "invalid YAML"
        diagnostics.error(loc.at(line), f"YAML syntax error: {problem}")
        return None
    except yaml.YAMLError as exc:
        diagnostics.error(loc.at(line_offset + 1), f"YAML error: {exc}")
        return None
    lines = LineMap(first_line=line_offset + 1)
    if node is None:
        return YamlDocument(None, lines)
    _record_lines(node, (), lines, line_offset)
    try:
        data = _Constructor().construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 + line_offset if mark else line_offset + 1
        diagnostics.error(loc.at(line), f"YAML error: {getattr(exc, 'problem', exc)}")
        return None
    return YamlDocument(data, lines)


def _record_lines(node: yaml.Node, path: PathKey, lines: LineMap, offset: int) -> None:
    lines.lines.setdefault(path, node.start_mark.line + 1 + offset)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            lines.lines[(*path, key)] = key_node.start_mark.line + 1 + offset
            _record_lines(value_node, (*path, key), lines, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*path, index), lines, offset)
