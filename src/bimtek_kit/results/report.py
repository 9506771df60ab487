"""The laporan pelaksanaan as a list of plain blocks, written once and drawn twice (DOCX, PDF).

BAB I pendahuluan (dasar, tujuan, sasaran from `bimtek.yml` `laporan:`), BAB II pelaksanaan
(waktu, tempat, peserta, narasumber, jadwal), BAB III hasil (tables and charts), BAB IV
kesimpulan dan rekomendasi (a template the organiser completes: the numbers are filled in, the
judgement is theirs), lampiran (rekap nilai; the signed daftar hadir is attached by hand).
Text the organiser must complete is a `Para` with `todo=True`: bracketed and italic in both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bimtek_kit.results import analysis

if TYPE_CHECKING:
    from bimtek_kit.model import Course
    from bimtek_kit.results.charts import Chart
    from bimtek_kit.results.scores import Results
    from bimtek_kit.themes import Labels


@dataclass(frozen=True)
class Heading:
    kind = "heading"
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    kind = "para"
    text: str
    todo: bool = False


@dataclass(frozen=True)
class Bullets:
    kind = "bullets"
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    kind = "table"
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()
    """Relative column widths (sum 1); empty for equal columns."""


@dataclass(frozen=True)
class Figure:
    kind = "figure"
    name: str
    """File name beside the report: `grafik-nilai.png`."""
    chart: Chart
    caption: str


Block = Heading | Para | Bullets | Table | Figure


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    organizer: str
    blocks: tuple[Block, ...]

    @property
    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]


@dataclass(frozen=True)
class Findings:
    """Everything BAB III reports, computed once."""

    rekap: analysis.Rekap
    items: dict[str, list[analysis.ItemRow]]
    aspects: dict[str, list[analysis.Rating]]
    """Form title -> mean per section."""
    statements: dict[str, list[analysis.Rating]]
    """Form title -> mean per statement."""
    speakers: dict[str, list[analysis.Rating]]
    comments: dict[str, list[tuple[str, list[str]]]]
    charts: dict[str, Chart]


def number(value: float | None, digits: int = 2, language: str = "id") -> str:
    """Indonesian decimal comma (a point in English); `-` for nothing."""
    if value is None:
        return "-"
    text = f"{value:.{digits}f}"
    return text if language == "en" else text.replace(".", ",")


@dataclass(frozen=True)
class _Words:
    """The report's words in the course language (`results.report` in the label set)."""

    t: Labels
    language: str

    def num(self, value: float | None) -> str:
        return number(value, language=self.language)

    def word(self, category: str) -> str:
        return self.t.words.get(category, category)


def build_report(course: Course, labels: Labels, results: Results,
                 findings: Findings) -> Report:
    config = course.config
    w = _Words(labels.results.report, config.language)
    blocks: list[Block] = [
        *_bab_i(course, w),
        *_bab_ii(course, labels, findings, w),
        *_bab_iii(findings, w),
        *_bab_iv(findings, w),
        *_lampiran(findings, w),
    ]
    return Report(w.t.title, config.title, config.organizer, tuple(_numbered(blocks, w)))


def _numbered(blocks: list[Block], w: _Words) -> list[Block]:
    """`Gambar 1. …` in document order, and the sections of each BAB lettered A., B., … in
    order (a BAB III without test results starts its evaluations at A.)."""
    from bimtek_kit.results.charts import scoped

    count = 0
    letter = 0
    numbered: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading) and block.level == 1:
            letter = 0
        elif isinstance(block, Heading) and block.level == 2 and block.text.startswith("@"):
            block = Heading(2, f"{chr(ord('A') + letter)}. {block.text[1:]}")
            letter += 1
        if isinstance(block, Figure):
            count += 1
            block = Figure(block.name, scoped(block.chart, f"g{count}"),
                           w.t.figure.format(n=count, caption=block.caption))
        numbered.append(block)
    return numbered


def _section(title: str) -> Heading:
    """A lettered section (A., B., …): `_numbered` assigns the letters."""
    return Heading(2, f"@{title}")


def _todo(text: str) -> Para:
    return Para(f"[{text}]", todo=True)


