"""The participant handbook (buku peserta): a print-quality PDF and a static HTML site (DESIGN §4).

Two jobs: the PDF (one HTML document laid out by WeasyPrint) and the site (`handbook_site`).
Both read the same content from `handbook_content.Book`, so a chapter looks the same in both.
Colours, fonts and sizes come from the theme's `theme.yml` as CSS custom properties; the paper
size from `bimtek.yml`. Resources load only from the project and theme folders (DESIGN §7).
"""

from __future__ import annotations

import re
from pathlib import Path

from bimtek_kit.model import Course, Image
from bimtek_kit.render import Artifact, Job, RenderContext
from bimtek_kit.render.handbook_content import (
    CONTENTS_ID,
    FOREWORD_ID,
    GLOSSARY_ID,
    REFERENCES_ID,
    SCHEDULE_ID,
    Book,
)
from bimtek_kit.themes import Theme, ThemeError

KIND = "handbook"

PAPER_SIZES = {"A4": ("210mm", "297mm"), "F4": ("215mm", "330mm"), "Letter": ("8.5in", "11in")}

_COLOR = re.compile(r"^(#[0-9A-Fa-f]{3,8}|[a-zA-Z]+)$")
_LENGTH = re.compile(r"^\d+(\.\d+)?(pt|mm|cm|in|px|em|rem)$")
_NUMBER = re.compile(r"^\d+(\.\d+)?$")


class HandbookRenderer:
    """`bimtek build --only handbook`: `buku-peserta.pdf` and `buku-peserta/` (site)."""

    name = "handbook"

    def jobs(self, ctx: RenderContext) -> list[Job]:
        """Two independent jobs, so the site never waits for the PDF's page layout."""
        from bimtek_kit.render.handbook_site import site_outputs

        modules = tuple(m.id for m in ctx.course.modules)
        stem = ctx.theme.labels.files.handbook
        return [
            Job(self.name, "", (f"{stem}.pdf",), modules, (("part", "pdf"),)),
            Job(self.name, "", site_outputs(ctx), modules, (("part", "site"),)),
        ]

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        if dict(job.options).get("part") == "site":
            from bimtek_kit.render.handbook_site import render_site

            return render_site(ctx)
        return [render_pdf(ctx)]


# --- PDF ---------------------------------------------------------------------------------------


def render_pdf(ctx: RenderContext) -> Artifact:
    """Lay out the whole book with WeasyPrint and write it with fixed metadata."""
    from bimtek_kit.render.pdf import RenderError, render_document, write_pdf

    course, theme = ctx.course, ctx.theme
    html = book_html(ctx)
    stylesheet = theme.find("css/handbook.css")
    if stylesheet is None:
        raise ThemeError(f"theme '{theme.name}' has no css/handbook.css")
    css = [theme_css(theme, course.config.paper), stylesheet.read_text(encoding="utf-8")]
    try:
        document = render_document(html, stylesheet.parent, resource_roots(ctx), css)
    except RenderError as exc:
        raise RenderError(f"{stylesheet}: handbook: {exc}") from None
    settings = theme.settings.get("handbook", {})
    data = write_pdf(
        document, title=course.config.title, author=course.config.organizer,
        language=course.config.language, source_date_epoch=ctx.source_date_epoch,
        pdf_tags=bool(settings.get("pdf_tags")),
    )
    stem = theme.labels.files.handbook
    return Artifact(f"{stem}.pdf", data, KIND, tuple(sorted(course.sources)))


def resource_roots(ctx: RenderContext) -> tuple[Path, ...]:
    """The only folders the PDF may load from: the project and the theme folders."""
    return (ctx.course.root, *ctx.theme.dirs)


