"""A markdown-it block rule for fenced directives (`::: name Title {key=value}`).

mdit-py-plugins' `container_plugin` registers one fixed name per call and silently auto-closes an
unclosed container. bimtek needs every name (unknown ones become errors, not plain text) and
must report an unclosed fence, so this rule follows the same algorithm, tracks nested fences, and
records in `token.meta` whether the fence was closed and, if not, where its file or parent ended.
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


def _closing_length(text: str) -> int:
    """Length of a bare fence line (`:::`), 0 when the line is anything else."""
    stripped = text.rstrip()
    return len(stripped) if len(stripped) >= 3 and set(stripped) == {":"} else 0


def _find_close(
    state: StateBlock, start_line: int, end_line: int, fence_len: int
) -> tuple[int, bool]:
    """Return (the line that ends the directive opened at `start_line`, whether it is a fence).

    Nested openers are tracked (Pandoc's rule): a bare fence closes the innermost open directive
    with exactly its length, else the innermost one it is long enough for. So a forgotten `:::`
    is blamed on the directive really left open, not on the next one that happens to close.
    """
    open_fences = [fence_len]
    next_line = start_line
    while True:
        next_line += 1
        if next_line >= end_line:
            return next_line, False
        text = _line(state, next_line)
        if text and state.sCount[next_line] < state.blkIndent:
            return next_line, False
        if state.sCount[next_line] - state.blkIndent >= 4:
            continue
        length = _closing_length(text)
        if length:
            fitting = [i for i, n in enumerate(open_fences) if n == length] or [
                i for i, n in enumerate(open_fences) if n <= length
            ]
            if fitting:
                del open_fences[fitting[-1] :]
                if not open_fences:
                    return next_line, True
            continue
        opener = _OPENER.match(text)
        if opener and opener.group("name"):
            open_fences.append(len(opener.group("fence")))


def _directive_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    match = _OPENER.match(_line(state, start_line))
    if not match or not match.group("name"):
        return False
    if silent:
        return True
    fence_len = len(match.group("fence"))
    next_line, closed = _find_close(state, start_line, end_line, fence_len)
    title, options, option_error = parse_params(match.group("rest"))
    meta = {
        "name": match.group("name"),
        "title": title,
        "options": options,
        "option_error": option_error,
        "closed": closed,
        "fence": match.group("fence"),
        "last_line": next_line - 1,
        "at_end": next_line >= len(state.bMarks) - 1,
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
