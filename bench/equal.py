"""bimtek beside pandoc on equal terms (issue #23): the same Markdown files, the same cores.

Both tools read one plain course (`plain.py`: sections, lists, tables, speaker notes; nothing
only bimtek understands). Every run is cold (outputs and caches removed), the configurations
are interleaved in each repetition (so a slow moment of the machine hits all of them alike) and
medians are reported, with the page and slide counts each tool produced. The ratios come last:

- per core: `bimtek build --only slides,handbook --jobs 1` against pandoc's decks, one process
  per deck run one after another, plus pandoc's handbook (md -> html -> WeasyPrint);
- two cores: `--jobs 2` against pandoc's decks run two at a time (`xargs -P 2`) plus its handbook;
- slides alone: `--only slides --jobs 1` against pandoc's decks run serially.

Each run is timed twice: wall seconds and CPU seconds (user + sys of every process it started,
from `getrusage(RUSAGE_CHILDREN)`). On the shared 2-core machine other work slows the wall
clock, not the CPU count, so the per-core ratios and the slides ratio are taken from CPU
seconds; the two-core ratio needs the wall clock (two processes at once is the point) and is
only meaningful on a quiet machine: the load average before and after is printed with it.
bimtek runs from the sources beside this file (`src/`), with bytecode caching on for both
tools (pandoc's handbook runs WeasyPrint in the same interpreter).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plain import generate_plain  # noqa: E402

BIN = Path(sys.executable).parent
SRC = Path(__file__).resolve().parent.parent / "src"
WORK = Path(os.environ.get("BIMTEK_BENCH_DIR", "/tmp/bimtek-bench")) / "equal"
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "CI": "1",
       "PATH": f"{BIN}:{os.environ.get('PATH', '')}",
       "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))}


def run(command: list[str], cwd: Path | None = None) -> None:
    done = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr.decode()[-2000:]}")


def pandoc() -> str | None:
    found = shutil.which("pandoc")
    if found:
        return found
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError):
        return None


class Runs:
    """The configurations to time; each method does one cold run into `out`."""

    def __init__(self, project: Path, out: Path, pandoc_bin: str) -> None:
        self.project, self.out, self.pandoc = project, out, pandoc_bin
        self.modules = sorted((project / "content" / "modules").glob("*.md"))

    def _fresh(self) -> Path:
        shutil.rmtree(self.out, ignore_errors=True)
        shutil.rmtree(self.project / ".bimtek", ignore_errors=True)
        self.out.mkdir(parents=True)
        return self.out

    def bimtek(self, kinds: str, jobs: int) -> Callable[[], None]:
        def go() -> None:
            out = self._fresh()
            run([sys.executable, "-m", "bimtek_kit", "build", str(self.project), "-o", str(out),
                 "--quiet", "--only", kinds, "--jobs", str(jobs)])
        return go

    def pandoc_decks(self, parallel: int) -> Callable[[], None]:
        def go() -> None:
            out = self._fresh()
            names = "\n".join(str(m) for m in self.modules).encode()
            script = f'"{self.pandoc}" "$0" -o "{out}/$(basename "$0" .md).pptx"'
            subprocess.run(["xargs", "-P", str(parallel), "-n", "1", "sh", "-c", script],
                           input=names, check=True, capture_output=True, env=ENV)
        return go

    def pandoc_handbook(self) -> None:
        out = self._fresh()
        # pandoc writes its intermediate HTML into the working folder: the output folder.
        run([self.pandoc, *map(str, self.modules), "--pdf-engine=weasyprint",
             "-o", str(out / "handbook.pdf")], cwd=out)


def counts(out: Path) -> tuple[int, int]:
    """(handbook pages, slides) found under `out` after a run."""
    from pptx import Presentation
    from pypdf import PdfReader

    pdfs = [p for p in out.rglob("*.pdf") if p.stem in ("handbook", "buku-peserta")]
    pages = sum(len(PdfReader(str(p)).pages) for p in pdfs)
    slides = sum(len(Presentation(str(p)).slides) for p in out.rglob("*.pptx"))
    return pages, slides


def children_cpu() -> float:
    """User + sys seconds of every finished child process so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def measure(n: int, repeat: int) -> None:
    pandoc_bin = pandoc()
    if pandoc_bin is None:
        print("pandoc not found: install it (apt-get install pandoc) or `pip install "
              "pypandoc-binary` for the equal-terms comparison")
        return
    project = generate_plain(n, WORK / f"plain-{n}")
    runs = Runs(project, WORK / f"out-{n}", pandoc_bin)
    configs: dict[str, Callable[[], None]] = {
        "pandoc decks, serial": runs.pandoc_decks(1),
        "pandoc decks, xargs -P 2": runs.pandoc_decks(2),
        "pandoc handbook (md->html->WeasyPrint)": runs.pandoc_handbook,
        "bimtek slides, --jobs 1": runs.bimtek("slides", 1),
        "bimtek handbook, --jobs 1": runs.bimtek("handbook", 1),
        "bimtek slides+handbook, --jobs 1": runs.bimtek("slides,handbook", 1),
        "bimtek slides+handbook, --jobs 2": runs.bimtek("slides,handbook", 2),
    }
    times: dict[str, list[float]] = {name: [] for name in configs}
    cpu_times: dict[str, list[float]] = {name: [] for name in configs}
    made: dict[str, tuple[int, int]] = {}
    names = list(configs)
    load_before = load()
    for rep in range(repeat):
        order = names[rep % len(names):] + names[:rep % len(names)]  # interleaved, rotated
        for name in order:
            started, cpu_started = time.perf_counter(), children_cpu()
            configs[name]()
            times[name].append(time.perf_counter() - started)
            cpu_times[name].append(children_cpu() - cpu_started)
            made[name] = counts(runs.out)
    wall = {name: statistics.median(values) for name, values in times.items()}
    med = {name: statistics.median(values) for name, values in cpu_times.items()}
    print(f"\n## Equal terms: one plain course of {n} modules, {os.cpu_count()} cores, "
          f"{repeat} interleaved cold runs each, medians")
    print(f"load average before {load_before}, after {load()}")
    print(f"{'work':44s} {'seconds':>8s}  {'pages':>6s} {'slides':>6s} {'cpu s':>8s}")
    for name in names:
        pages, slides = made[name]
        print(f"{name:44s} {wall[name]:8.2f}  {pages or '':>6} {slides or '':>6} "
              f"{med[name]:8.2f}")
    deck_serial, deck_p2 = med["pandoc decks, serial"], wall["pandoc decks, xargs -P 2"]
    handbook = med["pandoc handbook (md->html->WeasyPrint)"]
    wall_handbook = wall["pandoc handbook (md->html->WeasyPrint)"]
    bim_pages = made["bimtek handbook, --jobs 1"][0]
    bim_slides = made["bimtek slides, --jobs 1"][1]
    print(f"\nbimtek handbook {1000 * med['bimtek handbook, --jobs 1'] / max(bim_pages, 1):.0f} "
          f"ms/page, slides {1000 * med['bimtek slides, --jobs 1'] / max(bim_slides, 1):.1f} "
          f"ms/slide; pandoc handbook "
          f"{1000 * handbook / max(made['pandoc handbook (md->html->WeasyPrint)'][0], 1):.0f} "
          f"ms/page, decks {1000 * deck_serial / max(made['pandoc decks, serial'][1], 1):.1f} "
          "ms/slide")
    print("ratios (bimtek / pandoc; below 1.0 bimtek is faster; per core and slides in CPU "
          "seconds, two cores in wall seconds):")
    print(f"  per core   slides+handbook --jobs 1 / (decks serial + handbook)   "
          f"{med['bimtek slides+handbook, --jobs 1'] / (deck_serial + handbook):5.2f}  "
          "(target <= 1.0)")
    print(f"  two cores  slides+handbook --jobs 2 / (decks -P 2 + handbook)     "
          f"{wall['bimtek slides+handbook, --jobs 2'] / (deck_p2 + wall_handbook):5.2f}  "
          "(target <= 0.6)")
    print(f"  slides     slides --jobs 1 / decks serial                         "
          f"{med['bimtek slides, --jobs 1'] / deck_serial:5.2f}  (target <= 1.0)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", nargs="?", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    measure(args.n, args.repeat)


if __name__ == "__main__":
    main()
