"""A cache of parsed modules, so a rebuild does not parse unchanged Markdown again (issue #7).

Parsing is most of a no-op rebuild's time. A module's model depends only on its text, its
position, `allow_html` and the project folder, so those form the key; the problems found while
parsing are stored with it and reported again on every run. Modules with images are not cached:
their model also depends on the image files. The cache lives in the output folder, which a build
already trusts with everything it writes (it holds pickles: never copy one in from elsewhere).
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from bimtek_kit import __version__
from bimtek_kit.errors import Diagnostic
from bimtek_kit.model import Image, Module

CACHE_DIR = ".bimtek-model-cache"


class ModelCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()

    @staticmethod
    def key(text: str, number: int, allow_html: bool, root: Path) -> str:
        seed = f"{__version__}\0{number}\0{allow_html}\0{root}\0{text}"
        return hashlib.sha256(seed.encode("utf-8")).hexdigest()

    def get(self, key: str) -> tuple[Module, list[Diagnostic]] | None:
        self.used.add(key)
        try:
            with (self.folder / f"{key}.pickle").open("rb") as handle:
                module, diagnostics = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
                ValueError, TypeError):
            return None
        return module, diagnostics

    def put(self, key: str, module: Module, diagnostics: list[Diagnostic]) -> None:
        if any(isinstance(block, Image) for block in module.all_blocks):
            return
        self.used.add(key)
        self.folder.mkdir(parents=True, exist_ok=True)
        temp = self.folder / f".{key}.tmp"
        temp.write_bytes(pickle.dumps((module, diagnostics), protocol=pickle.HIGHEST_PROTOCOL))
        temp.replace(self.folder / f"{key}.pickle")

    def prune(self) -> None:
        """Forget modules this run did not ask for (edited or deleted ones)."""
        if not self.folder.is_dir():
            return
        for path in self.folder.glob("*.pickle"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)
