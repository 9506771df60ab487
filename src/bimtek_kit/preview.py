"""The live preview's pages, kept in memory and rebuilt page by page (`bimtek serve`, issue #21).

A preview is HTML only: the handbook site's pages, each module's worksheet and facilitator-guide
pages as HTML, its slides as SVG when the slide drawer can make them, and a course page with the
schedule and the checks. No PDF is laid out, so a save shows in the browser in well under a
second. Each page is keyed by a fingerprint of what it reads (its module's source, the theme,
`bimtek.yml`); a rebuild renders only the pages whose fingerprint changed.

When the sources have errors the last good pages stay and `problems` holds the `file:line:
message` lines for the overlay.
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass, field
from pathlib import Path

from bimtek_kit.errors import BimtekError, ContentError, Diagnostics
from bimtek_kit.model import Course, Module

SHELL_ASSET = "__bimtek/preview.js"


@dataclass
class Preview:
    """Every page of the preview by URL path (no leading slash), and the current problems."""

    root: Path
    pages: dict[str, bytes] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    version: int = 0
    _models: dict[str, tuple[Module, list]] = field(default_factory=dict)
    _theme: tuple[str, object] | None = None
    _shared: str = ""
    _module_keys: dict[str, str] = field(default_factory=dict)

    def rebuild(self) -> bool:
        """Reload the course and re-render what changed; True when the browser should reload
        (new pages or new problems)."""
        before = (self.version, list(self.problems))
        diagnostics = Diagnostics()
        try:
            course = self._load(diagnostics)
            changed = self._render(self._context(course), diagnostics)
        except ContentError as error:
            self.problems = [str(d) for d in error.diagnostics.errors] or [str(error)]
            return self.problems != before[1]
        except BimtekError as error:
            self.problems = [str(error)]
            return self.problems != before[1]
        self.problems = []
        if changed:
            self.version += 1
        return (self.version, self.problems) != before

    def _load(self, diagnostics: Diagnostics) -> Course:
        """Load the course, parsing only the modules whose text changed since the last time."""
        from bimtek_kit.loader import load_course
        from bimtek_kit.modelcache import ModelCache

        class InMemory(ModelCache):
            """Parsed modules kept as objects between rebuilds (frozen, so safe to share)."""

            def get(inner, key: str):  # noqa: ANN202, N805
                inner.used.add(key)
                return self._models.get(key)

            def put(inner, key: str, module: Module, found: list) -> None:  # noqa: N805
                inner.used.add(key)
                self._models[key] = (module, list(found))

        models = InMemory(None)
        course = load_course(self.root, diagnostics, models)
        for stale in set(self._models) - models.used:
            del self._models[stale]
        return course

    def _context(self, course: Course):  # noqa: ANN202 - RenderContext, imported lazily
        """A render context; the theme (and its compiled templates) is kept while its files,
        name and language stay the same, so an edit does not recompile every template."""
        from bimtek_kit.render.base import RenderContext
        from bimtek_kit.themes import load_theme

        theme = load_theme(course.config.theme, course.root, course.config.language)
        key = _digest(course.config.theme, course.config.language, *_theme_files(theme))
        if self._theme is None or self._theme[0] != key:
            self._theme = (key, theme)
        return RenderContext(course, self._theme[1], 0)

    def _render(self, ctx, diagnostics: Diagnostics) -> bool:  # noqa: ANN001
        """Render the pages whose inputs changed; return whether any page changed.

        A module's edit re-renders its chapter, worksheet, guide and slide pages and the two
        index pages; `bimtek.yml`, the theme or any other source re-renders everything.
        """
        from bimtek_kit.render.handbook.site import render_site, site_folder

        course = ctx.course
        module_files = {m.loc.path for m in course.modules}
        shared = _digest(repr(course.config), self._theme[0] if self._theme else "",
                         *(f"{path}:{text}" for path, text in sorted(course.sources.items())
                           if path not in module_files))
        keys = {m.id: _digest(m.loc.path, course.sources.get(m.loc.path, ""))
                for m in course.modules}
        everything = shared != self._shared or set(keys) != set(self._module_keys)
        changed = [m for m in course.modules
                   if everything or keys[m.id] != self._module_keys.get(m.id)]
        pages = {} if everything else dict(self.pages)
        only = None if everything else {"index.html", *_chapter_files(ctx, changed)}
        folder = site_folder(ctx) + "/"
        for artifact in render_site(ctx, only):
            pages["buku/" + artifact.path[len(folder):]] = artifact.data
        for module in changed:
            pages[f"modul/{module.id}.html"] = module_page(ctx, module)
            pages[f"lembar-kerja/{module.id}.html"] = worksheet(ctx, module)
            pages[f"fasilitator/{module.id}.html"] = guide(ctx, module)
            pages[f"slide/{module.id}.html"] = slides(ctx, module)
        pages["index.html"] = course_page(ctx, [str(d) for d in diagnostics.warnings])
        self._shared, self._module_keys = shared, keys
        differs = pages != self.pages
        self.pages = pages
        return differs


def _chapter_files(ctx, modules: list[Module]) -> list[str]:  # noqa: ANN001
    """The handbook site's page names of these modules' chapters."""
    from bimtek_kit.render.handbook.content import Book
    from bimtek_kit.render.handbook.site import site_pages

    ids = {m.id for m in modules}
    book = Book(ctx, image_url=lambda image: None, align_classes=True)
    return [page.file for page in site_pages(book)
            if any(page.file.endswith(f"-{module_id}.html") for module_id in ids)]


def module_page(ctx, module: Module) -> bytes:  # noqa: ANN001
    """The frame of a module: its handbook chapter, slides, worksheet and, behind a toggle, the
    facilitator's view, each an iframe the reload script refreshes in place."""
    from bimtek_kit.render.handbook.site import site_folder, site_outputs

    folder = site_folder(ctx) + "/"
    chapter = next((p[len(folder):] for p in site_outputs(ctx)
                    if p.endswith(f"-{module.id}.html")), "index.html")
    title = html.escape(f"{module.code} · {module.title}")
    tabs = [("buku", f"/buku/{chapter}", "Buku peserta"),
            ("slide", f"/slide/{module.id}.html", "Slide"),
            ("lembar-kerja", f"/lembar-kerja/{module.id}.html", "Lembar kerja"),
            ("fasilitator", f"/fasilitator/{module.id}.html", "Fasilitator (jangan dibagikan)")]
    buttons = "".join(
        f'<button data-tab="{name}"{" class=on" if i == 0 else ""}'
        f'{" data-facilitator" if name == "fasilitator" else ""}>{html.escape(label)}</button>'
        for i, (name, _, label) in enumerate(tabs))
    frames = "".join(
        f'<iframe data-tab="{name}" src="{src}" title="{html.escape(label)}"'
        f'{"" if i == 0 else " hidden"}></iframe>'
        for i, (name, src, label) in enumerate(tabs))
    nav = "".join(
        f'<a href="/modul/{m.id}.html"{" aria-current=page" if m is module else ""}>'
        f"{html.escape(m.code)}</a>" for m in ctx.course.modules)
    body = (f'<nav class="modules"><a href="/">Kursus</a>{nav}</nav>'
            f'<header><h1>{title}</h1><div class="tabs">{buttons}'
            '<label><input type="checkbox" id="facilitator"> tampilan fasilitator</label>'
            f"</div></header><main>{frames}</main>")
    return _shell(title, body)


