"""Carpentries (kramdown) lesson episodes -> a module draft.

Front matter: `teaching` + `exercises` minutes -> `duration_jp`, `objectives`, `questions` ->
the description, `keypoints` -> a closing `rangkuman`. Body: blockquotes closed by a kramdown
class line become directives — `{: .challenge}` -> `latihan` (its `## ` line the title, its
nested `{: .solution}` -> `kunci`), `{: .callout}` -> `info`, `.discussion` -> `diskusi`,
`.checklist` -> `tips`, `.prereq`/`.testimonial`/`.keypoints` -> `info`; `~~~` fences with
`{: .language-x}` -> fenced code in x, `{: .output}`/`{: .error}` -> an output block. Liquid
tags (`{% include … %}`) are dropped with a warning.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import yaml

from bimtek_kit.importers.draft import Draft

_CLASS = re.compile(r"^\{:\s*\.([\w-]+)\s*\}\s*$")
_FENCE = re.compile(r"^(~~~+|```+)\s*(\S*)\s*$")
_LIQUID = re.compile(r"^\s*\{%.*%\}\s*$")
BOXES = {"challenge": "latihan", "callout": "info", "discussion": "diskusi",
         "checklist": "tips", "prereq": "info", "testimonial": "info", "keypoints": "info"}
OUTPUTS = {"output": "output", "error": "error"}


def import_carpentries(path: Path, jp_minutes: int = 45) -> Draft:
    text = path.read_text(encoding="utf-8-sig")
    draft = Draft(path.name)
    meta, body, body_line = _front_matter(text)
    draft.title = str(meta.get("title") or path.stem)
    minutes = _number(meta.get("teaching")) + _number(meta.get("exercises"))
    draft.duration_jp = max(1, math.ceil(minutes / jp_minutes)) if minutes else (
        _number(meta.get("duration_jp")) or 1)  # a bimtek module's own front matter
    draft.objectives = [str(o) for o in meta.get("objectives") or []]
    draft.description = " ".join(str(q) for q in meta.get("questions") or [])
    draft.block("\n".join(_convert(body.split("\n"), draft, body_line)).strip())
    draft.ensure_section()
    keypoints = [str(k) for k in meta.get("keypoints") or []]
    if keypoints:
        draft.directive("rangkuman", [f"- {point}" for point in keypoints])
    return draft


def _front_matter(text: str) -> tuple[dict, str, int]:
    if not text.startswith("---"):
        return {}, text, 1
    end = text.find("\n---", 3)
    if end < 0:
        return {}, text, 1
    meta = yaml.safe_load(text[3:end]) or {}
    rest = text[end + 4:]
    line = text[: end + 4].count("\n") + 2
    return (meta if isinstance(meta, dict) else {}), rest.lstrip("\n"), line


def _number(value: object) -> int:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0


def _convert(lines: list[str], draft: Draft, first_line: int) -> list[str]:
    """Markdown lines of one level (the episode, or a box's inside) -> bimtek Markdown."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if _LIQUID.match(line):
            draft.warn(first_line + index, f"liquid tag left out: {line.strip()}")
            index += 1
        elif line.startswith(">"):
            index = _blockquote(lines, index, out, draft, first_line)
        elif (fence := _FENCE.match(line)) is not None:
            index = _code(lines, index, fence, out)
        elif (match := _CLASS.match(line)) is not None:
            draft.warn(first_line + index, f"kramdown class '.{match.group(1)}' has no "
                       "equivalent and was left out")
            index += 1
        else:
            out.append(line)
            index += 1
    return out


def _code(lines: list[str], index: int, fence: re.Match[str], out: list[str]) -> int:
    marker = fence.group(1)
    end = index + 1
    while end < len(lines) and not lines[end].startswith(marker):
        end += 1
    body = lines[index + 1:end]
    language = fence.group(2)
    after = end + 1
    while after < len(lines) and not lines[after].strip():
        after += 1
    match = _CLASS.match(lines[after]) if after < len(lines) else None
    if match:
        name = match.group(1)
        language = OUTPUTS.get(name, name.removeprefix("language-"))
        if name == "source":
            language = ""
        end = after
    tick = "````" if any(line.startswith("```") for line in body) else "```"
    out += [f"{tick}{language}", *body, tick]
    return end + 1


def _blockquote(lines: list[str], index: int, out: list[str], draft: Draft,
                first_line: int) -> int:
    """A `>` block and the class line that closes it."""
    start = index
    while index < len(lines) and lines[index].startswith(">"):
        index += 1
    inner = [re.sub(r"^> ?", "", line) for line in lines[start:index]]
    match = _CLASS.match(lines[index]) if index < len(lines) else None
    if match is None:
        out += [f"> {line}" if line else ">" for line in
                _convert(inner, draft, first_line + start)]
        return index
    kind = match.group(1)
    title = ""
    if inner and inner[0].startswith("#"):
        title = inner[0].lstrip("#").strip()
        inner = inner[1:]
    if kind == "solution":
        out += _directive("kunci", _convert(inner, draft, first_line + start), "")
        return index + 1
    name = BOXES.get(kind)
    if name is None:
        draft.warn(first_line + start, f"box '.{kind}' has no equivalent: written as info")
        name = "info"
    body = _convert(inner, draft, first_line + start)
    if name == "latihan":
        body = _one_key(body)
    out += _directive(name, body, title)
    return index + 1


def _one_key(body: list[str]) -> list[str]:
    """A challenge may hold several solutions; an activity has one key: join them."""
    keys = [i for i, line in enumerate(body) if re.match(r"^:{3,} kunci$", line)]
    if len(keys) < 2:
        return body
    result, inside, key_lines = [], False, []
    for line in body:
        if re.match(r"^:{3,} kunci$", line):
            inside = True
            continue
        if inside and re.match(r"^:{3,}$", line):
            inside = False
            continue
        (key_lines if inside else result).append(line)
    return [*result, *_directive("kunci", key_lines, "")]


def _directive(name: str, body: list[str], title: str) -> list[str]:
    holder = Draft("")
    holder.directive(name, body, title)
    return ["", *holder.lines, ""]
