"""What the benchmarks' child processes measure of themselves: the RSS high-water mark
and the current RSS, and the time spent in some of the program's own functions (wrapped
in place by name, so a function renamed is simply not reported)."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterable
from typing import Any


def _status_mib(field: str) -> float | None:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return None


def peak_rss_mib() -> float:
    """This process's RSS high-water mark (VmHWM). Not ``ru_maxrss`` where /proc has it:
    Linux carries that across fork and exec, so a child would report its parent's."""
    found = _status_mib("VmHWM")
    return found if found is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mib() -> float:
    found = _status_mib("VmRSS")
    return found if found is not None else 0.0


def time_steps(steps: Iterable[tuple[str, Any, str]], seconds: dict[str, float],
               after: Callable[[Any, tuple, dict], None] | None = None) -> None:
    """Wrap ``getattr(owner, attribute)`` for each (name, owner, attribute) so that the
    time spent in it adds up in ``seconds[name]``; ``after(original, args, kwargs)`` runs
    after each call (a per-batch memory reading)."""
    for name, owner, attribute in steps:
        original = getattr(owner, attribute, None)
        if original is None:
            continue
        seconds[name] = 0.0
        setattr(owner, attribute, _timed(name, original, seconds, after))


def _timed(name: str, original: Callable[..., Any], seconds: dict[str, float],
           after: Callable[[Any, tuple, dict], None] | None) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            seconds[name] += time.perf_counter() - started
            if after is not None:
                after(original, args, kwargs)

    return timed
