"""Themes: colours, fonts, labels, templates and assets, looked up project-first (DESIGN §2, §8).

A project's `themes/<name>/` wins over the built-in theme of the same name, file by file: a
project may override just `theme.yml` values, one template, or add `template.pptx`.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import Annotated, Any

import jinja2
from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound, meta, nodes
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from bimtek_kit.config import validate
from bimtek_kit.errors import BimtekError, Diagnostics, Loc, did_you_mean, relative_to
from bimtek_kit.paths import builtin_themes_dir
from bimtek_kit.resources import ResourceError, read_regular_file
from bimtek_kit.sources.text import read_source
from bimtek_kit.sources.yamlsource import LineMap, parse_yaml

MAX_THEME_FILE = 32 * 1024 * 1024
"""A theme file (template.pptx, a font) larger than this is refused."""


class ThemeError(BimtekError):
    """The theme is missing or broken."""


class Labels(dict):
    """A label set; `labels.contents` and `labels["contents"]` both work in templates."""

    def __getattr__(self, name: str) -> Any:
        try:
            value = self[name]
        except KeyError:
            raise AttributeError(name) from None
        return Labels(value) if isinstance(value, dict) else value


@dataclass
class Theme:
    name: str
    dirs: tuple[Path, ...]
    """Theme folders, highest priority first (project, then built-in)."""
    settings: dict[str, Any]
    labels: Labels
    language: str = "id"
    logo: Path | None = None
    """The theme's own logo (`logo:` in theme.yml), resolved and checked when loaded."""
    _environment: SandboxedEnvironment | None = field(default=None, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        """For a spawned worker: everything but the Jinja environment, rebuilt on first use."""
        return {**self.__dict__, "_environment": None}

    def find(self, relative: str) -> Path | None:
        """Return the first theme file at `relative`, or None (the one resolver for themes).

        A file that is a symlink leading out of its theme folder, or not a regular file, is
        refused: a theme's `site.css` linked to `/etc/passwd` must not be copied into a site.
        """
        for folder in self.dirs:
            candidate = theme_file(folder, relative)
            if candidate is not None:
                return candidate
        return None

    def read_bytes(self, path: Path) -> bytes:
        """Read a file `find` returned, bounded (a theme file swapped for a device fails)."""
        try:
            return read_regular_file(path, MAX_THEME_FILE)
        except (OSError, ResourceError) as exc:
            raise ThemeError(f"{path}: cannot read theme file: {exc}") from None

    def color(self, name: str) -> str:
        return str(self.settings["colors"][name])

    def fonts(self, role: str) -> list[str]:
        value = self.settings["fonts"][role]
        return [value] if isinstance(value, str) else list(value)

    def environment(self) -> SandboxedEnvironment:
        """Jinja environment over the theme's `templates/` folders, project first.

        Sandboxed and autoescaping: templates may come from a project, and module text is only
        ever passed in as data, never compiled as a template (DESIGN §7).
        """
        if self._environment is None:
            loader = ThemeTemplateLoader(self.dirs)
            env = SandboxedEnvironment(
                loader=loader,
                autoescape=True,
                undefined=StrictUndefined,
                trim_blocks=True,
                lstrip_blocks=True,
            )
            env.template_class = LocatedTemplate
            env.globals["theme"] = self.settings
            env.globals["labels"] = self.labels
            self._environment = env
        return self._environment

    @cached_property
    def fingerprint(self) -> str:
        """Hash of every file of the theme, so a theme edit invalidates cached outputs."""
        digest = hashlib.sha256()
        for folder in self.dirs:
            for path in sorted(folder.rglob("*")):
                relative = path.relative_to(folder).as_posix()
                if theme_file(folder, relative) is None:
                    continue
                digest.update(relative.encode())
                digest.update(self.read_bytes(path))
        return digest.hexdigest()


def theme_file(folder: Path, relative: str) -> Path | None:
    """`folder/relative` when it is a regular file inside `folder`; raise if it leads out."""
    candidate = folder / relative
    if not candidate.is_file():
        return None
    if not candidate.resolve().is_relative_to(folder.resolve()):
        raise ThemeError(
            f"{candidate}: theme file is a symlink to a file outside the theme folder; "
            "copy the file into the theme instead"
        )
    return candidate


class ThemeTemplateLoader(BaseLoader):
    """Templates from the theme folders' `templates/`, through the same checks as `find`.

    Jinja's FileSystemLoader follows symlinks anywhere; an `{% include %}` of a symlinked
    file would put, say, `/etc/passwd` into `index.html`.
    """

    def __init__(self, dirs: tuple[Path, ...]) -> None:
        self.dirs = dirs

    def get_source(self, environment, template):  # type: ignore[no-untyped-def]
        relative = "/".join(("templates", *split_template_path(template)))
        for folder in self.dirs:
            path = theme_file(folder, relative)
            if path is None:
                continue
            try:
                text = read_regular_file(path, MAX_THEME_FILE).decode("utf-8")
            except (OSError, ResourceError, UnicodeDecodeError) as exc:
                raise ThemeError(f"{path}: cannot read template: {exc}") from None
            mtime = path.stat().st_mtime
            return text, str(path), lambda p=path, m=mtime: p.stat().st_mtime == m
        raise TemplateNotFound(template)

    def list_templates(self) -> list[str]:
        names = set()
        for folder in self.dirs:
            templates = folder / "templates"
            for path in templates.rglob("*") if templates.is_dir() else ():
                relative = path.relative_to(folder).as_posix()
                with contextlib.suppress(ThemeError):  # refused when it is loaded
                    if theme_file(folder, relative) is not None:
                        names.add(path.relative_to(templates).as_posix())
        return sorted(names)


def load_theme(
    name: str,
    project_root: Path | None,
    language: str = "id",
    diagnostics: Diagnostics | None = None,
) -> Theme:
    """Find theme `name` in the project and the built-in themes, merge and validate them.

    Every problem (a `theme.yml` value, the logo, a project template) is reported at its
    `file:line` into `diagnostics`; a `ThemeError` carrying them is raised when there are any,
    so `check` finds what `build` would otherwise stumble on halfway (DESIGN §6).
    """
    if not name or name in (".", "..") or any(c in name for c in "/\\:\x00"):
        raise ThemeError(f"theme '{name}' is a path; a theme is the name of a folder in themes/")
    found = Diagnostics()
    dirs = []
    if project_root is not None and (project_root / "themes" / name).is_dir():
        project_theme = (project_root / "themes" / name).resolve()
        if not project_theme.is_relative_to(project_root.resolve()):
            raise ThemeError(
                f"themes/{name} is a symlink to a folder outside the project; "
                "copy the theme into the project instead"
            )
        dirs.append(project_theme)
    builtin = builtin_themes_dir() / name
    if builtin.is_dir():
        dirs.append(builtin.resolve())
    if not dirs:
        available = sorted(p.name for p in builtin_themes_dir().iterdir() if p.is_dir())
        raise ThemeError(f"theme '{name}' not found (available: {', '.join(available)})")
    if not (builtin_themes_dir() / "default").is_dir():
        raise ThemeError("the built-in theme is missing: the installation is broken")
    base = builtin_themes_dir() / "default"
    chain = list(dict.fromkeys([base.resolve(), *reversed(dirs)]))
    root = project_root.resolve() if project_root is not None else base.resolve()
    settings: dict[str, Any] = {}
    labels: dict[str, Any] = {}
    settings_file: tuple[Loc, LineMap] | None = None
    for folder in chain:
        read = _read_yaml(folder / "theme.yml", root, found)
        if read is not None:
            _validate_settings(ThemeSettings, read, found)
            settings = _merge(settings, read[0])
            settings_file = read[1:]
        labels_read = _read_yaml(folder / "labels.yml", root, found)
        if labels_read is not None:
            if labels:  # the built-in set is read first; every later one may only override it
                _check_labels(labels, labels_read[0], (), *labels_read[1:], found)
            labels = _merge(labels, labels_read[0])
    if not found.errors and settings_file is not None:
        _validate_merged(settings, *settings_file, found)
    if language not in labels and not found.errors:
        raise ThemeError(f"theme '{name}' has no labels for language '{language}'")
    all_dirs = tuple(dict.fromkeys([*dirs, base.resolve()]))
    theme = Theme(name, all_dirs, settings, Labels(labels.get(language) or {}), language)
    theme.logo = _theme_logo(theme, root, settings_file, found)
    check_templates(theme, root, found)
    _check_pptx_template(theme.find("template.pptx"), root, found)
    if diagnostics is not None:
        diagnostics.extend(found)
    if found.errors:
        raise ThemeError(f"theme '{name}' has errors", found)
    return theme


def _read_yaml(
    path: Path, root: Path, diagnostics: Diagnostics
) -> tuple[dict[str, Any], Loc, LineMap] | None:
    if theme_file(path.parent, path.name) is None:
        return None
    loc = Loc(relative_to(path, root))
    text = read_source(path, loc, diagnostics)
    document = parse_yaml(text, loc, diagnostics) if text is not None else None
    if document is None:
        return None
    if document.data is not None and not isinstance(document.data, dict):
        diagnostics.error(loc.at(1), f"{path.name} must be a mapping of keys (key: value), "
                                     f"not a {type(document.data).__name__}")
        return None
    return document.data or {}, loc, document.lines


def _check_labels(
    known: dict[str, Any], override: dict[str, Any], path: tuple[str, ...], loc: Loc,
    lines: LineMap, diagnostics: Diagnostics,
) -> None:
    """A project's labels.yml may replace labels, not invent or reshape them: an unknown key
    would be ignored silently and a list where a text is expected breaks the templates."""
    for key, value in override.items():
        where = loc.at(lines.line_of((*path, key)))
        name = ".".join((*path, str(key)))
        if key not in known:
            hint = did_you_mean(str(key), [str(k) for k in known])
            diagnostics.error(where, f"unknown label '{name}'{hint}")
        elif isinstance(known[key], dict):
            if isinstance(value, dict):
                _check_labels(known[key], value, (*path, str(key)), loc, lines, diagnostics)
            else:
                diagnostics.error(where, f"label '{name}' must be a mapping of labels")
        else:
            problem = _label_problem(known[key], value)
            if problem:
                diagnostics.error(where, f"label '{name}' must be {problem}, got {value!r}")


def _label_problem(known: Any, value: Any) -> str:
    """What a label must look like, when `value` does not match the built-in `known`."""
    if isinstance(known, str):
        return "" if isinstance(value, str) else "text"
    fits = isinstance(value, list) and all(isinstance(v, str) for v in value)
    if fits and (len(value) == len(known) or not known):
        return ""
    return f"a list of {len(known)} texts"


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


# --- theme.yml schema ------------------------------------------------------------------------

_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
_LENGTH = re.compile(r"^(\d+(?:\.\d+)?)\s*(pt|mm|cm|in)$")
_MM_PER_UNIT = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72}


