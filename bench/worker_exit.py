"""How long the PDF workers outlive a `render all` whose main process is killed with SIGKILL.

    PYTHONPATH=. .venv/bin/python bench/worker_exit.py [--runs 5] [--after 0.0 0.3]

For each moment (seconds after the workers appear), the median of the given number of runs:
from the kill to the moment no worker is alive any more (polled in /proc every 2 ms; a zombie
counts as gone). Linux only. Runs on a copy of inputs/ and templates/ in a temporary folder.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GIVE_UP = 10.0  # seconds: a worker still alive then is reported as such


def state(pid: int) -> tuple[str, int]:
    """('live' or 'gone', parent pid) of a process."""
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return "gone", 0
    fields = stat[stat.rindex(")") + 2:].split()
    return ("gone" if fields[0] in "ZX" else "live"), int(fields[1])


def children(parent: int) -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir()
            if p.name.isdigit() and state(int(p.name)) == ("live", parent)]


def descendants(parent: int) -> list[int]:
    """Every live process below `parent`: the workers, and (when a render starts several)
    the fork server they are forked from and multiprocessing's resource tracker."""
    found = children(parent)
    for child in list(found):
        found += descendants(child)
    return found


def one_run(project: Path, after: float) -> float:
    """Seconds from SIGKILL of the main process until every process it started is gone."""
    command = [sys.executable, "-m", "reportgen", "render", "all", "2017-T1", "--force",
               "--out", "drept"]
    process = subprocess.Popen(command, cwd=project, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while len(descendants(process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.005)  # a worker forked from here, or the fork server and a worker
        time.sleep(after)
        workers = descendants(process.pid)
        os.kill(process.pid, signal.SIGKILL)
        killed = time.monotonic()
        process.wait()
        while (any(state(w)[0] == "live" for w in workers)
               and time.monotonic() - killed < GIVE_UP):
            time.sleep(0.002)
        return time.monotonic() - killed
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--after", type=float, nargs="+", default=[0.0, 0.3])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        shutil.copytree(ROOT / "inputs", project / "inputs")
        shutil.copytree(ROOT / "templates", project / "templates")
        for after in args.after:
            times = [one_run(project, after) for _ in range(args.runs)]
            stuck = sum(t >= GIVE_UP for t in times)
            print(f"killed {after:.1f} s after the workers started: median "
                  f"{statistics.median(times):.3f} s over {args.runs} runs"
                  f" ({', '.join(f'{t:.3f}' for t in times)})"
                  + (f"; {stuck} still alive after {GIVE_UP:.0f} s" if stuck else ""))
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
