"""Themes: colours, fonts, labels, templates and assets, looked up project-first (DESIGN §2, §8).

A project's `themes/<name>/` wins over the built-in theme of the same name, file by file: a
project may override just `theme.yml` values, one template, or add `template.pptx`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from bimtek_kit.errors import BimtekError
from bimtek_kit.paths import builtin_themes_dir


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

    def __getstate__(self) -> dict[str, Any]:
        """For a spawned worker: everything but the Jinja environment, rebuilt on first use."""
        return {**self.__dict__, "_environment": None}

    def find(self, relative: str) -> Path | None:
        """Return the first theme file at `relative`, or None."""
        for folder in self.dirs:
            candidate = folder / relative
            if candidate.is_file():
                return candidate
        return None

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
            loader = FileSystemLoader([str(d / "templates") for d in self.dirs])
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
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                digest.update(path.relative_to(folder).as_posix().encode())
                digest.update(path.read_bytes())
        return digest.hexdigest()


def load_theme(name: str, project_root: Path | None, language: str = "id") -> Theme:
    """Find theme `name` in the project and the built-in themes and merge their settings."""
    dirs = []
    if project_root is not None and (project_root / "themes" / name).is_dir():
        dirs.append((project_root / "themes" / name).resolve())
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
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
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
