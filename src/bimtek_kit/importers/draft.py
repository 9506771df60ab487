"""What every importer produces, and the Markdown it is written as.

Text from Word or PowerPoint is data, not Markdown: every character Markdown (or a `:::`
directive, or a `{…}` attribute) would read as syntax is escaped, so an asterisk typed in Word
stays an asterisk and a line starting "1." stays a sentence.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from bimtek_kit.errors import Loc
from bimtek_kit.model import Span

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|{}~&])")
_LINE_START = re.compile(r"^(\s*)(#|>|:{3,}|[-+=])")
_ORDERED_START = re.compile(r"^(\s*\d+)(?=[.)](\s|$))")


def escape_text(text: str) -> str:
    """Escape `text` so Markdown shows it literally, wherever it ends up on a line."""
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    text = _ORDERED_START.sub(r"\1\\", text)  # "1." -> "1\." (a digit cannot be escaped)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def spans_markdown(spans: list[Span] | tuple[Span, ...]) -> str:
    """Runs with bold/italic/code/links -> inline Markdown (adjacent equal runs merged)."""
    parts: list[str] = []
    for span in _merge(spans):
        text = span.text.replace("\n", " ")
        if not text.strip():
            parts.append(text)
            continue
        lead, core, tail = _split_space(text)
        if span.code:
            core = f"`{core.replace('`', '')}`"
        else:
            core = escape_text(core)
            if span.bold and span.italic:
                core = f"***{core}***"
            elif span.bold:
                core = f"**{core}**"
            elif span.italic:
                core = f"*{core}*"
        if span.href and span.href.startswith(("http://", "https://", "mailto:")):
            core = f"[{core}]({span.href})"
        parts.append(lead + core + tail)
    return "".join(parts).strip()


def _split_space(text: str) -> tuple[str, str, str]:
    core = text.strip()
    start = text.index(core)
    return text[:start], core, text[start + len(core):]


def _merge(spans: list[Span] | tuple[Span, ...]) -> list[Span]:
    merged: list[Span] = []
    for span in spans:
        if merged and _style(merged[-1]) == _style(span):
            last = merged.pop()
            merged.append(Span(last.text + span.text, last.bold, last.italic, last.code,
                               last.strike, last.href))
        else:
            merged.append(span)
    return merged


def _style(span: Span) -> tuple[object, ...]:
    return (span.bold, span.italic, span.code, span.strike, span.href)


PLACEHOLDER_OBJECTIVE = "menjelaskan pokok-pokok materi modul ini"
"""Written when the source names no objectives (every module needs one); the import warns."""


@dataclass(frozen=True)
class ListLine:
    level: int
    text: str
    """Inline Markdown."""
    ordered: bool = False
    continuation: bool = False
    """A further paragraph of the item above, not an item of its own."""


@dataclass
class Draft:
    """A module being imported: front matter, Markdown body, images and what did not map."""

    source: str
    """The imported file, as the user named it (for warnings)."""
    title: str = ""
    duration_jp: int = 2
    objectives: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    description: str = ""
    media: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)
    """File name (under content/modules/images/) -> bytes."""
    warnings: list[tuple[Loc, str]] = field(default_factory=list)
    sections: int = 0
    _open_code: bool = field(default=False, repr=False)

    # --- writing Markdown -------------------------------------------------------------

    def block(self, text: str) -> None:
        """Add a block (paragraph, list, table, …) separated by a blank line."""
        self._open_code = False
        if self.lines and self.lines[-1] != "":
            self.lines.append("")
        self.lines.extend(text.split("\n"))

    def section(self, title: str) -> None:
        self.sections += 1
        self.block(f"## {escape_text(title)}")

    def heading(self, level: int, title: str) -> None:
        self.block(f"{'#' * level} {escape_text(title)}")

    def paragraph(self, spans: list[Span] | tuple[Span, ...]) -> None:
        text = spans_markdown(spans)
        if text:
            self.block(text)

    def bullet_list(self, items: list[ListLine], start: int = 1) -> None:
        """One list; nested levels may be ordered or not, continuations are indented."""
        lines: list[str] = []
        counters = [0] * 10
        for item in items:
            indent = "   " * item.level
            if item.continuation:
                lines += ["", indent + "   " + item.text]
                continue
            counters[item.level] += 1
            counters[item.level + 1:] = [0] * (len(counters) - item.level - 1)
            number = counters[item.level] + (start - 1 if item.level == 0 else 0)
            marker = f"{number}." if item.ordered else "-"
            lines.append(f"{indent}{marker} {item.text}")
        if lines:
            self.block("\n".join(lines))

    def table(self, rows: list[list[str]]) -> None:
        """First row is the header; cells are inline Markdown (pipes already escaped)."""
        if not rows:
            return
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        lines = ["| " + " | ".join(cell or " " for cell in rows[0]) + " |",
                 "|" + "---|" * width]
        lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows[1:]]
        self.block("\n".join(lines))

    def image(self, name: str, data: bytes, alt: str) -> None:
        self.images[name] = data
        self.block(f"![{escape_text(alt)}](images/{name})")

    def code_line(self, line: str) -> None:
        """One more line of code: continues the code block just written, else starts one."""
        if len(self.lines) >= 2 and self.lines[-1] == "```" and self._open_code:
            self.lines.insert(len(self.lines) - 1, line)
        else:
            self.code(line)
            self._open_code = True

    def code(self, text: str, language: str = "") -> None:
        fence = "````" if "```" in text else "```"
        self.block(f"{fence}{language}\n{text.rstrip()}\n{fence}")

    def ensure_section(self) -> None:
        """Text belongs in a `##` section (its slides, its sub-chapters): text before the first
        one, or a whole text without one, goes into a section named after the module."""
        first = next((i for i, line in enumerate(self.lines) if line.startswith("## ")),
                     len(self.lines))
        if any(line.strip() for line in self.lines[:first]) or first == len(self.lines):
            self.lines[:0] = [f"## {escape_text(self.title)}", ""]

    def warn(self, line: int | None, message: str) -> None:
        """A located warning: `line` is the paragraph (Word), slide (PowerPoint) or line."""
        self.warnings.append((Loc(self.source, line), message))

    def child(self) -> Draft:
        """A draft for a box's content, sharing images and warnings with this one."""
        return Draft(self.source, images=self.images, warnings=self.warnings)

    def directive(self, name: str, body: list[str], title: str = "",
                  options: str = "") -> None:
        """`::: name title {options}` … `:::` around already-written Markdown lines; the fence
        is one colon longer than any fence inside."""
        inner = max((len(line) - len(line.lstrip(":")) for line in body
                     if line.startswith(":::")), default=2)
        fence = ":" * max(3, inner + 1)
        head = f"{fence} {name}" + (f" {escape_text(title)}" if title else "")
        head += f" {{{options}}}" if options else ""
        self.block("\n".join([head, *body, fence]))

    # --- the module file --------------------------------------------------------------

    def front_matter(self, module_id: str, code: str) -> str:
        objectives = self.objectives or [PLACEHOLDER_OBJECTIVE]
        lines = ["---", f"id: {module_id}", f"title: {json.dumps(self.title, ensure_ascii=False)}",
                 f"code: {code}", f"duration_jp: {max(1, self.duration_jp)}", "objectives:"]
        lines += [f"  - {json.dumps(o, ensure_ascii=False)}" for o in objectives]
        if self.methods:
            lines.append(f"methods: {json.dumps(self.methods, ensure_ascii=False)}")
        if self.media:
            lines.append(f"media: {json.dumps(self.media, ensure_ascii=False)}")
        if self.description:
            lines.append(f"description: {json.dumps(self.description, ensure_ascii=False)}")
        lines.append("---")
        return "\n".join(lines) + "\n"

    def markdown(self, module_id: str, code: str) -> str:
        body = re.sub(r"\n{3,}", "\n\n", "\n".join(self.lines).strip())
        return self.front_matter(module_id, code) + "\n" + body + "\n"
