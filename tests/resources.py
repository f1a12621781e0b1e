"""What a piece of work costs: wall time and the growth of the process's resident memory while it runs.

Resident memory (not `tracemalloc`, which sees only Python's own allocations) is what lxml, python-docx
and other C libraries take too. It is sampled every 5 ms on a thread; the peak above the starting level
is reported, so memory the process already held does not count.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass

PAGE = os.sysconf("SC_PAGE_SIZE")  # the unit of /proc/self/statm


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


@dataclass
class Cost:
    seconds: float
    memory_growth: int  # bytes

    @property
    def megabytes(self) -> float:
        return self.memory_growth / (1024 * 1024)


def measure(work):
    """(work()'s result, Cost)."""
    start = resident_bytes()
    peak = [start]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], resident_bytes())
            time.sleep(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    began = time.monotonic()
    try:
        result = work()
    finally:
        seconds = time.monotonic() - began
        done.set()
        sampler.join()
    peak[0] = max(peak[0], resident_bytes())
    return result, Cost(seconds=seconds, memory_growth=peak[0] - start)
