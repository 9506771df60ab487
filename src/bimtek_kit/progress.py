"""Build progress: a rich bar on a terminal, one plain line per file in CI or a pipe."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from bimtek_kit.render import Job


def _interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


@contextmanager
def progress_reporter(quiet: bool = False) -> Iterator:
    """Yield a hook `(job, done, total)` that shows progress the right way for the terminal."""
    if quiet:
        yield None
        return
    if not _interactive():

        def plain(job: Job, done: int, total: int) -> None:
            for output in job.outputs:
                print(f"[{done}/{total}] {output}", file=sys.stderr)

        yield plain
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task("building", total=None)

        def rich_hook(job: Job, done: int, total: int) -> None:
            bar.update(task, total=total, completed=done, description=f"{job.renderer:<10}")

        yield rich_hook