def _bab_i(course: Course, w: _Words) -> list[Block]:
    spec, t = course.config.laporan, w.t
    audience = spec.sasaran or course.config.audience
    return [
        Heading(1, t.chapter_1),
        _section(t.background), _todo(t.background_todo),
        _section(t.basis), Bullets(tuple(spec.dasar)) if spec.dasar else _todo(t.basis_todo),
        _section(t.goals), Bullets(tuple(spec.tujuan)) if spec.tujuan else _todo(t.goals_todo),
        _section(t.target), Para(_sentence(audience)) if audience else _todo(t.target_todo),
    ]


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _lower_first(text: str) -> str:
    """`Aparatur …` -> `aparatur …`, but `ASN …` stays `ASN …`."""
    if len(text) > 1 and text[1].isupper():
        return text.rstrip(".")
    return (text[:1].lower() + text[1:]).rstrip(".")


def _bab_ii(course: Course, labels: Labels, findings: Findings, w: _Words) -> list[Block]:
    config, t = course.config, w.t
    where = t.held_where.format(place=config.place) if config.place else ""
    who = t.participants_who.format(audience=_lower_first(config.audience)) \
        if config.audience else ""
    return [
        Heading(1, t.chapter_2),
        _section(t.when_where), Para(t.held.format(when=_dates(course, labels), where=where)),
        _section(t.participants),
        Para(t.participants_text.format(count=len(findings.rekap.rows), who=who)),
        _section(t.speakers),
        Table(t.speakers_table, tuple(t.speakers_header),
              tuple((str(i), m.title, analysis.speaker_of(course, m) or "-", str(m.duration_jp))
                    for i, m in enumerate(course.modules, start=1)),
              (0.07, 0.55, 0.3, 0.08)),
        _section(t.schedule),
        *_schedule(course, labels, w),
    ]


def _dates(course: Course, labels: Labels) -> str:
    import datetime as dt

    from bimtek_kit.localize import format_date

    t = labels.results.report
    schedule = course.config.schedule
    if schedule.start_date is None:
        return t.no_date
    start = schedule.start_date
    if not schedule.days or schedule.days == 1:
        return t.held_on.format(date=format_date(start, labels))
    end = start + dt.timedelta(days=schedule.days - 1)
    return t.held_days.format(days=schedule.days, start=format_date(start, labels),
                              end=format_date(end, labels))


def _schedule(course: Course, labels: Labels, w: _Words) -> list[Block]:
    from bimtek_kit.localize import format_date, format_range
    from bimtek_kit.schedule import ScheduleOverflow, build_timetable

    try:
        timetable = build_timetable(course)
    except ScheduleOverflow:
        return [_todo(w.t.schedule_todo)]
    rows = []
    for day in timetable.days:
        when = format_date(day.date, labels) if day.date else \
            labels.print.day_number.format(n=day.number)
        for index, row in enumerate(day.rows):
            rows.append((when if index == 0 else "",
                         format_range(row.start, row.end, course.config.language), row.label))
    return [Table(w.t.schedule_table, tuple(w.t.schedule_header), tuple(rows),
                  (0.25, 0.2, 0.55))]


def _bab_iii(findings: Findings, w: _Words) -> list[Block]:
    rekap, t = findings.rekap, w.t
    blocks: list[Block] = [Heading(1, t.chapter_3)]
    if rekap.rows:
        counts = rekap.counts()
        category = w.word(analysis.gain_category(rekap.class_n_gain))
        blocks += [
            _section(t.tests),
            Para(t.tests_text.format(pre=w.num(rekap.mean_pre), post=w.num(rekap.mean_post),
                                     gain=w.num(rekap.class_n_gain), category=category,
                                     high=counts["tinggi"], medium=counts["sedang"],
                                     low=counts["rendah"])),
            Table(t.summary_table, tuple(t.summary_header),
                  ((t.mean_pre, w.num(rekap.mean_pre)), (t.mean_post, w.num(rekap.mean_post)),
                   (t.class_gain, w.num(rekap.class_n_gain)), (t.category, category)),
                  (0.6, 0.4)),
        ]
        blocks += _figures(findings, ("nilai", "n-gain"), w)
    blocks += _items(findings, w)
    blocks += _evaluations(findings, w)
    return blocks


