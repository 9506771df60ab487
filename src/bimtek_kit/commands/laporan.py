"""`bimtek laporan [DIR]`: results, analysis and the laporan pelaksanaan (DESIGN §10).

Reads `hasil/*.csv`, reports every problem as `hasil/post-test.csv:7:nip: …` and writes
nothing then; otherwise renders every file in memory first and only then writes them,
atomically, into `dist/<course>/panitia/laporan/` (the organisers' folder, named by the label
set, beside the package `bimtek build` writes). Results are personal data: they go nowhere
else, and nothing here prints a name or a NIP.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bimtek_kit.errors import ContentError, Diagnostics, Loc

if TYPE_CHECKING:
    from bimtek_kit.render.base import RenderContext
    from bimtek_kit.results.report import Findings
    from bimtek_kit.results.scores import Results
    from bimtek_kit.themes import Labels

REPORT_DIR = "laporan"
REPORT_STEM = "laporan-pelaksanaan"


def is_report_file(path: str, labels: Labels) -> bool:
    """A file of `panitia/laporan/`: written by `bimtek laporan`, kept by `bimtek build`."""
    return path.startswith(f"{labels.files.organisers_dir}/{REPORT_DIR}/")


@dataclass
class LaporanReport:
    out_dir: Path
    files: list[str] = field(default_factory=list)


def laporan(root: Path, output: Path | None = None) -> LaporanReport:
    """Gather (read, check, compute, render) everything, then write."""
    from bimtek_kit import outfolder
    from bimtek_kit.commands.build import source_date_epoch
    from bimtek_kit.loader import load_course
    from bimtek_kit.render.base import RenderContext, audience_path
    from bimtek_kit.results.scores import known_nips, read_results
    from bimtek_kit.themes import load_theme

    course = load_course(root)
    theme = load_theme(course.config.theme, course.root, course.config.language)
    ctx = RenderContext(course, theme, source_date_epoch(course))
    diagnostics = Diagnostics()
    names = known_nips(course)
    results = read_results(course, theme.labels, diagnostics,
                           set(names) if names is not None else None)
    if not diagnostics.errors and not results.tests and not results.forms:
        diagnostics.error(Loc("hasil"), "no results yet: expected hasil/pre-test.csv, "
                          "hasil/post-test.csv or hasil/evaluasi-*.csv")
    if diagnostics.errors:
        raise ContentError("the results have problems", diagnostics)
    files = render_files(ctx, results, names)
    out_root = (output or course.root / "dist").resolve()
    out_dir = out_root / course.slug / audience_path(ctx, "organisers", REPORT_DIR)
    option = f"-o {output}" if output else "output folder"
    outfolder.check_output_location(out_root / course.slug, course.root, option)
    outfolder.prepare_out_root(out_root, option)
    with outfolder.locked(out_root):  # a build switching the package meanwhile would drop them
        _write_all(out_dir, files)
    return LaporanReport(out_dir, sorted(files))


def findings(ctx: RenderContext, results: Results, names: dict[str, str] | None) -> Findings:
    from bimtek_kit.results import analysis, charts
    from bimtek_kit.results.report import Findings

    course = ctx.course
    colors = {name: ctx.theme.color(name) for name in ("primary", "accent", "muted")}
    words = ctx.theme.labels.results.report
    rekap = analysis.rekap(results, names)
    found = Findings(rekap, {}, {}, {}, {}, {}, {})
    if rekap.rows:
        found.charts["nilai"] = charts.scores_chart(rekap, colors, words)
        if any(r.n_gain is not None for r in rekap.rows):
            found.charts["n-gain"] = charts.gain_chart(rekap, colors, words)
    for name, tests in results.tests.items():
        if tests.scored:
            found.items[name] = analysis.item_analysis(tests)
    for form_results in results.forms.values():
        title = form_results.form.title
        found.comments[title] = analysis.comments(form_results)
        found.statements[title] = analysis.per_statement(form_results)
        if form_results.form.per_module:
            found.speakers[title] = analysis.per_narasumber(form_results, course)
            continue
        # a form of one section rates its statements (the aspects), not one mean of all
        found.aspects[title] = (analysis.per_aspect(form_results)
                                if len(form_results.form.sections) > 1
                                else found.statements[title])
        if found.aspects[title]:
            found.charts[f"aspek:{title}"] = charts.rating_chart(
                found.aspects[title], len(form_results.form.scale), colors, words,
                course.config.language)
    return found


def render_files(ctx: RenderContext, results: Results,
                 names: dict[str, str] | None) -> dict[str, bytes]:
    """Every file of `panitia/laporan/`, by name, in memory."""
    from bimtek_kit.results.documents import report_docx, report_pdf
    from bimtek_kit.results.report import build_report

    found = findings(ctx, results, names)
    report = build_report(ctx.course, ctx.theme.labels, results, found)
    files = {
        "rekap-nilai.csv": rekap_csv(found),
        f"{REPORT_STEM}.docx": report_docx(report, ctx.source_date_epoch,
                                           ctx.course.config.language),
        f"{REPORT_STEM}.pdf": report_pdf(report, ctx),
    }
    if found.items:
        files["analisis-butir.csv"] = items_csv(found)
    if found.aspects or found.speakers:
        files["ringkasan-evaluasi.csv"] = evaluation_csv(found)
    for figure in report.figures:
        files[figure.name] = figure.chart.png
    return files


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")  # BOM: Excel then reads it as UTF-8


def rekap_csv(found: Findings) -> bytes:
    from bimtek_kit.results.report import number

    rekap = found.rekap
    rows = [[str(r.number), r.name, r.nip, number(r.pre), number(r.post), number(r.gain),
             number(r.n_gain), r.category] for r in rekap.rows]
    rows.append(["", "rata-rata kelas", "", number(rekap.mean_pre), number(rekap.mean_post),
                 "", number(rekap.class_n_gain), _category(rekap.class_n_gain)])
    return _csv(["no", "nama", "nip", "pre", "post", "gain", "n_gain", "kategori"], rows)


def _category(value: float | None) -> str:
    from bimtek_kit.results.analysis import gain_category

    return gain_category(value)


def items_csv(found: Findings) -> bytes:
    from bimtek_kit.results.report import number

    rows = [[i.bank, str(i.number), i.kind, number(i.difficulty), i.difficulty_label,
             number(i.discrimination), i.discrimination_label, " ".join(i.unused), i.loc]
            for items in found.items.values() for i in items]
    return _csv(["tes", "soal", "jenis", "p", "kesukaran", "d", "daya_beda",
                 "pengecoh_tak_dipilih", "sumber"], rows)


def evaluation_csv(found: Findings) -> bytes:
    from bimtek_kit.results.report import number

    rows = [[form, "aspek", r.label, number(r.mean), r.scale_label, str(r.count)]
            for form, ratings in found.aspects.items() for r in ratings]
    rows += [[form, "narasumber", r.label, number(r.mean), r.scale_label, str(r.count)]
             for form, ratings in found.speakers.items() for r in ratings]
    rows += [[form, "pernyataan", r.label, number(r.mean), r.scale_label, str(r.count)]
             for form, ratings in found.statements.items() for r in ratings]
    return _csv(["formulir", "per", "nama", "rata_rata", "kategori", "n"], rows)


def _write_all(out_dir: Path, files: dict[str, bytes]) -> None:
    from bimtek_kit.writer import atomic_write

    for name, data in sorted(files.items()):
        atomic_write(out_dir / name, data)

