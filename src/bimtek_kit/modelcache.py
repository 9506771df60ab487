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

from bimtek_kit.errors import Diagnostic
from bimtek_kit.model import Image, Module
from bimtek_kit.toolid import tool_id

CACHE_DIR = ".bimtek-model-cache"


class ModelCache:
    """Parsed modules of one course, kept in `<output>/<course>/.bimtek-model-cache/`.

    New entries stay in memory until `save`, which the build calls only after it succeeded, so
    a failed build writes nothing.
    """

    def __init__(self, out_root: Path) -> None:
        self.out_root = out_root
        self.folder: Path | None = None
        self.used: set[str] = set()
        self.new: dict[str, bytes] = {}

    def bind(self, course_slug: str) -> None:
        """Called by the loader once `bimtek.yml` says which course this is."""
        self.folder = self.out_root / course_slug / CACHE_DIR

    @staticmethod
    def key(text: str, number: int, allow_html: bool, root: Path) -> str:
        seed = f"{tool_id()}\0{number}\0{allow_html}\0{root}\0{text}"
        return hashlib.sha256(seed.encode("utf-8")).hexdigest()

    def get(self, key: str) -> tuple[Module, list[Diagnostic]] | None:
        if self.folder is None:
            return None
        self.used.add(key)
        try:
            with (self.folder / f"{key}.pickle").open("rb") as handle:
                module, diagnostics = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
                ValueError, TypeError):
            return None
        return module, diagnostics

    def put(self, key: str, module: Module, diagnostics: list[Diagnostic]) -> None:
        if self.folder is None or any(isinstance(b, Image) for b in module.all_blocks):
            return
        self.used.add(key)
        self.new[key] = pickle.dumps((module, diagnostics), protocol=pickle.HIGHEST_PROTOCOL)

    def save(self) -> None:
        """Write the new entries and forget the ones this run did not use."""
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for key, data in self.new.items():
            temp = self.folder / f".{key}.tmp"
            temp.write_bytes(data)
            temp.replace(self.folder / f"{key}.pickle")
        for path in self.folder.glob("*.pickle"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)
        self.new.clear()
