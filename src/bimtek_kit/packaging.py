"""Reproducible zip files: fixed entry order, timestamps and permissions."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def zip_timestamp(epoch: int) -> tuple[int, int, int, int, int, int]:
    """The zip date for `epoch` (UTC), clamped to 1980, the earliest date zip can store."""
    stamp = dt.datetime.fromtimestamp(epoch, tz=dt.UTC)
    if stamp.year < 1980:
        return _ZIP_EPOCH
    return (
        stamp.year,
        stamp.month,
        stamp.day,
        stamp.hour,
        stamp.minute,
        stamp.second - stamp.second % 2,
    )


def zip_bytes(files: dict[str, bytes], epoch: int, order: list[str] | None = None) -> bytes:
    """Pack `files` (name -> bytes) deflated, in `order` or sorted, all stamped with `epoch`."""
    buffer = io.BytesIO()
    names = order or sorted(files)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=zip_timestamp(epoch))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, files[name])
    return buffer.getvalue()
