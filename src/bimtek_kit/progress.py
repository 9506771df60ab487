"""Build progress: a rich bar per output kind on a terminal, plain lines in CI or a pipe."""

from __future__ import annotations

import os
import sys
from collections import Counter
from typing import Any

from bimtek_kit.render.base import Job


def interactive() -> bool:
    """A live bar only on a terminal and never in CI (`CI` is set by every CI service)."""
    return sys.stderr.isatty() and not os.environ.get("CI")


class PlainProgress:
    """One line per job: what CI logs should show."""

    def __init__(self) -> None:
        self.total = 0
        self.count = 0

    def start(self, jobs: list[Job]) -> None:
        self.total = len(jobs)

    def done(self, job: Job, reused: bool) -> None:
        self.count += 1
        state = "reused" if reused else "built"
        for output in job.outputs:
            print(f"[{self.count}/{self.total}] {state:<6} {output}", file=sys.stderr)

    def close(self) -> None:
        pass


class BarProgress:
    """A rich progress bar per output kind."""

    def __init__(self) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.bar = Progress(
            TextColumn("{task.description:<11}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=False,
        )
        self.tasks: dict[str, Any] = {}

    def start(self, jobs: list[Job]) -> None:
        self.bar.start()
        for kind, total in Counter(job.renderer for job in jobs).items():
            self.tasks[kind] = self.bar.add_task(kind, total=total)

    def done(self, job: Job, reused: bool) -> None:
        self.bar.advance(self.tasks[job.renderer])

    def close(self) -> None:
        self.bar.stop()


class QuietProgress:
    def start(self, jobs: list[Job]) -> None:
        pass

    def done(self, job: Job, reused: bool) -> None:
        pass

    def close(self) -> None:
        pass


def make_progress(quiet: bool) -> PlainProgress | BarProgress | QuietProgress:
    if quiet:
        return QuietProgress()
    return BarProgress() if interactive() else PlainProgress()
