"""Pack downloads (PDF and Excel) as bytes, kept per area, period and warehouse state.

A PDF with charts takes seconds to draw, so the web layer asks here and a repeat
download of an unchanged warehouse is served from memory (a few packs at most).
"""

from __future__ import annotations

import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Literal

from tripleaim.benchmark.pack import build_pack
from tripleaim.benchmark.render import pdf
from tripleaim.benchmark.workbook import write_workbook
from tripleaim.settings import Settings

__all__ = ["PackFormat", "pack_bytes"]

PackFormat = Literal["pdf", "xlsx"]
_KEEP = 8
_CACHE: OrderedDict[tuple[object, ...], bytes] = OrderedDict()
_LOCK = threading.Lock()


def pack_bytes(
    settings: Settings, area_code: str, period: str | None, fmt: PackFormat
) -> bytes:
    """The pack of ``area_code`` as PDF or xlsx bytes.

    Raises:
        NotFoundError: The area has no benchmarks, or the period is not held.
    """
    path = settings.warehouse_path
    stamp = path.stat().st_mtime if path.exists() else 0.0
    key = (str(path), stamp, settings.disclosure_threshold, area_code, period, fmt)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    pack = build_pack(settings, area_code, period, with_charts=fmt == "pdf")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"pack.{fmt}"
        if fmt == "pdf":
            pdf(pack, out)
        else:
            write_workbook(pack, out)
        data = out.read_bytes()
    with _LOCK:
        _CACHE[key] = data
        while len(_CACHE) > _KEEP:
            _CACHE.popitem(last=False)
    return data
