"""Themes: colours, fonts, labels, templates and assets, looked up project-first (DESIGN §2, §8).

A project's `themes/<name>/` wins over the built-in theme of the same name, file by file: a
project may override just `theme.yml` values, one template, or add `template.pptx`.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from bimtek_kit.errors import BimtekError
from bimtek_kit.paths import builtin_themes_dir
from bimtek_kit.resources import ResourceError, read_regular_file

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
    _environment: SandboxedEnvironment | None = field(default=None, repr=False)

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


def load_theme(name: str, project_root: Path | None, language: str = "id") -> Theme:
    """Find theme `name` in the project and the built-in themes and merge their settings."""
    if not name or name in (".", "..") or any(c in name for c in "/\\:\x00"):
        raise ThemeError(f"theme '{name}' is a path; a theme is the name of a folder in themes/")
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
    chain = [base.resolve(), *reversed(dirs)]
    settings: dict[str, Any] = {}
    labels: dict[str, Any] = {}
    for folder in dict.fromkeys(chain):
        settings = _merge(settings, _read_yaml(folder / "theme.yml"))
        labels = _merge(labels, _read_yaml(folder / "labels.yml"))
    if language not in labels:
        raise ThemeError(f"theme '{name}' has no labels for language '{language}'")
    all_dirs = tuple(dict.fromkeys([*dirs, base.resolve()]))
    return Theme(name, all_dirs, settings, Labels(labels[language]), language)


def _read_yaml(path: Path) -> dict[str, Any]:
    if theme_file(path.parent, path.name) is None:
        return {}
    try:
        text = read_regular_file(path, MAX_THEME_FILE).decode("utf-8-sig")
        data = yaml.safe_load(text)
    except (yaml.YAMLError, UnicodeDecodeError, OSError, ResourceError) as exc:
        raise ThemeError(f"{path}: cannot read theme file: {exc}") from None
    if data is not None and not isinstance(data, dict):
        raise ThemeError(f"{path}: expected a mapping of keys")
    return data or {}


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged
