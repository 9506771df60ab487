"""The theme's values (theme.yml) as CSS custom properties for the handbook PDF and site.

Colours, fonts and sizes live once, in theme.yml (DESIGN §8); the stylesheets only refer to
`var(--color-primary)` and friends. Values are checked so a theme cannot smuggle in other CSS.
"""

from __future__ import annotations

import re

from bimtek_kit.themes import Theme, ThemeError

PAPER_SIZES = {"A4": ("210mm", "297mm"), "F4": ("215mm", "330mm"), "Letter": ("8.5in", "11in")}

_COLOR = re.compile(r"^(#[0-9A-Fa-f]{3,8}|[a-zA-Z]+)$")
_LENGTH = re.compile(r"^\d+(\.\d+)?(pt|mm|cm|in|px|em|rem)$")
_NUMBER = re.compile(r"^\d+(\.\d+)?$")


def theme_css(theme: Theme, paper: str | None = None) -> str:
    """Colours, fonts and sizes of `theme.yml` as custom properties (+ `@page` size if `paper`).

    The variables are declared on `:root` and again on `@page`, because page margin boxes
    (running header, page number) do not inherit from the document's root element.
    """
    declarations = theme_variables(theme)
    body = "".join(f"  {name}: {value};\n" for name, value in declarations)
    css = f":root {{\n{body}}}\n"
    if paper is not None:
        width, height = PAPER_SIZES.get(paper, PAPER_SIZES["A4"])
        css += f"@page {{\n  size: {width} {height};\n{body}}}\n"
    return css


def theme_variables(theme: Theme) -> list[tuple[str, str]]:
    """`--color-primary: #1B3A5C` … checked, so a theme value cannot inject other CSS."""
    variables = []
    for name, value in sorted(theme.settings.get("colors", {}).items()):
        variables.append((f"--color-{_css_name(name)}", _checked(_COLOR, value, f"colors.{name}")))
    for role in ("heading", "body", "mono"):
        variables.append((f"--font-{role}", font_stack(theme.fonts(role))))
    handbook = theme.settings.get("handbook", {})
    sizes = {"body_size": "11pt", "margin": "25mm", "inner_margin": "27mm"}
    for key, default in sizes.items():
        value = handbook.get(key, default)
        variables.append((f"--hb-{_css_name(key)}", _checked(_LENGTH, value, f"handbook.{key}")))
    line_height = handbook.get("line_height", 1.4)
    variables.append(("--hb-line-height", _checked(_NUMBER, line_height, "handbook.line_height")))
    return variables


def font_stack(names: list[str]) -> str:
    """`"Liberation Serif", "DejaVu Serif", serif`: names quoted, generic families bare."""
    generic = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}
    parts = []
    for name in names:
        clean = re.sub(r'["\\;{}<>\n\r]', "", str(name)).strip()
        if clean:
            parts.append(clean if clean in generic else f'"{clean}"')
    return ", ".join(parts) or "serif"


def _css_name(key: str) -> str:
    return re.sub(r"[^a-z0-9-]", "-", str(key).lower().replace("_", "-"))


def _checked(pattern: re.Pattern[str], value: object, key: str) -> str:
    text = str(value).strip()
    if not pattern.match(text):
        raise ThemeError(f"theme.yml: '{key}' has an unusable value '{text}'")
    return text