def _figures(findings: Findings, keys: tuple[str, ...], w: _Words) -> list[Block]:
    captions = {"nilai": w.t.figure_scores, "n-gain": w.t.figure_gain}
    figures: list[Block] = []
    for key in keys:
        if key in findings.charts:
            caption = captions.get(key) or w.t.figure_rating.format(form=key.split(":", 1)[-1])
            figures.append(Figure(f"grafik-{_slug(key)}.png", findings.charts[key], caption))
    return figures


def _slug(key: str) -> str:
    from bimtek_kit.slugs import slugify

    return slugify(key.replace(":", "-")) or "grafik"


def _items(findings: Findings, w: _Words) -> list[Block]:
    blocks: list[Block] = []
    for bank, items in findings.items.items():
        if not blocks:
            blocks += [_section(w.t.item_analysis), Para(w.t.items_text)]
        blocks.append(Table(w.t.items_table.format(bank=bank), tuple(w.t.items_header),
                            tuple((str(i.number), w.num(i.difficulty),
                                   w.word(i.difficulty_label), w.num(i.discrimination),
                                   w.word(i.discrimination_label),
                                   f"{', '.join(i.unused)} ({i.loc})" if i.unused else "-")
                                  for i in items),
                            (0.07, 0.09, 0.13, 0.09, 0.14, 0.48)))
    return blocks


def _ratings(caption: str, header: list[str], ratings: list[analysis.Rating],
             w: _Words) -> Table:
    return Table(caption, tuple(header),
                 tuple((r.label, w.num(r.mean), r.scale_label, str(r.count)) for r in ratings),
                 (0.55, 0.15, 0.2, 0.1))


def _evaluations(findings: Findings, w: _Words) -> list[Block]:
    t = w.t
    blocks: list[Block] = []
    for name, ratings in findings.aspects.items():
        blocks += [_section(name),
                   _ratings(t.aspects_table.format(form=name), t.aspects_header, ratings, w)]
        blocks += _figures(findings, (f"aspek:{name}",), w)
        blocks += _comments(findings.comments.get(name, []))
    for name, ratings in findings.speakers.items():
        blocks += [_section(name),
                   _ratings(t.speakers_rating_table.format(form=name), t.speakers_rating_header,
                            ratings, w),
                   _ratings(t.statements_table.format(form=name), t.aspects_header,
                            findings.statements.get(name, []), w)]
        blocks += _comments(findings.comments.get(name, []))
    return blocks


def _comments(comments: list[tuple[str, list[str]]]) -> list[Block]:
    blocks: list[Block] = []
    for prompt, answers in comments:
        if answers:
            blocks += [Heading(3, prompt), Bullets(tuple(answers))]
    return blocks


def _bab_iv(findings: Findings, w: _Words) -> list[Block]:
    rekap, t = findings.rekap, w.t
    summary = [Para(t.conclusion_text.format(
        pre=w.num(rekap.mean_pre), post=w.num(rekap.mean_post), gain=w.num(rekap.class_n_gain),
        category=w.word(analysis.gain_category(rekap.class_n_gain))))] if rekap.rows else []
    return [
        Heading(1, t.chapter_4),
        _section(t.conclusion), *summary, _todo(t.conclusion_todo),
        _section(t.recommendations), _todo(t.recommendations_todo),
    ]


def _lampiran(findings: Findings, w: _Words) -> list[Block]:
    rekap, t = findings.rekap, w.t
    rows = tuple((str(r.number), r.name or "-", r.nip, w.num(r.pre), w.num(r.post),
                  w.num(r.gain), w.num(r.n_gain), w.word(r.category)) for r in rekap.rows)
    gain = None if rekap.mean_pre is None or rekap.mean_post is None \
        else rekap.mean_post - rekap.mean_pre
    total = ("", t.class_mean, "", w.num(rekap.mean_pre), w.num(rekap.mean_post), w.num(gain),
             w.num(rekap.class_n_gain), w.word(analysis.gain_category(rekap.class_n_gain)))
    return [
        Heading(1, t.appendix),
        Heading(2, t.appendix_scores),
        Table(t.scores_table, tuple(t.scores_header), (*rows, total),
              (0.05, 0.24, 0.21, 0.095, 0.095, 0.095, 0.095, 0.11)),
        Heading(2, t.appendix_attendance),
        _todo(t.attendance_todo),
    ]
