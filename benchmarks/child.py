"""A command run in a child process and measured as the benchmarks report it (scale.py, imports.py).

Wall and CPU seconds, and the peak memory (RSS) of the child and of the processes it waited for, from ``wait4``:
this process's ``RUSAGE_CHILDREN`` would give the largest peak of every child so far (a csv pass after the IATI
import showed that import's 756 MB).
"""

from __future__ import annotations

import os
import subprocess
import time


def run_measured(cmd: list[str], cap: float | None = None, stderr: int | None = None) -> dict:
    """Run ``cmd`` (its output to /dev/null, its errors to ``stderr``, default this process's); ``wall``, ``cpu``
    (user + system seconds), ``rss_mb``, ``status`` (the exit code, minus the signal that ended it) and
    ``timed_out`` (killed after ``cap`` seconds)."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=stderr)
    deadline = None if cap is None else start + cap
    timed_out = False
    while True:
        pid, status, usage = os.wait4(child.pid, 0 if deadline is None else os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            child.kill()
            pid, status, usage = os.wait4(child.pid, 0)
            timed_out = True
            break
        time.sleep(0.05)
    child.returncode = os.waitstatus_to_exitcode(status)  # waited for here: Popen must not wait again
    return {"wall": time.perf_counter() - start, "cpu": usage.ru_utime + usage.ru_stime,
            "rss_mb": usage.ru_maxrss / 1024, "status": child.returncode, "timed_out": timed_out}
