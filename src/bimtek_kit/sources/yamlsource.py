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


class _Constructor(yaml.constructor.SafeConstructor):
    """SafeConstructor that never builds arbitrary Python objects (DESIGN §7)."""


class _NoAliasLoader(yaml.SafeLoader):
    """A safe loader that refuses aliases (`*name`): a few lines of aliases can expand into
    billions of nodes (an "alias bomb") or a cycle; course files never need them."""

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, f"alias '*{event.anchor}' is not allowed: write the value out in full",
                event.start_mark,
            )
        return super().compose_node(parent, index)


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser (same nodes and line marks, about ten times faster) where it is installed."""


def _compose(text: str) -> yaml.Node | None:
    """Compose with libyaml when its event stream holds no alias; otherwise, and on any error,
    with the pure-Python loader that refuses aliases, so what a user is told is the same with
    or without libyaml."""
    try:
        if not any(isinstance(event, yaml.AliasEvent)
                   for event in yaml.parse(text, Loader=_FAST_LOADER)):
            return yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        pass
    return yaml.compose(text, Loader=_NoAliasLoader)


_HINTS = (
    ("cannot start any token", "'\\t'", "indent with spaces, not tabs"),
    ("mapping values are not allowed", "",
     "a value that contains ': ' must be put in quotes, e.g. title: \"Etika: Dasar\""),
    ("could not find expected ':'", "",
     "a line in a mapping needs 'key: value'; a long text continued on the next line must be "
     "indented further, or put in quotes"),
    ("did not find expected key", "",
     "check the indentation: keys of one mapping start in the same column"),
    ("did not find expected '-' indicator", "",
     "check the indentation: items of one list start with '-' in the same column"),
    ("found unexpected end of stream", "", "a quote is never closed"),
    ("found undefined alias", "", "aliases (*name) are not allowed"),
    ("found character '@'", "", "a value starting with '@' or '`' must be put in quotes"),
    ("found character '`'", "", "a value starting with '@' or '`' must be put in quotes"),
    ("expected ',' or ']'", "", "a list in [ ] is not closed, or an item holds ', ' or ': ' "
     "and needs quotes"),
    ("expected ',' or '}'", "", "a mapping in { } is not closed, or a value needs quotes"),
    ("found unknown escape character", "",
     "in \"double quotes\" a backslash starts an escape; use 'single quotes' instead"),
)


def yaml_hint(problem: str) -> str:
    """What to do about one of PyYAML's terse problems (tabs → spaces, colon → quotes …)."""
    for text, detail, hint in _HINTS:
        if text in problem and detail in problem:
            return f" ({hint})"
    return ""


def parse_yaml(
    text: str, loc: Loc, diagnostics: Diagnostics, line_offset: int = 0
) -> YamlDocument | None:
    """Parse one YAML document; on a syntax error report it at its line and return None.

    `line_offset` is added to every line: front matter starts below the opening `---`.
    Duplicate keys and list items indented so far that they merge with the item above are
    reported as errors too (PyYAML silently keeps the last key / joins the lines).
    """
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else (line_offset + 1)
        problem = exc.problem or exc.context or "invalid YAML"
        diagnostics.error(loc.at(line), f"YAML syntax error: {problem}{yaml_hint(problem)}")
        return None
    except yaml.YAMLError as exc:
        diagnostics.error(loc.at(line_offset + 1), f"YAML error: {exc}")
        return None
    lines = LineMap(first_line=line_offset + 1)
    if node is None:
        return YamlDocument(None, lines)
    # Duplicate keys and merged items are reported but the document is still returned, so the
    # rest of the file is validated in the same run.
    _record_lines(node, (), lines, _Walk(loc, diagnostics, line_offset, text.split("\n")))
    try:
        data = _Constructor().construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 + line_offset if mark else line_offset + 1
        diagnostics.error(loc.at(line), f"YAML error: {getattr(exc, 'problem', exc)}")
        return None
    return YamlDocument(data, lines)


@dataclass
class _Walk:
    """What `_record_lines` needs besides the node: where to report and the source lines."""

    loc: Loc
    diagnostics: Diagnostics
    offset: int
    source: list[str]

    def line(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.offset


def _record_lines(node: yaml.Node, path: PathKey, lines: LineMap, walk: _Walk) -> None:
    lines.lines.setdefault(path, walk.line(node))
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            line = walk.line(key_node)
            if key in seen:
                walk.diagnostics.error(
                    walk.loc.at(line),
                    f"duplicate key '{key}' (already set at line {seen[key]}); "
                    "the second one would silently replace the first: keep one",
                )
            seen.setdefault(key, line)
            lines.lines[(*path, key)] = line
            _record_lines(value_node, (*path, key), lines, walk)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*path, index), lines, walk)
    elif isinstance(node, yaml.ScalarNode) and not node.style:  # plain: None, or "" (libyaml)
        _check_merged_item(node, walk)


def _check_merged_item(node: yaml.ScalarNode, walk: _Walk) -> None:
    """A plain value continued on a line starting with `- ` is almost always a list item
    indented too far: YAML joins it to the value above ("A - B") instead of a new item."""
    for index in range(node.start_mark.line + 1, min(node.end_mark.line + 1, len(walk.source))):
        text = walk.source[index].lstrip()
        if text.startswith("- ") and index < node.end_mark.line + (node.end_mark.column > 0):
            walk.diagnostics.error(
                walk.loc.at(index + 1 + walk.offset),
                f"'{_short(text)}' is indented too far: YAML joins it to the item above "
                f"(line {walk.line(node)}) instead of starting a new one; put its '-' in the "
                "same column as the other items' '-'",
            )
            return


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."
