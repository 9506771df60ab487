"""A markdown-it block rule for fenced directives (`::: name Title {key=value}`).

mdit-py-plugins' `container_plugin` registers one fixed name per call and silently auto-closes an
unclosed container. bimtek needs every name (unknown ones become warnings, not plain text) and
must report an unclosed fence, so this rule follows the same algorithm and records both facts in
`token.meta`.
"""

from __future__ import annotations

import re
import shlex

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

_OPENER = re.compile(r"^(?P<fence>:{3,})[ \t]*(?P<name>[^\s{:][^\s{]*)?(?P<rest>.*)$")
_OPTIONS = re.compile(r"\{(?P<body>[^{}]*)\}\s*$")


def directive_plugin(md: MarkdownIt) -> None:
    """Register the `directive` block rule on `md`."""
    md.block.ruler.before(
        "fence",
        "directive",
        _directive_rule,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )


def parse_params(rest: str) -> tuple[str, dict[str, str], str | None]:
    """Split `Title {a=1 b="x y"}` into the title, the options and an error text, if any."""
    match = _OPTIONS.search(rest)
    if not match:
        return rest.strip(), {}, None
    title = rest[: match.start()].strip()
    options: dict[str, str] = {}
    try:
        parts = shlex.split(match.group("body"))
    except ValueError:
        return title, {}, f"cannot read options {{{match.group('body')}}}"
    for part in parts:
        key, sep, value = part.partition("=")
        if not sep or not key:
            return title, options, f"option '{part}' must be written key=value"
        options[key.strip()] = value.strip()
    return title, options, None


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _is_closing(text: str, fence_len: int) -> bool:
    stripped = text.rstrip()
    return len(stripped) >= fence_len and set(stripped) == {":"}


def _directive_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    match = _OPENER.match(_line(state, start_line))
    if not match or not match.group("name"):
        return False
    if silent:
        return True
    fence_len = len(match.group("fence"))
    next_line, closed = start_line, False
    while True:
        next_line += 1
        if next_line >= end_line:
            break
        text = _line(state, next_line)
        if text and state.sCount[next_line] < state.blkIndent:
            break
        if state.sCount[next_line] - state.blkIndent < 4 and _is_closing(text, fence_len):
            closed = True
            break
    title, options, option_error = parse_params(match.group("rest"))
    meta = {
        "name": match.group("name"),
        "title": title,
        "options": options,
        "option_error": option_error,
        "closed": closed,
        "fence": match.group("fence"),
    }
    old_parent, old_line_max = state.parentType, state.lineMax
    state.parentType = "directive"
    state.lineMax = next_line
    token = state.push("directive_open", "div", 1)
    token.markup, token.block, token.meta = match.group("fence"), True, meta
    token.map = [start_line, next_line]
    state.md.block.tokenize(state, start_line + 1, next_line)
    token = state.push("directive_close", "div", -1)
    token.block, token.meta = True, meta
    state.parentType, state.lineMax = old_parent, old_line_max
    state.line = next_line + (1 if closed else 0)
    return True