def course_page(ctx, warnings: list[str]) -> bytes:  # noqa: ANN001
    """The course: modules with their JP, the schedule as HTML and the checks."""
    from bimtek_kit.schedule import build_timetable

    course = ctx.course
    rows = "".join(
        f'<tr><td>{html.escape(m.code)}</td><td><a href="/modul/{m.id}.html">'
        f"{html.escape(m.title)}</a></td><td>{m.duration_jp}</td></tr>" for m in course.modules)
    from bimtek_kit.localize import format_date, format_range

    days = []
    language = course.config.language
    for day in build_timetable(course).days:
        items = "".join(
            f"<li>{format_range(row.start, row.end, language)} {html.escape(row.label)}"
            f"{f' ({row.jp} JP)' if row.jp else ''}</li>" for row in day.rows)
        when = format_date(day.date, ctx.theme.labels) if day.date else ""
        days.append(f"<h3>{day.number}. {html.escape(when)}</h3><ul>{items}</ul>")
    checks = ("<p class=ok>Tidak ada masalah.</p>" if not warnings else
              "<ul class=warnings>" + "".join(f"<li><code>{html.escape(w)}</code></li>"
                                               for w in warnings) + "</ul>")
    body = (f"<header><h1>{html.escape(course.config.title)}</h1></header><main class=course>"
            f'<p><a href="/buku/index.html">Buku peserta</a></p>'
            f"<h2>Modul</h2><table><tr><th>Kode</th><th>Judul</th><th>JP</th></tr>{rows}</table>"
            f"<h2>Jadwal</h2>{''.join(days)}<h2>Pemeriksaan</h2>{checks}</main>")
    return _shell(course.config.title, body)


