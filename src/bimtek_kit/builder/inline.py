"""Markdown inline tokens -> `Span` runs that keep bold, italic, code and links."""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it.token import Token

from bimtek_kit.model import Inline, Span

SAFE_LINK_PREFIXES = ("http://", "https://", "mailto:", "tel:", "#")
"""Links kept as links; anything else (javascript:, data:, file:, relative paths) is text."""


@dataclass
class InlineResult:
    spans: Inline
    images: list[tuple[str, str, str]] = field(default_factory=list)
    """Images found in the text, as (src, alt, title); the caller turns them into blocks."""
    dropped_links: list[str] = field(default_factory=list)
    """Link targets refused as unsafe; the caller reports them."""


def convert_inline(children: list[Token] | None) -> InlineResult:
    """Flatten markdown-it inline children into spans; adjacent equal styles are merged."""
    spans: list[Span] = []
    images: list[tuple[str, str, str]] = []
    dropped: list[str] = []
    bold = italic = strike = 0
    links: list[str | None] = []
    for token in children or []:
        kind = token.type
        style = {
            "bold": bold > 0,
            "italic": italic > 0,
            "strike": strike > 0,
            "href": links[-1] if links else None,
        }
        if kind == "text" or kind == "html_inline":
            _append(spans, Span(token.content, **style))
        elif kind == "softbreak":
            _append(spans, Span(" ", **style))
        elif kind == "hardbreak":
            _append(spans, Span("\n", **style))
        elif kind == "code_inline":
            spans.append(Span(token.content, code=True, **style))
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "s_open":
            strike += 1
        elif kind == "s_close":
            strike -= 1
        elif kind == "link_open":
            href = str(token.attrGet("href") or "")
            if href and not href.lower().startswith(SAFE_LINK_PREFIXES):
                dropped.append(href)
                href = ""
            links.append(href or None)
        elif kind == "link_close" and links:
            links.pop()
        elif kind == "image":
            images.append(
                (str(token.attrGet("src") or ""), token.content, str(token.attrGet("title") or ""))
            )
    return InlineResult(tuple(_trim(spans)), images, dropped)


def _append(spans: list[Span], span: Span) -> None:
    if not span.text:
        return
    if spans and _same_style(spans[-1], span) and not spans[-1].code:
        spans[-1] = Span(
            spans[-1].text + span.text, span.bold, span.italic, False, span.strike, span.href
        )
    else:
        spans.append(span)


def _same_style(a: Span, b: Span) -> bool:
    return (a.bold, a.italic, a.code, a.strike, a.href) == (
        b.bold,
        b.italic,
        b.code,
        b.strike,
        b.href,
    )


def _trim(spans: list[Span]) -> list[Span]:
    """Drop leading and trailing whitespace left by removed images."""
    while spans and not spans[0].text.strip():
        spans.pop(0)
    while spans and not spans[-1].text.strip():
        spans.pop()
    if spans:
        first, last = spans[0], spans[-1]
        spans[0] = Span(
            first.text.lstrip(), first.bold, first.italic, first.code, first.strike, first.href
        )
        last = spans[-1]
        spans[-1] = Span(
            last.text.rstrip(), last.bold, last.italic, last.code, last.strike, last.href
        )
    return spans