def book_html(ctx: RenderContext) -> str:
    """The whole handbook as one HTML document; chapters come from `Book.chapter_html`."""
    from bimtek_kit.render.pdf import file_url

    roots = resource_roots(ctx)
    book = Book(ctx, image_url=lambda image: _pdf_image_url(image, roots, file_url))
    course = ctx.course
    logo = book.logo()
    place, _ = book.foreword_signature()
    schedule = book.schedule_days()
    template = ctx.theme.environment().get_template("handbook/book.html.j2")
    return template.render(
        language=course.config.language,
        config=course.config,
        logo_url=file_url(logo) if logo else None,
        foreword=book.foreword_html(),
        signature_place=place,
        chapters=book.chapters(),
        chapter_html=[book.chapter_html(module) for module in course.modules],
        back=book.back_matter(),
        schedule=schedule,
        schedule_narasumber=any(row.narasumber for day in schedule for row in day.rows),
        glossary=book.glossary(),
        references=book.references(),
        ids={"foreword": FOREWORD_ID, "contents": CONTENTS_ID, "schedule": SCHEDULE_ID,
             "glossary": GLOSSARY_ID, "references": REFERENCES_ID},
    )


def _pdf_image_url(image: Image, roots: tuple[Path, ...], file_url) -> str | None:  # type: ignore[no-untyped-def]
    """A `file:` URL for an image the loader resolved inside the project; else the alt text."""
    from bimtek_kit.resources import is_inside

    if image.path is None or not is_inside(image.path, roots):
        return None
    return file_url(image.path)  # type: ignore[no-any-return]


# --- theme values as CSS -----------------------------------------------------------------------


def theme_css(theme: Theme, paper: str | None = None) -> str:
    """Colours, fonts and sizes of `theme.yml` as custom properties (+ `@page` size if `paper`).

    The variables are declared on `:root` and again on `@page`, because page margin boxes
    (running header, page number) do not inherit from the document's root element.
    """
    declarations = theme_variables(theme)
    body = "".join(f"  {name}: {value};\n" for name, value in declarations)
    css = f":root {{\n{body}}}\n"
    if paper is not None:
        width, height = PAPER_SIZES.get(paper, PAPER_SIZES["A4"])
        css += f"@page {{\n  size: {width} {height};\n{body}}}\n"
    return css


def theme_variables(theme: Theme) -> list[tuple[str, str]]:
    """`--color-primary: #1B3A5C` … checked, so a theme value cannot inject other CSS."""
    variables = []
    for name, value in sorted(theme.settings.get("colors", {}).items()):
        variables.append((f"--color-{_css_name(name)}", _checked(_COLOR, value, f"colors.{name}")))
    for role in ("heading", "body", "mono"):
        variables.append((f"--font-{role}", font_stack(theme.fonts(role))))
    handbook = theme.settings.get("handbook", {})
    sizes = {"body_size": "11pt", "margin": "25mm", "inner_margin": "27mm"}
    for key, default in sizes.items():
        value = handbook.get(key, default)
        variables.append((f"--hb-{_css_name(key)}", _checked(_LENGTH, value, f"handbook.{key}")))
    line_height = handbook.get("line_height", 1.4)
    variables.append(("--hb-line-height", _checked(_NUMBER, line_height, "handbook.line_height")))
    return variables


def font_stack(names: list[str]) -> str:
    """`"Liberation Serif", "DejaVu Serif", serif`: names quoted, generic families bare."""
    generic = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}
    parts = []
    for name in names:
        clean = re.sub(r'["\\;{}<>\n\r]', "", str(name)).strip()
        if clean:
            parts.append(clean if clean in generic else f'"{clean}"')
    return ", ".join(parts) or "serif"


def _css_name(key: str) -> str:
    return re.sub(r"[^a-z0-9-]", "-", str(key).lower().replace("_", "-"))


def _checked(pattern: re.Pattern[str], value: object, key: str) -> str:
    text = str(value).strip()
    if not pattern.match(text):
        raise ThemeError(f"theme.yml: '{key}' has an unusable value '{text}'")
    return text


def handbook_sources(course: Course) -> tuple[str, ...]:
    """Every project file the whole-book outputs depend on."""
    return tuple(sorted(course.sources))