def worksheet(ctx, module: Module) -> bytes:  # noqa: ANN001
    from bimtek_kit.render.paper.worksheets import worksheet_html

    return worksheet_html(ctx, [module]).encode("utf-8")


def guide(ctx, module: Module) -> bytes:  # noqa: ANN001
    from bimtek_kit.render.paper.guide import guide_html

    return guide_html(ctx, None, module).encode("utf-8")


def slides(ctx, module: Module) -> bytes:  # noqa: ANN001
    """The module's slides drawn to SVG from the same layout as the PPTX (DESIGN §6)."""
    from markupsafe import escape

    from bimtek_kit.render.slides.renderer import lay_out_deck
    from bimtek_kit.render.slides.svgdraw import SlideSvg

    laid = lay_out_deck(ctx, module)
    drawer = SlideSvg(laid, ctx.theme.labels.get("diagram", "Bagan"))
    figures = "".join(
        f'<figure class="slide" id="slide-{number}">{drawer.page(page, number)}'
        f"<figcaption>{number}. {escape(page.title.text)}</figcaption></figure>"
        for number, page in enumerate(laid.pages, start=1))
    return ("<!doctype html><html><head><meta charset=utf-8><style>"
            "body{margin:0;padding:8px;background:#d9dde2;font:13px system-ui,sans-serif}"
            ".slide{margin:12px auto;max-width:960px}.slide svg{display:block;width:100%;"
            "height:auto;background:#fff;box-shadow:0 1px 4px #0004}"
            "figcaption{color:#444;padding:4px 2px}</style></head><body>"
            + figures + "</body></html>").encode("utf-8")


def _shell(title: str, body: str) -> bytes:
    return (
        "<!doctype html><html lang=id><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)} · pratinjau bimtek</title>"
        f'<style>{SHELL_CSS}</style></head><body>{body}'
        '<div id="bimtek-overlay" hidden><h2>Ada kesalahan di sumber</h2><pre></pre>'
        "<p>Pratinjau terakhir yang berhasil tetap ditampilkan di bawah.</p></div>"
        f'<script src="/{SHELL_ASSET}"></script></body></html>'
    ).encode()


