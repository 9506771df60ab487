"""What identifies this copy of the tool inside cache keys: its version and its code.

The version alone is not enough: an editable install, or a fix released without a new version,
changes what a renderer makes while the version stays the same, and a reused output would then
be stale. Hashing the package's Python files (a few milliseconds) catches both.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from bimtek_kit import __version__


@cache
def tool_id() -> str:
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:16]}"
