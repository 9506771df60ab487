"""`make bench`: build timings for generated 8-, 60- and 300-module courses, beside pandoc.

Prints one table per course size: cold build (all outputs, --jobs 2 and --jobs 1), no-op
rebuild, one-module edit, peak memory of the build's process tree, and the time pandoc takes
on the same Markdown for the decks (md -> pptx, one per module) plus a handbook (all modules
-> pdf with --pdf-engine=weasyprint). Also `bimtek --help` against `python -c "import typer"`.
Never run in the test suite: these are measurements, not assertions.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

BIN = Path(sys.executable).parent
WORK = Path(os.environ.get("BIMTEK_BENCH_DIR", "/tmp/bimtek-bench"))


class PeakMemory:
    """Samples the memory of a process and all its descendants every 250 ms (Linux /proc).

    `peak` sums PSS (proportional set size): forked workers share the parent's pages
    copy-on-write, and summing their RSS would count those pages once per worker. `peak_rss`
    is that naive RSS sum, printed for comparison.
    """

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self.peak_rss, self._stop = pid, 0, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> tuple[int, int]:
        parents: dict[int, int] = {}
        rss: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                parents[int(entry.name)] = int(fields[1])
                rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
            except (OSError, IndexError, ValueError):
                continue
        tree, frontier = {self.pid}, [self.pid]
        while frontier:
            parent = frontier.pop()
            children = [p for p, pp in parents.items() if pp == parent and p not in tree]
            tree.update(children)
            frontier.extend(children)
        return sum(_pss(p) for p in tree), sum(rss.get(p, 0) for p in tree)

    def _run(self) -> None:
        while not self._stop.is_set():
            pss, rss = self._tree()
            self.peak, self.peak_rss = max(self.peak, pss), max(self.peak_rss, rss)
            time.sleep(0.25)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


LAST_PEAK_RSS = [0]


@dataclass(frozen=True)
class Measured:
    """One finished run: wall seconds, CPU seconds (user + sys of every process it started
    and waited for) and the peak memory of its process tree."""

    seconds: float
    cpu: float
    peak_pss: int
    peak_rss: int


def measured_run(command: list[str], cwd: Path | None = None,
                 env: dict[str, str] | None = None) -> Measured:
    """Run `command` (output discarded, CI=1 unless `env` is given); exit on failure."""
    cpu_before = cpu_of_children()
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env if env is not None else {**os.environ, "CI": "1"},
    )
    sampler = PeakMemory(process.pid)
    _, err = process.communicate()
    seconds = time.perf_counter() - started
    peak = sampler.stop()
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{err.decode()[-2000:]}")
    return Measured(seconds, cpu_of_children() - cpu_before, peak, sampler.peak_rss)


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Run `command`; return (seconds, peak PSS bytes of its process tree)."""
    run = measured_run(command, cwd)
    LAST_PEAK_RSS[0] = run.peak_rss
    return run.seconds, run.peak_pss


def bimtek_build(project: Path, out: Path, *extra: str) -> tuple[float, int]:
    return timed([str(BIN / "bimtek"), "build", str(project), "-o", str(out), "--quiet", *extra])


FULL_UP_TO = 60
"""Above this many modules only what the targets name is measured (cold `--jobs 2`, no-op,
one-module edit, peak memory): at 300 modules a cold `--jobs 1` build of every output and
pandoc's run take most of an hour, and the per-core comparison is `equal.py`'s."""


