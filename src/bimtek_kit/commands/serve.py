"""`bimtek serve`: a live preview on 127.0.0.1 that rebuilds what changed and reloads the page.

One thread watches the project (watchfiles, debounced), rebuilds the in-memory `Preview` and
tells every open page through Server-Sent Events: `reload` after a good rebuild, `problems`
with the `file:line: message` lines after a bad one (the page shows them over the last good
preview). Pages are served only from memory: nothing on disk is reachable through a URL, so
`/../../etc/passwd` and symlinks lead nowhere.
"""

from __future__ import annotations

import contextlib
import errno
import queue
import signal
import threading
import time
import webbrowser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bimtek_kit.errors import UsageError
from bimtek_kit.preview import RELOAD_SCRIPT, SHELL_ASSET, Preview

TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".js": "text/javascript; charset=utf-8", ".png": "image/png", ".jpg": "image/jpeg",
         ".jpeg": "image/jpeg", ".svg": "image/svg+xml", ".gif": "image/gif",
         ".webp": "image/webp"}
HEARTBEAT_SECONDS = 15.0


class Hub:
    """The open pages' event queues; a rebuild sends one event to each."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: list[queue.Queue[tuple[str, str]]] = []

    def join(self) -> queue.Queue[tuple[str, str]]:
        client: queue.Queue[tuple[str, str]] = queue.Queue()
        with self._lock:
            self._clients.append(client)
        return client

    def leave(self, client: queue.Queue[tuple[str, str]]) -> None:
        with self._lock:
            if client in self._clients:
                self._clients.remove(client)

    def send(self, event: str, data: str = "") -> None:
        with self._lock:
            for client in self._clients:
                client.put((event, data))


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], preview: Preview, hub: Hub) -> None:
        self.preview, self.hub, self.stopping = preview, hub, threading.Event()
        super().__init__(address, Handler)


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        """Quiet: requests are not worth a line each in the author's terminal."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        path = unquote(urlsplit(self.path).path)
        if path == "/__bimtek/events":
            self._events()
            return
        if path == "/" + SHELL_ASSET:
            self._send(200, RELOAD_SCRIPT, TYPES[".js"])
            return
        key = path.lstrip("/") or "index.html"
        if key.endswith("/"):
            key += "index.html"
        page = self.server.preview.pages.get(key)
        if page is None:
            self._send(404, b"not found", "text/plain; charset=utf-8")
            return
        self._send(200, page, TYPES.get(Path(key).suffix.lower(), "application/octet-stream"))

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def _events(self) -> None:
        """Stream events until the page goes away or the server stops."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        hub, preview = self.server.hub, self.server.preview
        client = hub.join()
        try:
            self._event("problems", "\n".join(preview.problems))
            while not self.server.stopping.is_set():
                try:
                    event, data = client.get(timeout=HEARTBEAT_SECONDS)
                except queue.Empty:
                    self.wfile.write(b": ping\n\n")
                    self.wfile.flush()
                    continue
                self._event(event, data)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        finally:
            hub.leave(client)

    def _event(self, event: str, data: str) -> None:
        lines = "".join(f"data: {line}\n" for line in (data.splitlines() or [""]))
        self.wfile.write(f"event: {event}\n{lines}\n".encode())
        self.wfile.flush()


def rebuild_and_tell(preview: Preview, hub: Hub, log: bool = True) -> float:
    """Rebuild; send `reload` or `problems`; return the seconds the rebuild took."""
    started = time.perf_counter()
    changed = preview.rebuild()
    seconds = time.perf_counter() - started
    if preview.problems:
        hub.send("problems", "\n".join(preview.problems))
        if log:
            print(f"{len(preview.problems)} error(s):", *preview.problems, sep="\n  ", flush=True)
    elif changed:
        hub.send("reload")
        if log:
            print(f"rebuilt in {seconds:.2f} s, page reloaded", flush=True)
    return seconds


def watch(root: Path, preview: Preview, hub: Hub, stop: threading.Event) -> None:
    """Rebuild on every batch of changes (watchfiles debounces bursts of saves)."""
    from watchfiles import watch as watch_files

    for _changes in watch_files(root, stop_event=stop, debounce=150, step=50,
                                watch_filter=_relevant(root)):
        rebuild_and_tell(preview, hub)


def _relevant(root: Path):  # noqa: ANN202 - a watchfiles filter
    """Sources only: never the build's own outputs and caches, nor editor temp files."""
    ignored = {root / "dist", root / ".bimtek", root / ".git"}

    def accept(_change: object, path: str) -> bool:
        target = Path(path)
        if any(target == d or d in target.parents for d in ignored):
            return False
        name = target.name
        return not (name.startswith(".#") or name.endswith(("~", ".swp", ".tmp")))

    return accept


def open_server(preview: Preview, hub: Hub, host: str, port: int) -> PreviewServer:
    try:
        return PreviewServer((host, port), preview, hub)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} on {host} is in use: choose another with --port") \
                from None
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror}") from None


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000,
          open_browser: bool = False) -> None:
    """Serve the preview until Ctrl-C."""
    # A process started in the background of a script (or by a test runner's worker) inherits
    # SIGINT ignored, and Python then never raises KeyboardInterrupt: Ctrl-C must still stop us.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)
    preview, hub = Preview(root.resolve()), Hub()
    server = open_server(preview, hub, host, port)
    print("building the preview …", flush=True)
    rebuild_and_tell(preview, hub, log=False)
    for problem in preview.problems:
        print(problem, flush=True)
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(root.resolve(), preview, hub, stop),
                               daemon=True)
    watcher.start()
    url = f"http://{host}:{server.server_address[1]}/"
    print(f"preview on {url} (Ctrl-C stops)", flush=True)
    if open_browser:
        webbrowser.open(url)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("\nstopped", flush=True)
    finally:
        stop.set()
        server.stopping.set()
        server.server_close()
