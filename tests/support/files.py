"""Files and values as tests compare them: folder snapshots, time zones."""

from __future__ import annotations

from datetime import timedelta, timezone
from pathlib import Path


def tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder``: its bytes and mtime (ns)."""
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def tz(hours: int = 0, minutes: int = 0) -> timezone:
    """A fixed UTC offset."""
    return timezone(timedelta(hours=hours, minutes=minutes))
