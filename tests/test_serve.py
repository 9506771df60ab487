"""`bimtek serve` (issue #21): edits reload the page, errors show in the overlay, nothing outside
the project is served, a busy port is a clear message, Ctrl-C stops it."""

from __future__ import annotations

import http.client
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import FEATURE_MODULE

SECOND = """\
---
title: Modul Kedua
code: M2
duration_jp: 2
objectives:
  - menjelaskan hal kedua
  - menerapkan hal kedua
  - menilai hal kedua
---

## Bagian Kedua

Teks awal modul kedua.

- butir satu
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """`bimtek serve` in a child process, with a reader of its event stream."""

    def __init__(self, root: Path) -> None:
        self.port = free_port()
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bimtek_kit", "serve", "-C", str(root), "--port",
             str(self.port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        self.output: list[str] = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()  # type: ignore[union-attr]
            self.output.append(line)
            if "preview on" in line or not line:
                break
        assert any("preview on http://127.0.0.1:" in line for line in self.output), self.output
        self.events: queue.Queue[tuple[str, str]] = queue.Queue()
        threading.Thread(target=self._listen, daemon=True).start()
        assert self.next_event(30)[0] == "problems"  # the stream opens with the current state

    def _listen(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        connection.request("GET", "/__bimtek/events")
        response = connection.getresponse()
        event, data = "", []
        for raw in response:
            line = raw.decode("utf-8").rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                data.append(line[6:])
            elif not line and event:
                self.events.put((event, "\n".join(data)))
                event, data = "", []

    def next_event(self, timeout: float = 30) -> tuple[str, str]:
        return self.events.get(timeout=timeout)

    def get(self, path: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")

    def raw_status(self, request_line: str) -> int:
        """Send a request line exactly as written (no client-side path normalisation)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=30) as sock:
            sock.sendall(f"{request_line}\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
            reply = sock.recv(200).decode("latin-1")
        return int(reply.split()[1])

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGINT)
        out, _ = self.process.communicate(timeout=120)  # a loaded CI machine is slow to stop
        return self.process.returncode, "".join(self.output) + out


@pytest.fixture
def server(make_project):
    root = make_project({"content/modules/01-fitur-lengkap.md": FEATURE_MODULE,
                         "content/modules/02-kedua.md": SECOND})
    running = Server(root)
    yield root, running
    if running.process.poll() is None:
        running.process.kill()
        running.process.wait()


def chapter(running: Server, module_id: str) -> str:
    status, page = running.get(f"/modul/{module_id}.html")
    assert status == 200
    src = page.split('data-tab="buku" src="', 1)[1].split('"', 1)[0]
    return running.get(src)[1]


@pytest.mark.slow
def test_an_edit_reloads_the_page_and_an_error_shows_in_the_overlay(server):
    root, running = server
    assert "Teks awal modul kedua." in chapter(running, "kedua")
    status, course = running.get("/")
    assert status == 200 and "Modul Kedua" in course and "/__bimtek/preview.js" in course
    status, slides = running.get("/slide/kedua.html")  # drawn from the PPTX layout (DESIGN §6)
    assert status == 200 and slides.count("<svg") >= 3 and "Bagian Kedua" in slides

    module = root / "content/modules/02-kedua.md"
    module.write_text(module.read_text("utf-8").replace("Teks awal", "Teks baru"), "utf-8")
    started = time.monotonic()
    assert running.next_event() == ("reload", "")
    seconds = time.monotonic() - started
    assert "Teks baru modul kedua." in chapter(running, "kedua")
    assert seconds < 10, seconds  # bench/serve.py measures the real figure

    module.write_text(module.read_text("utf-8") + "\n::: kuncii\nrahasia\n:::\n", "utf-8")
    event, data = running.next_event()
    line = len(module.read_text("utf-8").splitlines()) - 2
    assert event == "problems"
    assert f"content/modules/02-kedua.md:{line}: unknown directive 'kuncii'" in data
    assert "Teks baru modul kedua." in chapter(running, "kedua")  # the last good preview stays

    module.write_text(module.read_text("utf-8").replace("::: kuncii", "::: catatan"), "utf-8")
    assert running.next_event() == ("reload", "")
    assert "rahasia" not in chapter(running, "kedua")  # a catatan: facilitator view only
    status, guide = running.get("/fasilitator/kedua.html")
    assert status == 200 and "rahasia" in guide.replace("\xad", "")  # soft hyphens

    code, output = running.stop()
    assert code == 0 and "stopped" in output and "Traceback" not in output


@pytest.mark.slow
def test_nothing_outside_the_project_is_served(server):
    root, running = server
    (root / "content/modules/images").mkdir(parents=True, exist_ok=True)
    os.symlink("/etc/passwd", root / "content/modules/images/passwd.png")
    for request in ("GET /../../etc/passwd HTTP/1.1", "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1",
                    "GET /buku/../../../../etc/passwd HTTP/1.1",
                    "GET /content/modules/images/passwd.png HTTP/1.1",
                    "GET /buku/images/passwd.png HTTP/1.1", "GET /bimtek.yml HTTP/1.1"):
        assert running.raw_status(request) == 404, request
    assert running.get("/buku/index.html")[0] == 200


@pytest.mark.slow
def test_a_busy_port_is_a_clear_message(make_project):
    root = make_project({"content/modules/01-fitur-lengkap.md": FEATURE_MODULE})
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "bimtek_kit", "serve", "-C", str(root),
                                 "--port", str(port)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is in use: choose another with --port" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("chromium") or not shutil.which("chromedriver"),
                    reason="needs Debian's chromium and chromium-driver")
def test_chromium_reloads_after_an_edit(server, tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver")
    root, running = server
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--no-first-run", "--disable-background-networking", "--disable-sync",
                 "--disable-component-update", f"--user-data-dir={tmp_path / 'chrome'}"):
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    browser = webdriver.Chrome(options=options, service=service)
    try:
        for width, height in ((1280, 900), (390, 844)):
            browser.set_window_size(width, height)
            browser.get(f"http://127.0.0.1:{running.port}/modul/kedua.html")
            time.sleep(1.0)
            browser.save_screenshot(str(tmp_path / f"serve-{width}.png"))
        module = root / "content/modules/02-kedua.md"
        module.write_text(module.read_text("utf-8").replace("Teks awal", "Teks dari peramban"),
                          "utf-8")
        frame = browser.find_element("css selector", 'iframe[data-tab="buku"]')
        deadline = time.monotonic() + 30
        text = ""
        while time.monotonic() < deadline and "Teks dari peramban" not in text:
            time.sleep(0.3)
            browser.switch_to.frame(frame)
            text = browser.find_element("tag name", "body").text
            browser.switch_to.default_content()
        assert "Teks dari peramban" in text
        shots = os.environ.get("BIMTEK_SCREENSHOTS")
        if shots:
            for png in tmp_path.glob("serve-*.png"):
                shutil.copy(png, shots)
    finally:
        browser.quit()
