"""The peak memory of one call, measured in the running process.

Extractors keep their trees in C (lexbor, libxml2, resiliparse's C++), where Python's
``tracemalloc`` does not see, so the honest measure is the process's resident set: on Linux
the kernel's high-water mark (``VmHWM``) can be reset to the current RSS by writing ``5`` to
``/proc/self/clear_refs``. Before each call the garbage is collected and glibc is asked to give
free heap pages back (``malloc_trim``), so that the call cannot hide its needs in memory an
earlier call left behind; the call's peak is then ``VmHWM`` after it less ``VmRSS`` before it.

Where that is not possible (not Linux, no write access) the fallback is the ``tracemalloc``
peak, which counts Python's own allocations only; :attr:`PeakMeter.method` says which one
was used, and tables print it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import re
import tracemalloc
from collections.abc import Callable
from typing import TypeVar

__all__ = ["PeakMeter"]

T = TypeVar("T")

_STATUS = "/proc/self/status"
_CLEAR_REFS = "/proc/self/clear_refs"
_KB = re.compile(rb"^(VmHWM|VmRSS):\s+(\d+) kB", re.MULTILINE)


def _status_kb() -> dict[bytes, int]:
    with open(_STATUS, "rb") as fh:
        return {key: int(value) for key, value in _KB.findall(fh.read())}


def _reset_hwm() -> None:
    with open(_CLEAR_REFS, "w") as fh:
        fh.write("5")


def _malloc_trim() -> Callable[[], object]:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        trim = libc.malloc_trim if libc is not None else None
    except (OSError, AttributeError):  # not glibc
        trim = None
    return (lambda: trim(0)) if trim is not None else (lambda: None)


class PeakMeter:
    """Measures the peak memory of calls: RSS growth where the kernel allows it, else tracemalloc."""

    RSS = "peak RSS growth per call (Linux VmHWM reset before each call, after gc and malloc_trim)"
    TRACEMALLOC = "peak Python heap per call (tracemalloc; C allocations are not seen)"

    def __init__(self, method: str | None = None) -> None:
        if method is None:
            method = "rss" if self._rss_works() else "tracemalloc"
        if method not in ("rss", "tracemalloc"):
            raise ValueError(f"unknown memory method {method!r}")
        self.kind = method
        self._trim = _malloc_trim()

    @staticmethod
    def _rss_works() -> bool:
        try:
            _reset_hwm()
            return b"VmHWM" in _status_kb()
        except OSError:
            return False

    @property
    def method(self) -> str:
        """What the numbers are, in words for a table's header or footnote."""
        return self.RSS if self.kind == "rss" else self.TRACEMALLOC

    def measure(self, fn: Callable[..., T], *args: object) -> tuple[T, int]:
        """Call ``fn(*args)``; return its result and its peak memory in bytes above the start."""
        gc.collect()
        if self.kind == "rss":
            self._trim()
            _reset_hwm()
            before = _status_kb()[b"VmRSS"]
            result = fn(*args)
            peak = _status_kb()[b"VmHWM"]
            return result, max(0, peak - before) * 1024
        started = not tracemalloc.is_tracing()
        if started:
            tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            before, _ = tracemalloc.get_traced_memory()
            result = fn(*args)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            if started:
                tracemalloc.stop()
        return result, max(0, peak - before)
