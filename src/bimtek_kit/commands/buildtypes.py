"""The options and the report of `bimtek build`, apart from the build itself.

The CLI creates the options and prints the report; keeping them here (standard library only)
lets it ask `buildstamp.unchanged()` whether anything is to do before importing the loader and
the renderers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bimtek_kit.errors import Diagnostics


@dataclass
class BuildOptions:
    root: Path
    out_dir: Path | None = None
    only: list[str] | None = None
    modules: list[str] | None = None
    strict: bool = False
    variants: int = 1
    jobs: int | None = None
    """Worker processes; None means one per available core."""
    zip: bool = False
    clean: bool = False
    force: bool = False
    """Build into a folder that holds files bimtek did not write (they are kept)."""


@dataclass
class BuildReport:
    out_dir: Path
    kinds: list[str]
    planned: int = 0
    rendered: list[str] = field(default_factory=list)
    """Files rendered in this run (whether or not their bytes changed)."""
    written: list[str] = field(default_factory=list)
    """Files whose bytes on disk changed."""
    reused: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    zip_paths: list[Path] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    seconds: float = 0.0
