"""A cache of parsed modules, so a rebuild does not parse unchanged Markdown again (issue #7).

A module's model depends only on its text, its position, `allow_html` and the project folder,
so those form the key; the problems found while parsing are stored with it and reported again
on every run. Modules with images are not cached: their model also depends on the image files.

The cache is data, never code (issue #12, #13): each entry is JSON in `.bimtek/models/` that
names only classes of the course model, with a format version and the sha256 of its own body.
An entry that is garbage, truncated, of another version or names anything else is ignored and
the module is parsed again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from enum import Enum
from pathlib import Path
from typing import Any

from bimtek_kit import model
from bimtek_kit.cachedir import safe_subfolder
from bimtek_kit.errors import Diagnostic, Loc, Severity
from bimtek_kit.model import Image, Module
from bimtek_kit.resources import ResourceError, read_regular_file
from bimtek_kit.toolid import tool_id
from bimtek_kit.writer import OutputError, atomic_write

MODELS_DIR = "models"
FORMAT = 1
MAX_ENTRY_BYTES = 64 * 1024 * 1024
_CLASSES: dict[str, type] = {
    name: value
    for name, value in vars(model).items()
    if isinstance(value, type)
    and dataclasses.is_dataclass(value)
    and value.__module__ == model.__name__
}
_CLASSES.update({"Loc": Loc, "Diagnostic": Diagnostic})


class CacheFormatError(ValueError):
    """An entry that is not a model this version wrote."""


class ModelCache:
    """Parsed modules of one project, kept in `.bimtek/models/`.

    New entries stay in memory until `save`, which the build calls only after it succeeded, so
    a failed build writes nothing.
    """

    def __init__(self, cache_root: Path | None) -> None:
        self.cache_root = cache_root
        self.used: set[str] = set()
        self.new: dict[str, bytes] = {}

    def bind(self, course_slug: str) -> None:
        """Called by the loader once `bimtek.yml` is read (the cache is per project)."""

    @staticmethod
    def key(text: str, number: int, allow_html: bool, root: Path) -> str:
        seed = f"{tool_id()}\0{number}\0{allow_html}\0{root}\0{text}"
        return hashlib.sha256(seed.encode("utf-8")).hexdigest()

    def get(self, key: str) -> tuple[Module, list[Diagnostic]] | None:
        folder = safe_subfolder(self.cache_root, MODELS_DIR)
        if folder is None:
            return None
        self.used.add(key)
        path = folder / f"{key}.json"
        try:
            if path.is_symlink():
                return None
            module, diagnostics = decode_entry(read_regular_file(path, MAX_ENTRY_BYTES))
        except (OSError, ResourceError, CacheFormatError):
            return None
        return module, diagnostics

    def put(self, key: str, module: Module, diagnostics: list[Diagnostic]) -> None:
        if any(isinstance(b, Image) for b in module.all_blocks):
            return
        self.used.add(key)
        self.new[key] = encode_entry(module, diagnostics)

    def save(self, cache_root: Path | None = None) -> None:
        """Write the new entries and forget the ones this run did not use; never fails."""
        folder = safe_subfolder(cache_root or self.cache_root, MODELS_DIR, create=True)
        if folder is None:
            return
        try:
            for key, data in self.new.items():
                atomic_write(folder / f"{key}.json", data)
            for path in folder.glob("*.json"):
                if path.stem not in self.used:
                    path.unlink(missing_ok=True)
        except (OSError, OutputError):
            return
        self.new.clear()


def encode_entry(module: Module, diagnostics: list[Diagnostic]) -> bytes:
    body = json.dumps([_encode(module), [_encode(d) for d in diagnostics]],
                      ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    envelope = {"format": FORMAT, "tool": tool_id(), "sha256": digest, "body": body}
    return json.dumps(envelope, ensure_ascii=False).encode("utf-8")


def decode_entry(data: bytes) -> tuple[Module, list[Diagnostic]]:
    """Check the envelope (format, tool, hash) and rebuild the model from known classes only."""
    try:
        envelope = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise CacheFormatError("not JSON") from exc
    if not isinstance(envelope, dict) or envelope.get("format") != FORMAT:
        raise CacheFormatError("unknown format")
    body = envelope.get("body")
    if envelope.get("tool") != tool_id() or not isinstance(body, str):
        raise CacheFormatError("another version")
    if hashlib.sha256(body.encode("utf-8")).hexdigest() != envelope.get("sha256"):
        raise CacheFormatError("damaged")
    try:
        module, diagnostics = _tuples(json.loads(body, object_hook=_decode_object))
    except (ValueError, TypeError, KeyError, RecursionError) as exc:
        raise CacheFormatError("not a model") from exc
    if not isinstance(module, Module) or not all(isinstance(d, Diagnostic) for d in diagnostics):
        raise CacheFormatError("not a module")
    return module, list(diagnostics)


def _encode(value: Any) -> Any:
    if isinstance(value, Enum):  # before str: Severity is a str enum
        return {"@": type(value).__name__, "v": value.value}
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, Path):
        return {"@": "Path", "v": str(value)}
    if dataclasses.is_dataclass(value) and type(value).__name__ in _CLASSES:
        fields = [_encode(getattr(value, f.name)) for f in dataclasses.fields(value)]
        return {"@": type(value).__name__, "f": fields}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode_object(value: dict[str, Any]) -> Any:
    """Called by `json.loads` for every JSON object, innermost first: only known classes."""
    name = value["@"]
    if name == "Path" and isinstance(value.get("v"), str):
        return Path(value["v"])
    if name == "Severity":
        return Severity(value["v"])
    cls = _CLASSES.get(name) if isinstance(name, str) else None
    fields = value.get("f")
    if cls is None or not isinstance(fields, list):
        raise CacheFormatError(f"unknown class {name!r}")
    if len(fields) != len(dataclasses.fields(cls)):
        raise CacheFormatError(f"{name} with {len(fields)} fields")
    return cls(*(_tuples(v) for v in fields))


def _tuples(value: Any) -> Any:
    """JSON arrays back to the model's tuples."""
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value
