"""Time from saving a module to the preview's reload event (`bimtek serve`, issue #21).

Starts `bimtek serve` on a copy of the default course, listens to its event stream, appends a
sentence to one module, and measures the seconds until the `reload` event arrives and the new
text is in the served chapter. The target is at most 1 s for a handbook chapter.
"""

from __future__ import annotations

import http.client
import os
import queue
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORK = Path(os.environ.get("BIMTEK_BENCH_DIR", "/tmp/bimtek-bench")) / "serve"


def copy_course(target: Path) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    shutil.copy2(REPO / "bimtek.yml", target / "bimtek.yml")
    shutil.copytree(REPO / "content", target / "content")
    return target


def listen(port: int, events: queue.Queue[str]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.request("GET", "/__bimtek/events")
    for raw in connection.getresponse():
        line = raw.decode("utf-8").strip()
        if line.startswith("event: "):
            events.put(line[7:])


def get(port: int, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path)
    return connection.getresponse().read().decode("utf-8")


def chapter_of(port: int, module_id: str) -> str:
    """The handbook chapter's URL, as the module page's first frame names it."""
    page = get(port, f"/modul/{module_id}.html")
    return page.split('data-tab="buku" src="', 1)[1].split('"', 1)[0]


def main(repeat: int = 5) -> None:
    project = copy_course(WORK / "course")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "bimtek"), "serve", "-C", str(project), "--port",
         str(port)], stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        measure(server, port, project, repeat)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


def measure(server: subprocess.Popen[str], port: int, project: Path, repeat: int) -> None:
    started = time.perf_counter()
    for line in server.stdout:  # type: ignore[union-attr]
        if "preview on" in line:
            break
    first = time.perf_counter() - started
    threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
    events: queue.Queue[str] = queue.Queue()
    threading.Thread(target=listen, args=(port, events), daemon=True).start()
    events.get(timeout=60)  # the opening state
    module = sorted((project / "content" / "modules").glob("*.md"))[3]
    times: list[float] = []
    for round_ in range(repeat):
        marker = f"Kalimat ukur nomor {round_}."
        with module.open("a", encoding="utf-8") as handle:
            handle.write(f"\n{marker}\n")
        saved = time.perf_counter()
        assert events.get(timeout=60) == "reload"
        body = get(port, chapter_of(port, module.stem.split("-", 1)[1]))
        times.append(time.perf_counter() - saved)
        assert marker in body.replace("\xad", ""), marker
        time.sleep(0.5)
    print(f"\n## bimtek serve (default course, {os.cpu_count()} cores)")
    print(f"first preview ready          {first:6.2f} s")
    print(f"save -> reload -> new page   {statistics.median(times):6.2f} s median of {repeat} "
          f"(min {min(times):.2f}, max {max(times):.2f}; target <= 1 s)")


if __name__ == "__main__":
    main()