SHELL_CSS = """
body{margin:0;font:15px/1.45 system-ui,sans-serif;color:#1f2328;background:#f4f6f8}
header{background:#1b3a5c;color:#fff;padding:.6rem 1rem}
header h1{font-size:1.15rem;margin:0 0 .4rem}
nav.modules{display:flex;flex-wrap:wrap;gap:.2rem;padding:.4rem 1rem;background:#e6ebf0}
nav.modules a{padding:.15rem .5rem;border-radius:3px;color:#1b3a5c;text-decoration:none}
nav.modules a[aria-current]{background:#1b3a5c;color:#fff}
.tabs{display:flex;flex-wrap:wrap;gap:.3rem;align-items:center}
.tabs button{border:0;border-radius:3px;padding:.3rem .7rem;background:#fff3;color:#fff;
  cursor:pointer}
.tabs button.on{background:#c9a227;color:#1f2328}
.tabs button[data-facilitator]{display:none}
body.facilitator .tabs button[data-facilitator]{display:inline-block}
.tabs label{margin-left:auto;font-size:.85rem}
main iframe{width:100%;height:calc(100vh - 7.5rem);border:0;background:#fff}
main.course{max-width:60rem;margin:1rem auto;padding:0 1rem}
main.course table{border-collapse:collapse}
main.course td,main.course th{border:1px solid #c8cdd3;padding:.2rem .5rem;text-align:left}
.warnings code{white-space:pre-wrap}
#bimtek-overlay{position:fixed;inset:1rem;z-index:9;overflow:auto;background:#fff;
  border:3px solid #b3261e;border-radius:6px;padding:1rem 1.5rem;box-shadow:0 4px 24px #0006}
#bimtek-overlay pre{white-space:pre-wrap;color:#b3261e;font-size:.95rem}
@media (max-width:600px){main iframe{height:calc(100vh - 10rem)}.tabs label{margin-left:0}}
"""

RELOAD_SCRIPT = """
(function () {
  var key = 'bimtek-scroll:' + location.pathname;
  addEventListener('load', function () {
    var y = sessionStorage.getItem(key);
    if (y !== null) { scrollTo(0, +y); sessionStorage.removeItem(key); }
  });
  addEventListener('beforeunload', function () { sessionStorage.setItem(key, scrollY); });
  var body = document.body;
  var toggle = document.getElementById('facilitator');
  function show(name) {
    document.querySelectorAll('.tabs button').forEach(function (b) {
      b.classList.toggle('on', b.dataset.tab === name); });
    document.querySelectorAll('main iframe').forEach(function (f) {
      f.hidden = f.dataset.tab !== name; });
  }
  document.querySelectorAll('.tabs button').forEach(function (b) {
    b.addEventListener('click', function () { show(b.dataset.tab); });
  });
  if (toggle) {
    toggle.checked = sessionStorage.getItem('bimtek-facilitator') === '1';
    body.classList.toggle('facilitator', toggle.checked);
    toggle.addEventListener('change', function () {
      sessionStorage.setItem('bimtek-facilitator', toggle.checked ? '1' : '0');
      body.classList.toggle('facilitator', toggle.checked);
      if (!toggle.checked) { show('buku'); }
    });
  }
  var overlay = document.getElementById('bimtek-overlay');
  var source = new EventSource('/__bimtek/events');
  source.addEventListener('reload', function () {
    overlay.hidden = true;
    var frames = document.querySelectorAll('main iframe');
    if (!frames.length) { location.reload(); return; }
    frames.forEach(function (f) {
      var y = f.contentWindow ? f.contentWindow.scrollY : 0;
      f.addEventListener('load', function restore() {
        f.contentWindow.scrollTo(0, y); f.removeEventListener('load', restore); });
      f.contentWindow.location.reload();
    });
  });
  source.addEventListener('problems', function (event) {
    overlay.querySelector('pre').textContent = event.data;
    overlay.hidden = !event.data;
  });
})();
""".strip().encode("utf-8")


def _theme_files(theme) -> list[str]:  # noqa: ANN001
    """The theme's files by content, so a theme edit rebuilds every page."""
    digests = []
    for folder in theme.dirs:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and not path.is_symlink():
                digests.append(f"{path.relative_to(folder)}:{_digest_bytes(path.read_bytes())}")
    return digests


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
