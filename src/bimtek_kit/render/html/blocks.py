"""Model blocks -> escaped HTML, shared by every HTML/PDF output (handbook, worksheets, guide).

Content is data (DESIGN §7): every text goes through `escape`, nothing from a module is ever
treated as a template, and raw HTML survives only when the course sets `allow_html: true`.
Which blocks appear depends on the audience: participants never get `catatan` or `kunci`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from markupsafe import Markup, escape

from bimtek_kit.model import (
    Activity,
    AudienceOnly,
    Block,
    Callout,
    CodeBlock,
    Diagram,
    Heading,
    Image,
    Inline,
    ListBlock,
    Notes,
    Paragraph,
    Quote,
    RawHtml,
    Summary,
    Table,
)
from bimtek_kit.render.base import safe_link
from bimtek_kit.render.html.tables import (
    colgroup_html,
    column_widths,
    narrow_column_hyphens,
    stacked_html,
)
from bimtek_kit.render.html.typography import typographic
from bimtek_kit.themes import Labels
from bimtek_kit.visitor import BlockVisitor

Audience = Literal["handbook", "guide"]
OUTPUT_LANGUAGES = {"output", "text", "console", "keluaran"}


def inline_html(spans: Inline, hyphenate: Callable[[str], str] | None = None) -> Markup:
    """Render spans with <strong>, <em>, <code>, <s> and safe links.

    `hyphenate` may insert soft hyphens into running text (never into code)."""
    parts: list[str] = []
    for span in spans:
        raw = span.text if span.code else typographic(span.text)
        raw = hyphenate(raw) if hyphenate and not span.code else raw
        text = str(escape(raw)).replace("\n", "<br>")
        if span.code:
            text = f"<code>{text}</code>"
        if span.bold:
            text = f"<strong>{text}</strong>"
        if span.italic:
            text = f"<em>{text}</em>"
        if span.strike:
            text = f"<s>{text}</s>"
        if safe_link(span.href, anchors=True):
            # On paper a link is dead: its URL is printed after its text (`a.print-url` in the
            # print stylesheets) unless the text already is the URL.
            shown = span.text.strip().removeprefix("https://").removeprefix("http://")
            bare = span.href.removeprefix("https://").removeprefix("http://").rstrip("/")
            external = span.href.startswith(("http://", "https://"))
            mark = ' class="print-url"' if external and shown.rstrip("/") != bare else ""
            text = f'<a href="{escape(span.href)}"{mark}>{text}</a>'
        parts.append(text)
    return Markup("".join(parts))


@dataclass
class HtmlBlocks(BlockVisitor[Markup]):
    """Renders blocks for one audience; `image_url` maps an image to the URL this output uses."""

    audience: Audience
    labels: Labels
    image_url: Callable[[Image], str | None]
    allow_html: bool = False
    activity_prefix: str = ""
    """Prefix for activity numbers, e.g. the module code ("M1"): "Latihan M1.2"."""
    align_classes: bool = False
    """Table cell alignment as `class="align-right"` instead of an inline style (for pages
    whose Content-Security-Policy forbids inline styles, e.g. the handbook site)."""
    hyphenate: Callable[[str], str] | None = None
    """Inserts soft hyphens into running text (see `hyphenation.soft_hyphenator`)."""
    colors: dict[str, str] = field(default_factory=dict)
    """The theme's colours by name, for drawn diagrams (`bagan`)."""
    diagram_font: str = "Arial"
    worksheet_labels: Mapping[int, str] = field(default_factory=dict)
    """Activity number -> its worksheet's number ("LK-2a", `paper.lk`), shown with its label."""

    def render(self, blocks: tuple[Block, ...]) -> Markup:
        return Markup("\n").join(self.block(b) for b in blocks)

    def block(self, block: Block) -> Markup:
        return self.visit(block)

    def visit_paragraph(self, block: Paragraph) -> Markup:
        return Markup(f"<p>{inline_html(block.spans, self.hyphenate)}</p>")

    def visit_heading(self, block: Heading) -> Markup:
        level = min(block.level + 1, 6)
        return Markup(f'<h{level} class="subheading">{inline_html(block.spans)}</h{level}>')

    def visit_list_block(self, block: ListBlock) -> Markup:
        return self.list_html(block)

    def visit_table(self, block: Table) -> Markup:
        return self.table_html(block)

    def visit_image(self, block: Image) -> Markup:
        return self.image_html(block)

    def visit_quote(self, block: Quote) -> Markup:
        return Markup(f"<blockquote>{self.render(block.blocks)}</blockquote>")

    def visit_code_block(self, block: CodeBlock) -> Markup:
        """Code and program output look different on paper: ```output (or text, console)
        fences print as output, every other fence as code (print stylesheets)."""
        kind = "output" if block.language.lower() in OUTPUT_LANGUAGES else "code"
        label = self.labels.print.program_output if kind == "output" else block.language
        return Markup(f'<pre class="{kind}" data-label="{escape(label)}">'
                      f"<code>{escape(block.text)}</code></pre>")

    def visit_raw_html(self, block: RawHtml) -> Markup:
        return Markup(block.html) if self.allow_html else Markup(f"<p>{escape(block.html)}</p>")

    def visit_callout(self, block: Callout) -> Markup:
        return self.callout_html(block)

    def visit_notes(self, block: Notes) -> Markup:
        if self.audience != "guide":
            return Markup("")
        return Markup(
            f'<aside class="notes"><p class="box-label">{escape(self.labels.facilitator_notes)}'
            f"</p>{self.render(block.blocks)}</aside>"
        )

    def visit_summary(self, block: Summary) -> Markup:
        title = block.title or self.labels.summary
        return Markup(
            f'<section class="summary"><p class="box-label">{escape(title)}</p>'
            f"{self.render(block.blocks)}</section>"
        )

    def visit_audience_only(self, block: AudienceOnly) -> Markup:
        return self.render(block.blocks) if block.target == "handbook" else Markup("")

    def visit_activity(self, block: Activity) -> Markup:
        return self.activity_html(block)

    def visit_diagram(self, block: Diagram) -> Markup:
        """A `bagan` as an inline SVG figure, drawn from the same geometry as the slide."""
        from bimtek_kit.render.diagram import diagram_svg

        title = self.labels.get("diagram", "Bagan")
        svg = diagram_svg(block, self.colors, self.diagram_font, title)
        caption = f"<figcaption>{escape(block.title)}</figcaption>" if block.title else ""
        return Markup(f'<figure class="diagram">{svg}{caption}</figure>')

    def list_html(self, block: ListBlock) -> Markup:
        tag = "ol" if block.ordered else "ul"
        start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
        if start and not self.align_classes:
            # WeasyPrint ignores `start`: a list beginning at 3 printed "1." (issue #15).
            start += f' style="counter-reset: list-item {block.start - 1}"'
        items = "".join(self.item_html(item.spans, item.blocks) for item in block.items)
        return Markup(f"<{tag}{start}>{items}</{tag}>")

    def item_html(self, spans: Inline, blocks: tuple[Block, ...]) -> str:
        return f"<li>{inline_html(spans, self.hyphenate)}{self.render(blocks)}</li>"

    def table_html(self, block: Table) -> Markup:
        hyphenate = narrow_column_hyphens(self.hyphenate)

        def cell(tag: str, spans: Inline, align: str | None) -> str:
            style = ""
            if align in ("left", "right", "center"):
                style = (f' class="align-{align}"' if self.align_classes
                         else f' style="text-align:{align}"')
            return f"<{tag}{style}>{inline_html(spans, hyphenate)}</{tag}>"

        # Paper gets fixed column widths (html.tables); pages whose CSP forbids inline styles
        # (`align_classes`, the site) scroll a wide table instead.
        widths = None if self.align_classes else column_widths(block)
        if widths is None and not self.align_classes:
            return Markup(stacked_html(block, lambda spans: inline_html(spans, hyphenate)))
        aligns = list(block.aligns) + [None] * len(block.header)
        head = "".join(cell("th", c, aligns[i]) for i, c in enumerate(block.header))
        body = "".join(
            "<tr>" + "".join(cell("td", c, aligns[i]) for i, c in enumerate(row)) + "</tr>"
            for row in block.rows
        )
        opening = f'<table class="fit">{colgroup_html(widths)}' if widths else "<table>"
        return Markup(f"{opening}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")

    def image_html(self, block: Image) -> Markup:
        url = self.image_url(block)
        caption = escape(block.title or block.alt)
        if not url:
            return Markup(f'<p class="missing-image">[{caption}]</p>')
        return Markup(
            f'<figure><img src="{escape(url)}" alt="{escape(block.alt)}">'
            f"<figcaption>{caption}</figcaption></figure>"
        )

    def callout_html(self, block: Callout) -> Markup:
        label = block.title or self.labels.callout.get(block.kind, block.kind)
        return Markup(
            f'<aside class="callout callout-{escape(block.kind)}"><p class="box-label">'
            f"{escape(label)}</p>{self.render(block.blocks)}</aside>"
        )

    def activity_label(self, block: Activity) -> str:
        kind = self.labels.activity[block.kind]
        prefix = f"{self.activity_prefix}." if self.activity_prefix else ""
        sheet = self.worksheet_labels.get(block.number)
        return f"{kind} {prefix}{block.number}" + (f" · {sheet}" if sheet else "")

    def roles_html(self, block: Activity) -> str:
        """Role briefs are secret to their players (issue #15): the guide prints them, a
        participant's copy only names the roles; the briefs go out as cards (kartu peran)."""
        if not block.roles:
            return ""
        if self.audience == "guide":
            return "".join(f'<div class="role"><p class="role-name">{escape(role.name)}</p>'
                           f"{self.render(role.blocks)}</div>" for role in block.roles)
        names = ", ".join(str(escape(role.name)) for role in block.roles)
        return (f'<p class="role-handout"><strong>{names}.</strong> '
                f"{escape(self.labels.print.role_cards_handout)}</p>")

    def activity_html(self, block: Activity) -> Markup:
        """A boxed activity; the key only for the guide."""
        meta = ""
        if block.minutes:
            time = f"{escape(self.labels.time)}: {block.minutes} {escape(self.labels.minutes)}"
            meta = f'<span class="activity-time">{time}</span>'
        parts = [
            f'<section class="activity activity-{block.kind}">',
            f'<p class="box-label">{escape(self.activity_label(block))}{meta}</p>',
            f'<h4 class="activity-title">{escape(block.title)}</h4>' if block.title else "",
            str(self.render(block.blocks)),
        ]
        parts.append(self.roles_html(block))
        if block.questions:
            items = "".join(self.item_html(q.spans, q.blocks) for q in block.questions)
            parts.append(f'<ol class="activity-questions">{items}</ol>')
        if self.audience == "guide" and block.key:
            labels = self.labels
            label = labels.answer_key if block.kind == "latihan" else labels.discussion_pointers
            parts.append(
                f'<div class="answer-key"><p class="box-label">{escape(label)}</p>'
                f"{self.render(block.key)}</div>"
            )
        parts.append("</section>")
        return Markup("".join(parts))