def measure_course(n: int, full_up_to: int = FULL_UP_TO) -> dict[str, float]:
    project = generate(n, WORK / f"course-{n}")
    out = WORK / f"out-{n}"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(project / ".bimtek", ignore_errors=True)  # the caches: cold means no cache
    figures: dict[str, float] = {}
    figures["cold_j2"], figures["peak_mb"] = bimtek_build(project, out, "--jobs", "2")
    figures["peak_mb"] /= 1024 * 1024
    figures["peak_rss_mb"] = LAST_PEAK_RSS[0] / 1024 / 1024
    figures["noop"], _ = bimtek_build(project, out, "--jobs", "2")
    module = sorted((project / "content" / "modules").glob("*.md"))[n // 2]
    with module.open("a", encoding="utf-8") as handle:
        handle.write("\nKalimat tambahan untuk mengukur pembangunan ulang satu modul.\n")
    figures["edit_one"], _ = bimtek_build(project, out, "--jobs", "2")
    if n > full_up_to:
        return figures
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(project / ".bimtek", ignore_errors=True)
    figures["cold_j1"], _ = bimtek_build(project, out, "--jobs", "1")
    figures.update(measure_pandoc(project, WORK / f"pandoc-{n}"))
    if n <= 60:
        figures.update(measure_kinds(n))
    return figures


def measure_kinds(n: int) -> dict[str, float]:
    """Handbook alone (pages per second) and slides alone (decks per second), cold."""
    from pypdf import PdfReader

    project = WORK / f"course-{n}"
    figures: dict[str, float] = {}
    for kind in ("handbook", "slides"):
        out = WORK / f"out-{n}-{kind}"
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(project / ".bimtek", ignore_errors=True)
        seconds, _ = bimtek_build(project, out, "--jobs", "2", "--only", kind)
        figures[f"{kind}_s"] = seconds
        if kind == "handbook":
            pdf = next(out.glob("*/peserta/buku-peserta.pdf"))
            figures["handbook_pages"] = len(PdfReader(str(pdf)).pages)
        else:
            figures["decks"] = len(list(out.glob("*/fasilitator/slide/*.pptx")))
    return figures


def measure_pandoc(project: Path, out: Path) -> dict[str, float]:
    """pandoc on the same Markdown: one deck per module, and one handbook PDF via WeasyPrint."""
    try:
        import pypandoc
    except ImportError:
        return {}
    pandoc = pypandoc.get_pandoc_path()
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    modules = sorted((project / "content" / "modules").glob("*.md"))
    started = time.perf_counter()
    for module in modules:
        subprocess.run(
            [pandoc, str(module), "-o", str(out / f"{module.stem}.pptx")],
            check=True,
            capture_output=True,
        )
    decks = time.perf_counter() - started
    started = time.perf_counter()
    env = {**os.environ, "PATH": f"{BIN}:{os.environ.get('PATH', '')}"}
    subprocess.run(
        [pandoc, *map(str, modules), "--pdf-engine=weasyprint", "-o", str(out / "handbook.pdf")],
        check=True,
        capture_output=True,
        env=env,
    )
    handbook = time.perf_counter() - started
    return {"pandoc_decks": decks, "pandoc_handbook": handbook, "pandoc_total": decks + handbook}


SLIDE_PDFS = ("bahan-tayang", "handout", "catatan-slide")
"""The printed slide outputs of issue #17, whose share of a cold build issue #17 caps at 35 %."""
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", ".bimtek", "src", "tests", "bench",
                                     "dist", "__pycache__", "*.egg-info")


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure_slide_pdf_share(repeat: int = 1) -> dict[str, float]:
    """The default course (this repository's `content/`), cold, `--jobs 1`: every output kind
    against every kind but the three slide PDFs, interleaved, in wall and CPU seconds (CPU is
    what a loaded machine does not distort)."""
    from bimtek_kit.render import available

    project = WORK / "default-course"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(Path(__file__).resolve().parents[1], project, ignore=COPY_IGNORE)
    others = ",".join(kind for kind in available() if kind not in SLIDE_PDFS)
    runs: dict[str, list[tuple[float, float]]] = {"all": [], "without": []}
    for _ in range(repeat):
        for name, extra in (("all", ()), ("without", ("--only", others))):
            out = WORK / f"out-default-{name}"
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(project / ".bimtek", ignore_errors=True)
            cpu = cpu_of_children()
            seconds, _ = bimtek_build(project, out, "--jobs", "1", *extra)
            runs[name].append((seconds, cpu_of_children() - cpu))
    figures = {"runs": repeat}
    for name, values in runs.items():
        figures[f"{name}_s"] = sorted(v[0] for v in values)[len(values) // 2]
        figures[f"{name}_cpu"] = sorted(v[1] for v in values)[len(values) // 2]
    return figures


def report_slide_pdf_share(f: dict[str, float]) -> None:
    print("\n## default course: what the three slide PDFs add to a cold build (--jobs 1, "
          f"median of {f['runs']:.0f} interleaved runs each)")
    print(f"every output             {f['all_s']:8.2f} s   {f['all_cpu']:8.2f} s CPU")
    print(f"without {', '.join(SLIDE_PDFS)}  {f['without_s']:8.2f} s   "
          f"{f['without_cpu']:8.2f} s CPU")
    print(f"slide PDFs add           {100 * (f['all_s'] / f['without_s'] - 1):8.1f} %   "
          f"{100 * (f['all_cpu'] / f['without_cpu'] - 1):8.1f} % CPU   (issue #17: <= 35 %)")


def measure_help(repeat: int = 10) -> tuple[float, float]:
    def best(command: list[str]) -> float:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
        return min(times)

    return best([str(BIN / "bimtek"), "--help"]), best([sys.executable, "-c", "import typer"])


def report(n: int, f: dict[str, float]) -> None:
    cold = f["cold_j2"]
    print(f"\n## {n} modules")
    print(f"cold build, --jobs 2     {cold:8.2f} s")
    if "cold_j1" in f:
        print(f"cold build, --jobs 1     {f['cold_j1']:8.2f} s   "
              f"(speed-up {f['cold_j1'] / cold:.2f}x)")
    print(f"no-op rebuild            {f['noop']:8.2f} s   ({100 * f['noop'] / cold:.1f} % of cold)")
    edit = f["edit_one"]
    print(f"one-module edit          {edit:8.2f} s   ({100 * edit / cold:.1f} % of cold)")
    print(f"peak memory (tree, PSS)  {f['peak_mb']:8.0f} MiB   "
          f"(RSS summed over processes: {f['peak_rss_mb']:.0f} MiB)")
    if "handbook_s" in f:
        pages, decks = f["handbook_pages"], f["decks"]
        print(f"handbook only            {f['handbook_s']:8.2f} s   ({pages:.0f} pages, "
              f"{pages / f['handbook_s']:.1f} pages/s)")
        print(f"slides only              {f['slides_s']:8.2f} s   ({decks:.0f} decks, "
              f"{decks / f['slides_s']:.1f} decks/s)")
    if "pandoc_total" in f:
        print(f"pandoc decks (md->pptx)  {f['pandoc_decks']:8.2f} s")
        print(f"pandoc handbook (pdf)    {f['pandoc_handbook']:8.2f} s")
        print(
            f"bimtek cold / pandoc     {f['cold_j2'] / f['pandoc_total']:8.2f}   "
            "(all bimtek outputs vs pandoc's decks + handbook)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[8, 60, 300])
    parser.add_argument("--share-only", action="store_true",
                        help="only the share the three slide PDFs add to the default course")
    parser.add_argument("--share-repeat", type=int, default=3,
                        help="interleaved cold builds for the slide PDFs' share (0: skip it)")
    parser.add_argument("--full-up-to", type=int, default=FULL_UP_TO,
                        help="largest course measured also with --jobs 1, pandoc and per kind")
    parser.add_argument("--kinds-only", action="store_true",
                        help="only the handbook pages/s and slides decks/s figures")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    if args.kinds_only:
        for n in args.sizes:
            generate(n, WORK / f"course-{n}")
            f = measure_kinds(n)
            print(f"{n:4d} modules: handbook {f['handbook_s']:.2f} s, {f['handbook_pages']:.0f} "
                  f"pages ({f['handbook_pages'] / f['handbook_s']:.1f} pages/s); slides "
                  f"{f['slides_s']:.2f} s, {f['decks']:.0f} decks "
                  f"({f['decks'] / f['slides_s']:.1f} decks/s)")
        return
    print(f"# bimtek-kit benchmark ({os.cpu_count()} cores, {WORK})")
    if args.share_repeat > 0:
        report_slide_pdf_share(measure_slide_pdf_share(args.share_repeat))
    if args.share_only:
        return
    results = {}
    for n in args.sizes:
        results[n] = measure_course(n, args.full_up_to)
        report(n, results[n])
    if 60 in results and 300 in results:
        ratio = results[300]["cold_j2"] / results[60]["cold_j2"]
        print(f"\n300 / 60 modules cold    {ratio:8.2f}x")
    help_time, typer_time = measure_help()
    print(f"\nbimtek --help            {help_time * 1000:8.0f} ms")
    print(
        f"python -c 'import typer' {typer_time * 1000:8.0f} ms   "
        f"(ratio {help_time / typer_time:.2f})"
    )


if __name__ == "__main__":
    main()
