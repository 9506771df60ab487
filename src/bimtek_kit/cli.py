"""Command-line interface: parse flags, call `commands.*`, print diagnostics, set the exit code.

Exit codes: 0 success, 1 content errors (printed as `path:line: message`), 2 usage errors,
3 an internal bug (traceback and a request to report it). Heavy libraries are imported inside
the commands so `bimtek --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from bimtek_kit.render import available

if TYPE_CHECKING:
    from bimtek_kit.commands.buildtypes import BuildOptions, BuildReport
    from bimtek_kit.errors import BimtekError, Diagnostics

app = typer.Typer(
    name="bimtek",
    help="Build complete bimtek training packages (slides, handbook, worksheets, tests, "
    "facilitator guide, schedule) from Markdown modules.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

ProjectDir = Annotated[
    Optional[Path],
    typer.Argument(help="Course project folder (holds bimtek.yml; default: .).",
                   show_default=False),
]
ProjectOption = Annotated[
    Optional[Path],
    typer.Option("-C", "--project", help="Course project folder (default: .), as in git -C.",
                 show_default=False),
]
"""Every command takes `-C DIR` (DESIGN §5); commands without other arguments also take DIR
positionally. Use both through `project_dir(positional, option)`."""


def project_dir(positional: Path | None = None, option: Path | None = None) -> Path:
    """The project folder from `DIR` or `-C DIR` (default `.`); both must agree when both given."""
    if positional is not None and option is not None and positional != option:
        from bimtek_kit.errors import UsageError

        raise UsageError(f"two project folders given: {positional} and -C {option}")
    return positional or option or Path(".")


def _version(value: bool) -> None:
    if value:
        from bimtek_kit import __version__

        print(f"bimtek {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.",
                                          callback=_version, is_eager=True)] = False,
) -> None:
    """Build complete bimtek training packages (slides, handbook, worksheets, tests, facilitator
    guide, schedule) from Markdown modules."""


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _print_diagnostics(diagnostics: Diagnostics, strict: bool = False) -> None:
    for diagnostic in diagnostics.sorted():
        _err(str(diagnostic))
    errors, warnings = len(diagnostics.errors), len(diagnostics.warnings)
    if errors or warnings:
        parts = []
        if errors:
            parts.append(f"{errors} error{'s' if errors != 1 else ''}")
        if warnings:
            suffix = " (errors with --strict)" if strict else ""
            parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}{suffix}")
        _err(", ".join(parts))


def _fail(error: BimtekError) -> typer.Exit:
    from bimtek_kit.errors import UsageError

    if error.diagnostics:
        _print_diagnostics(error.diagnostics)
    else:
        _err(f"error: {error}")
    return typer.Exit(2 if isinstance(error, UsageError) else 1)


def _guard(action):  # type: ignore[no-untyped-def]
    """Run a command body: user mistakes exit 1/2 without a traceback, bugs exit 3."""
    from bimtek_kit.errors import BimtekError

    try:
        return action()
    except BimtekError as error:
        raise _fail(error) from None
    except (typer.Exit, KeyboardInterrupt):
        raise
    except Exception:
        import traceback

        traceback.print_exc()
        _err("bimtek: internal error; this is a bug, please report it with the traceback above")
        raise typer.Exit(3) from None


def _split(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@app.command()
def build(
    project: ProjectDir = None,
    project_option: ProjectOption = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Output folder (default: PROJECT/dist).")] = None,  # noqa: E501
    only: Annotated[Optional[list[str]], typer.Option("--only", help=f"Output kinds, comma-separated: {', '.join(available())}.")] = None,  # noqa: E501
    module: Annotated[Optional[list[str]], typer.Option("--module", help="Build only this module's files (repeatable).")] = None,  # noqa: E501
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    variants: Annotated[int, typer.Option("--variants", help="Shuffled test variants (paket A, B, ...).", min=1, max=6)] = 1,  # noqa: E501
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", help="Worker processes (default: one per core).", min=1)] = None,  # noqa: E501
    zip_package: Annotated[bool, typer.Option("--zip", help="Also write one zip per audience (dist/<course>-peserta.zip ...).")] = False,  # noqa: E501
    clean: Annotated[bool, typer.Option("--clean", help="Rebuild every file; drop the files the previous manifest lists that this build does not make.")] = False,  # noqa: E501
    force: Annotated[bool, typer.Option("--force", help="Build into a folder holding files bimtek did not write (they are kept).")] = False,  # noqa: E501
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems.")] = False,
) -> None:
    """Build the training package into dist/<course>/ (only what changed)."""

    def run() -> None:
        import time

        from bimtek_kit.buildstamp import unchanged
        from bimtek_kit.commands.buildtypes import BuildOptions

        started = time.perf_counter()
        options = BuildOptions(project_dir(project, project_option), output, _split(only),
                               _split(module), strict, variants, jobs, zip_package, clean, force)
        report = unchanged(options)  # file stats say nothing changed: no loader, no renderer
        if report is not None:
            report.seconds = time.perf_counter() - started
        else:
            report = _run_build(options, quiet)
        _print_diagnostics(report.diagnostics, strict)
        if quiet:
            return
        kinds = ", ".join(report.kinds) if report.kinds else "none yet (only manifest.json)"
        print(f"output kinds: {kinds}")
        print(f"{len(report.rendered)} rendered ({len(report.written)} changed), "
              f"{len(report.reused)} reused, {len(report.removed)} removed "
              f"in {report.seconds:.1f} s -> {report.out_dir}")
        for zip_path in report.zip_paths:
            print(f"zip: {zip_path}")

    _guard(run)


def _run_build(options: BuildOptions, quiet: bool) -> BuildReport:
    from bimtek_kit.commands.build import build as run_build
    from bimtek_kit.progress import make_progress

    progress = make_progress(quiet)
    try:
        return run_build(options, progress.done, progress.start)
    finally:
        progress.close()


@app.command()
def check(
    project: ProjectDir = None,
    project_option: ProjectOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
) -> None:
    """Validate every source and print every problem as file:line: message; write nothing."""

    def run() -> None:
        from bimtek_kit.commands.check import check as run_check

        course, diagnostics = run_check(project_dir(project, project_option))
        _print_diagnostics(diagnostics, strict)
        if course is None or diagnostics.has_errors(strict):
            raise typer.Exit(1)
        print(f"ok: {len(course.modules)} modules, {course.total_jp} JP")

    _guard(run)


@app.command("list")
def list_modules(project: ProjectDir = None, project_option: ProjectOption = None) -> None:
    """List the modules with JP, minutes and activity counts, and the totals."""

    def run() -> None:
        from bimtek_kit.commands.listing import module_rows, printable, schedule_line
        from bimtek_kit.loader import load_course

        course = load_course(project_dir(project, project_option))
        rows = module_rows(course)
        print(printable(course.config.title))
        print(
            f"{'#':>2}  {'code':<5} {'id':<28} {'JP':>3} {'min':>5} {'sect':>4} {'act':>4}  title"
        )
        for row in rows:
            print(
                f"{row.number:>2}  {row.code:<5} {row.id:<28} {row.jp:>3} {row.minutes:>5} "
                f"{row.sections:>4} {row.activities:>4}  {row.title}"
            )
        print(
            f"{'':>2}  {'':<5} {'total':<28} {sum(r.jp for r in rows):>3} "
            f"{sum(r.minutes for r in rows):>5} {sum(r.sections for r in rows):>4} "
            f"{sum(r.activities for r in rows):>4}"
        )
        print(schedule_line(course))

    _guard(run)


@app.command("new-module")
def new_module(
    title: Annotated[str, typer.Argument(help='Module title, e.g. "Etika Pelayanan Publik".')],
    project: ProjectOption = None,
    module_id: Annotated[
        Optional[str], typer.Option("--id", help="Module id (default: from the title).")
    ] = None,  # noqa: UP007,E501
    jp: Annotated[int, typer.Option("--jp", help="Duration in JP.", min=1, max=60)] = 2,
    kind: Annotated[str, typer.Option("--kind", help="materi or studi-kasus.")] = "materi",
) -> None:
    """Create the next numbered module with front matter and a skeleton; never overwrites."""

    def run() -> None:
        from bimtek_kit.commands.scaffold import new_module as scaffold

        path = scaffold(project_dir(None, project), title, module_id, jp, kind)
        print(f"created {path}")

    _guard(run)


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="New folder for the course project.")],
    example: Annotated[
        bool,
        typer.Option(
            "--example",
            help="Copy the full default course (8 modules) instead of the small starter.",
        ),
    ] = False,  # noqa: E501
    base: ProjectOption = None,
) -> None:
    """Create a new course project from the starter course; refuses a non-empty folder."""

    def run() -> None:
        from bimtek_kit.commands.scaffold import init_project

        directory_path = project_dir(None, base) / directory
        files = init_project(directory_path, example)
        print(f"created {len(files)} files in {directory_path}")
        print(f"next: cd {directory_path} && bimtek build")

    _guard(run)


@app.command("import")
def import_material(
    files: Annotated[list[Path], typer.Argument(metavar="FILE", help="Word (.docx), PowerPoint (.pptx) or Carpentries Markdown (.md) files.")],  # noqa: E501
    project: ProjectOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
) -> None:
    """Turn existing material into new numbered modules, then check them; never overwrites."""

    def run() -> None:
        from bimtek_kit.commands.importing import import_files

        failed = False
        for report in import_files(project_dir(None, project), files):
            print(f"created {report.module} from {report.source.name}"
                  + (f" (+{len(report.images)} image{'s' if len(report.images) > 1 else ''})"
                     if report.images else ""))
            _print_diagnostics(report.diagnostics, strict)
            if not report.diagnostics.items:
                print(f"check: {report.module} has no problems")
            failed = failed or report.diagnostics.has_errors(strict)
        if failed:
            raise typer.Exit(1)

    _guard(run)


@app.command()
def serve(
    project: ProjectDir = None,
    project_option: ProjectOption = None,
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=0, max=65535)]
    = 8000,
    host: Annotated[str, typer.Option(
        "--host", help="Address to listen on; 127.0.0.1 keeps the preview on this machine.",
    )] = "127.0.0.1",
    open_browser: Annotated[bool, typer.Option("--open", help="Open the preview in a browser.")]
    = False,
) -> None:
    """Live preview in the browser: rebuilds what changed and reloads the page."""

    def run() -> None:
        from bimtek_kit.commands.serve import serve as run_serve

        run_serve(project_dir(project, project_option), host, port, open_browser)

    _guard(run)


@app.command()
def pindai(
    scans: Annotated[list[Path], typer.Argument(help="Photos (JPEG/PNG) or scanned PDFs of filled answer sheets.")],  # noqa: E501
    project_option: ProjectOption = None,
) -> None:
    """Read answer sheets into hasil/<test>.csv; list every bubble a person must check."""

    def run() -> None:
        from bimtek_kit.commands.pindai import pindai as run_pindai

        report = run_pindai(project_dir(None, project_option), scans)
        for line in report.unreadable + report.review:
            _err(line)
        for path, (added, replaced) in report.written.items():
            print(f"{path}: {added} added, {replaced} replaced")
        print(f"{len(report.sheets)} sheets read, {len(report.unreadable)} unreadable, "
              f"{len(report.review)} to check (written as ? in the CSV)")
        if not report.ok:
            raise typer.Exit(1)

    _guard(run)


@app.command()
def laporan(
    project: ProjectDir = None,
    project_option: ProjectOption = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Output folder (default: PROJECT/dist).")] = None,  # noqa: E501
) -> None:
    """Rekap nilai, item analysis, evaluations and the laporan pelaksanaan from hasil/*.csv."""

    def run() -> None:
        from bimtek_kit.commands.laporan import laporan as run_laporan

        report = run_laporan(project_dir(project, project_option), output)
        print(f"{len(report.files)} files -> {report.out_dir}")

    _guard(run)


def main() -> None:
    """Console-script entry point (also `python -m bimtek_kit`)."""
    app(prog_name="bimtek")