def _hex(value: str) -> str:
    if not _HEX.match(value):
        raise ValueError(f"'{value}' is not a colour like #1B3A5C")
    return value


def _length(low_mm: float, high_mm: float, bare_mm: bool = False) -> Any:
    """A CSS length such as `11pt` or `25mm` between two bounds (a bare number is mm where the
    print stack reads it so)."""

    def check(value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ValueError(f"expected a length such as 12mm or 11pt, got {value!r}")
        text = str(value).strip()
        if bare_mm and re.fullmatch(r"\d+(\.\d+)?", text):
            text += "mm"
        match = _LENGTH.match(text)
        if not match:
            raise ValueError(f"expected a length such as 12mm or 11pt, got '{text}'")
        mm = float(match.group(1)) * _MM_PER_UNIT[match.group(2)]
        if not low_mm <= mm <= high_mm:
            raise ValueError(f"'{text}' is outside {low_mm:g}–{high_mm:g} mm")
        return text

    return BeforeValidator(check)


Color = Annotated[str, AfterValidator(_hex)]
FontList = Annotated[
    list[Annotated[str, Field(min_length=1, pattern=r'^[^";{}<>\\]+$')]],
    BeforeValidator(lambda v: [v] if isinstance(v, str) else v),
    Field(min_length=1),
]
def _points(low: float, high: float) -> Any:
    return Annotated[float, Field(ge=low, le=high, strict=False)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Fonts(_Section):
    heading: FontList | None = None
    body: FontList | None = None
    mono: FontList | None = None
    slides: FontList | None = None


class SlideSettings(_Section):
    title_size: _points(16, 60) | None = None
    title_min_size: _points(12, 60) | None = None
    cover_title_size: _points(20, 80) | None = None
    cover_title_min_size: _points(16, 80) | None = None
    subtitle_size: _points(12, 40) | None = None
    body_size: _points(12, 40) | None = None
    body_min_size: _points(10, 40) | None = None
    min_size: _points(8, 32) | None = None
    table_size: _points(10, 32) | None = None
    table_min_size: _points(8, 32) | None = None
    code_size: _points(10, 32) | None = None
    footer_size: _points(6, 20) | None = None
    body_shrink_size: _points(10, 40) | None = None
    body_max_size: _points(12, 40) | None = None
    # No longer read (slides are filled by measured space, issue #16); accepted so that older
    # themes still load.
    max_bullets: Annotated[int, Field(ge=1, le=12)] | None = None
    max_words: Annotated[int, Field(ge=10, le=200)] | None = None
    max_table_rows: Annotated[int, Field(ge=1, le=20)] | None = None
    activity_word_weight: _points(0.2, 1.0) | None = None
    margin_in: _points(0.2, 1.5) | None = None
    mono_font: Annotated[str, Field(min_length=1)] | None = None
    colors: dict[str, Annotated[str, Field(min_length=1)]] | None = None
    layouts: dict[str, Annotated[str, Field(min_length=1)]] | None = None


class HandbookSettings(_Section):
    body_size: Annotated[str, _length(2.4, 8.5)] | None = None  # 7 pt to 24 pt
    line_height: _points(1.0, 3.0) | None = None
    margin: Annotated[str, _length(5, 60)] | None = None
    inner_margin: Annotated[str, _length(5, 60)] | None = None
    pdf_tags: bool | None = None
    keep_lines: Annotated[int, Field(ge=1, le=200)] | None = None


class PrintSettings(_Section):
    body_size: Annotated[str, _length(2.4, 8.5)] | None = None  # 7 pt to 24 pt
    small_size: Annotated[str, _length(2, 7)] | None = None
    write_line_gap: Annotated[str, _length(4, 20)] | None = None
    write_line_color: Color | None = None
    margin: Annotated[str, _length(5, 50, bare_mm=True)] | None = None
    binding_margin: Annotated[str, _length(5, 50, bare_mm=True)] | None = None
    footer_gap: Annotated[str, _length(3, 30, bare_mm=True)] | None = None
    isian_lines: Annotated[int, Field(ge=1, le=20)] | None = None
    comment_lines: Annotated[int, Field(ge=1, le=20)] | None = None
    answer_sheet_columns: Annotated[int, Field(ge=1, le=6)] | None = None
    card_gap: Annotated[str, _length(0, 40, bare_mm=True)] | None = None
    list_margin: Annotated[str, _length(5, 50, bare_mm=True)] | None = None


class ThemeSettings(_Section):
    """`theme.yml`: every key optional in one file (a project theme overrides a few); the
    merged settings must also resolve every slide colour role (`_validate_merged`)."""

    name: str | None = None
    colors: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")], Color] | None = None
    fonts: Fonts | None = None
    slides: SlideSettings | None = None
    handbook: HandbookSettings | None = None
    print: PrintSettings | None = None
    logo: Annotated[str, Field(min_length=1)] | None = None


def _validate_settings(
    model: type[BaseModel], read: tuple[dict[str, Any], Loc, LineMap], diagnostics: Diagnostics
) -> None:
    data, loc, lines = read
    validate(model, data, loc, lines, diagnostics)


def _validate_merged(
    settings: dict[str, Any], loc: Loc, lines: LineMap, diagnostics: Diagnostics
) -> None:
    """Slide colour roles name a colour of `colors` or give a hex value."""
    colors = settings.get("colors") or {}
    for role, value in ((settings.get("slides") or {}).get("colors") or {}).items():
        if str(value) not in colors and not _HEX.match(str(value)):
            diagnostics.error(
                loc.at(lines.line_of(("slides", "colors", role))),
                f"slides.colors.{role}: '{value}' is neither a colour of 'colors' nor a value "
                f"like #1B3A5C{did_you_mean(str(value), colors)}",
            )


def _theme_logo(
    theme: Theme, root: Path, settings_file: tuple[Loc, LineMap] | None, diagnostics: Diagnostics
) -> Path | None:
    """Resolve `logo:` of theme.yml once, inside the theme folder, at load time."""
    from bimtek_kit.resources import ResourceError, check_image, resolve_resource

    reference = theme.settings.get("logo")
    if not reference or not isinstance(reference, str):
        return None  # a wrong type is reported by the schema
    problem = ""
    for folder in theme.dirs:
        try:
            path = resolve_resource(str(reference), folder, (folder,))
            check_image(path)
            return path
        except ResourceError as exc:
            problem = problem or str(exc)
    loc, lines = settings_file or (Loc("theme.yml"), LineMap())
    diagnostics.error(loc.at(lines.line_of(("logo",))),
                      f"logo {problem} (a path inside the theme folder)")
    return None


def _check_pptx_template(path: Path | None, root: Path, diagnostics: Diagnostics) -> None:
    """A `template.pptx` must be a PowerPoint file (a zip with `ppt/presentation.xml`); the
    full check needs python-pptx and happens when the deck is drawn."""
    if path is None:
        return
    import zipfile

    loc = Loc(relative_to(path, root))
    try:
        with zipfile.ZipFile(path) as archive:
            usable = "ppt/presentation.xml" in archive.namelist()
    except (OSError, zipfile.BadZipFile):
        usable = False
    if not usable:
        diagnostics.error(loc, "not a PowerPoint file (.pptx): save the template from PowerPoint "
                               "or LibreOffice Impress as .pptx, or remove it")


# --- templates -------------------------------------------------------------------------------


def check_templates(theme: Theme, root: Path, diagnostics: Diagnostics) -> None:
    """Compile the project's own templates and look for variables the built-in one never gets.

    A syntax error or an undefined variable is reported at the template's own `file:line`; a
    template symlinked out of its theme is refused, never read.
    """
    builtin = builtin_themes_dir().resolve()
    overrides: list[tuple[str, Path]] = []
    for folder in reversed(theme.dirs):
        if folder.is_relative_to(builtin):
            continue
        templates = folder / "templates"
        for path in sorted(p for p in templates.rglob("*") if p.is_file()):
            try:
                theme_file(folder, path.relative_to(folder).as_posix())
            except ThemeError as exc:
                shown = path.relative_to(root) if path.is_relative_to(root) else path
                diagnostics.error(Loc(shown.as_posix()), str(exc).split(": ", 1)[-1])
                continue
            overrides.append((path.relative_to(templates).as_posix(), path))
    if not overrides:
        return  # the built-in templates are tested; parsing them costs a no-op build 0.3 s
    env = theme.environment()
    known = set(env.globals)
    expected: dict[str, set[str]] = {}
    for folder in theme.dirs:
        if folder.is_relative_to(builtin):
            templates = folder / "templates"
            for path in sorted(p for p in templates.rglob("*") if p.is_file()):
                name = path.relative_to(templates).as_posix()
                expected[name] = _undeclared(env, path.read_text(encoding="utf-8"), name)
    everything = set().union(*expected.values()) if expected else set()
    for name, path in overrides:
        loc = Loc(relative_to(path, root))
        text = read_source(path, loc, diagnostics)
        if text is None:
            continue
        try:
            ast = env.parse(text, name, str(path))
        except jinja2.TemplateSyntaxError as exc:
            diagnostics.error(loc.at(exc.lineno), f"template syntax error: {exc.message}")
            continue
        allowed = expected.get(name, everything) | known
        for variable in sorted(meta.find_undeclared_variables(ast) - allowed):
            line = next((n.lineno for n in ast.find_all(nodes.Name) if n.name == variable), 1)
            hint = _did_you_mean(variable, allowed)
            diagnostics.error(loc.at(line), f"template uses undefined variable '{variable}'{hint}")


def _undeclared(env: SandboxedEnvironment, text: str, name: str) -> set[str]:
    return set(meta.find_undeclared_variables(env.parse(text, name)))


def _did_you_mean(word: str, choices: set[str]) -> str:
    return did_you_mean(word, sorted(choices))


class LocatedTemplate(jinja2.Template):
    """A template whose errors while rendering name the project template's `file:line`.

    Errors in a project's template override are the author's to fix (exit 1); an error in a
    built-in template is still a bug and is raised unchanged.
    """

    def render(self, *args: Any, **kwargs: Any) -> str:
        try:
            return super().render(*args, **kwargs)
        except BimtekError:
            raise
        except Exception as exc:
            located = _project_template_frame(exc.__traceback__)
            if located is None:
                raise
            path, line = located
            diagnostics = Diagnostics()
            message = getattr(exc, "message", None) or str(exc)
            diagnostics.error(Loc(path, line), f"template error: {message}")
            raise ThemeError(f"{path}:{line}: template error: {message}", diagnostics) from None


def _project_template_frame(tb: TracebackType | None) -> tuple[str, int] | None:
    """The innermost traceback frame in a template that is not one of the built-in ones."""
    builtin = str(builtin_themes_dir().resolve())
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if "/templates/" in filename.replace("\\", "/") and not filename.startswith(builtin):
            found = (_shown_path(filename), tb.tb_lineno)
        tb = tb.tb_next
    return found


def _shown_path(filename: str) -> str:
    """`themes/<name>/templates/…` relative to its project when the path has that shape."""
    parts = Path(filename).parts
    for index in range(len(parts) - 1, -1, -1):
        if parts[index] == "themes":
            return Path(*parts[index:]).as_posix()
    return filename
