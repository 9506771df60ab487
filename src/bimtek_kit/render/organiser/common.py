"""What the kit's documents share: the kop surat, signatories, course dates, the page call."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bimtek_kit.config import Signatory
from bimtek_kit.localize import format_date
from bimtek_kit.render.base import PARTS_DIR, Job, RenderContext, audience_path, fingerprint
from bimtek_kit.render.pdf import stack
from bimtek_kit.render.pdf.printing import _mm, page_css, page_setup, settings
from bimtek_kit.render.pdf.stack import RenderError, root_url, roots
from bimtek_kit.resources import resolve_resource
from bimtek_kit.schedule import Day, Timetable, build_timetable
from bimtek_kit.themes import Labels

if TYPE_CHECKING:
    from markupsafe import Markup
    from weasyprint import Document

    from bimtek_kit.roster import Participant, Roster


@dataclass(frozen=True)
class Kop:
    """The letterhead above an official document; empty lines are left out."""

    logo_url: str | None
    lines: tuple[str, ...]
    contact: str


def has_roster(ctx: RenderContext) -> bool:
    return ctx.course.roster is not None


def roster(ctx: RenderContext) -> Roster:
    if ctx.course.roster is None:
        raise RenderError("the organisers' kit needs content/peserta.csv or .xlsx")
    return ctx.course.roster


def kit_labels(ctx: RenderContext) -> Labels:
    return ctx.theme.labels.organiser  # type: ignore[no-any-return]


def output(ctx: RenderContext, key: str, suffix: str = ".pdf") -> str:
    """`panitia/<file name of the label set>.pdf`."""
    return audience_path(ctx, "organisers", kit_labels(ctx).files[key] + suffix)


def kit_sources(ctx: RenderContext) -> tuple[str, ...]:
    return ("bimtek.yml", roster(ctx).path)


def kop(ctx: RenderContext) -> Kop:
    """From `kop:` of bimtek.yml; without it, the organiser's name alone."""
    config = ctx.course.config
    spec = config.kop
    logo = None
    if spec.logo:
        path = resolve_resource(spec.logo, ctx.course.root, (ctx.course.root,))
        logo = root_url(path, roots(ctx))
    lines = tuple(spec.instansi) or ((config.organizer,) if config.organizer else ())
    labels = kit_labels(ctx)
    contact = [spec.alamat]
    if spec.telepon:
        contact.append(f"{labels.phone} {spec.telepon}")
    if spec.laman:
        contact.append(spec.laman)
    if spec.email:
        contact.append(spec.email)
    return Kop(logo, lines, " · ".join(c for c in contact if c))


def signatories(ctx: RenderContext) -> list[Signatory]:
    return list(ctx.course.config.penandatangan)


def timetable(ctx: RenderContext) -> Timetable:
    return build_timetable(ctx.course)


def course_days(ctx: RenderContext) -> list[Day]:
    return timetable(ctx).days


def last_date(ctx: RenderContext) -> dt.date | None:
    dates = [day.date for day in course_days(ctx) if day.date]
    return dates[-1] if dates else None


def signing_line(ctx: RenderContext, day: dt.date | None = None) -> str:
    """`Sukamaju, 10 Desember 2026`: place and date (default: the course's last day) above a
    signature."""
    day = day or last_date(ctx)
    when = format_date(day, ctx.theme.labels, weekday=False) if day else ""
    return ", ".join(part for part in (ctx.course.config.place, when) if part)


def qr_svg(text: str) -> Markup:
    """A QR code as inline SVG (vector: sharp at any size, no image file to fetch)."""
    import segno
    from markupsafe import Markup

    return Markup(segno.make(text, error="m").svg_inline(omitsize=True, border=0))


def render_kit_html(ctx: RenderContext, template: str, **data: Any) -> str:
    env = ctx.theme.environment()
    return env.get_template(f"organiser/{template}").render(
        course=ctx.course.config, language=ctx.course.config.language, kit=kit_labels(ctx),
        **data)


def kit_pdf(ctx: RenderContext, html: str, *, title: str, landscape: bool = False) -> bytes:
    """Lay out on the print stack with print.css plus the kit's own `css/organiser.css`."""
    return stack.write(ctx, kit_layout(ctx, html, landscape=landscape), title)


def kit_layout(ctx: RenderContext, html: str, *, landscape: bool = False) -> Document:
    """The laid-out pages of `kit_pdf`, for a document made of pages of several layouts."""
    page = page_setup(ctx, "organisers")
    if landscape:  # lists and certificates are not bound: the same small margin all round
        margin = _mm(settings(ctx.theme)["list_margin"])
        page = dataclasses.replace(page, width=page.height, height=page.width, margin=margin,
                                   binding=margin)
    size = f"@page {{ size: {page.width:g}mm {page.height:g}mm; }}\n"
    _path, print_css = stack.stylesheet(ctx.theme, "print.css")
    _path, kit_css = stack.stylesheet(ctx.theme, "organiser.css")
    return stack.layout(ctx, html, (page_css(ctx, page) + size, print_css,
                                    stack.markdown_css(ctx.theme), kit_css))


def roster_parts(ctx: RenderContext, kind: str, size: int, *facts: object) -> list[Job]:
    """Part jobs of `size` participants each, then the job that joins them into `outputs`.

    A 10,000-name roster laid out as one document would hold tens of thousands of pages in
    memory; in parts it runs in parallel, in bounded memory, and a name added at the end
    re-lays out only the last part. Each part's key holds its own participants (`facts` may
    add per-participant data such as the group)."""
    people = roster(ctx).participants
    return [Job(kind, "", (f"{PARTS_DIR}/{kind}/{start // size + 1:04d}.pdf",),
                options=(("first", str(start)), ("count", str(len(people[start:start + size])))),
                fingerprint=fingerprint(*facts, people[start:start + size]))
            for start in range(0, len(people), size)]


def part_people(ctx: RenderContext, job: Job) -> tuple[Participant, ...]:
    options = dict(job.options)
    first, count = int(options["first"]), int(options["count"])
    return roster(ctx).participants[first:first + count]


def join_parts(ctx: RenderContext, job: Job, parts: dict[str, bytes], title: str,
               **options: object) -> bytes:
    return stack.join(ctx, [parts[path] for path in job.parts], title, import_outlines=False,
                      **options)
