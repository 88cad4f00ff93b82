#!/usr/bin/env python3
"""Benchmark of reportgen against the budgets of DESIGN.md section 9.

Run from the repository root:

    .venv/bin/python bench/run.py [--runs 7] [--warmup 1] [--skip-soffice] [--json FILE]

Every command is a whole process, started and timed from here (wall clock from before the
fork to after the process has been reaped). Commands run interleaved, round by round, so
that drift of the machine affects them alike; the first --warmup rounds are not counted.
Each run of a command that writes gets a fresh temporary folder (--out, --outdir, and a
fresh copy of a LibreOffice profile warmed once), created and removed outside the timed span.
All commands run on a snapshot of reportgen/, inputs/ and templates/ taken at the start
(PYTHONPATH points at it; its modules compiled to bytecode, as pip does when it installs a
package, since this environment may forbid Python to write bytecode), so edits to the
working tree while the benchmark runs cannot change the workload. CPU time (user + system of
the process and its reaped descendants, from wait4) is reported beside the wall clock: on a
busy machine it moves much less than the wall clock does.

Peak memory (max RSS), two methods:
- wait4: os.wait4 returns the rusage of the reaped process; on Linux its ru_maxrss is the
  largest peak RSS of that process *and all its descendants it waited for* (the kernel
  folds each reaped child's maxrss into the parent's). That is exact, but it is one number
  for the whole process tree, and it includes the benchmark's own memory that the child
  shared until exec (vfork). It is recorded for every timed run.
- /proc sampling: one extra, untimed run per command in which a thread reads VmHWM (the
  kernel's peak-RSS high-water mark) from /proc/<pid>/status for the main process and every
  descendant (found through the PPid field of /proc/*/stat) every 5 ms. VmHWM only grows,
  so a sample misses at most what a process adds in the last 5 ms before it exits; the
  wait4 number of the same run is printed beside it as a check. A forked worker's RSS also
  counts the pages it still shares copy-on-write with the main process.

Standard library only.
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CWD = ROOT  # where commands run: a snapshot of reportgen/, inputs/ and templates/ once prepared
ENV = dict(os.environ)  # PYTHONPATH points at the snapshot, so its reportgen is the one imported
BIN = ROOT / ".venv" / "bin"
PY = str(BIN / "python")
REPORTGEN = str(BIN / "reportgen")
WEASYPRINT = str(BIN / "weasyprint")
PERIOD = "2017-T1"
AREA = "08"
SAMPLE_INTERVAL = 0.005
WORKER_SECONDS = 0.05  # a descendant seen alive this long is a worker; shorter ones are helpers
MiB = 1024 * 1024


# --- running one process -----------------------------------------------------------------

@dataclass
class Run:
    seconds: float
    cpu_seconds: float  # user + system of the process and all its descendants (wait4)
    tree_peak_mib: float  # wait4 ru_maxrss: the process and all its descendants
    main_peak_mib: float | None = None  # /proc sampling (memory run only)
    child_peak_mib: float | None = None
    child_name: str | None = None
    children: int = 0  # descendants seen
    helper_peak_mib: float | None = None  # short-lived descendants (< WORKER_SECONDS)
    helper_name: str | None = None
    load: float = 0.0  # 1-minute load average when the run started


def _ppid_and_name(pid: str) -> tuple[int, str] | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read().decode("utf-8", "replace")
    except OSError:
        return None
    name = stat[stat.index("(") + 1:stat.rindex(")")]
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[1]), name  # fields[0] is the state


def _hwm_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None  # gone, or a zombie (no memory map any more)


@dataclass
class Peak:
    name: str
    kib: int
    first: float  # first and last time seen alive (perf_counter)
    last: float


class TreeSampler(threading.Thread):
    """Peak RSS (VmHWM) of a process and each of its descendants, sampled every 5 ms."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.stop = threading.Event()
        self.peaks: dict[int, Peak] = {}

    def run(self) -> None:
        while not self.stop.is_set():
            self.sample()
            time.sleep(SAMPLE_INTERVAL)

    def sample(self) -> None:
        parents: dict[int, list[tuple[int, str]]] = {}
        names = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                found = _ppid_and_name(entry)
                if found:
                    parents.setdefault(found[0], []).append((int(entry), found[1]))
                    names[int(entry)] = found[1]
        tree, todo = [self.root], [self.root]
        while todo:
            for child, _ in parents.get(todo.pop(), []):
                tree.append(child)
                todo.append(child)
        now = time.perf_counter()
        for pid in tree:
            hwm = _hwm_kib(pid)
            if hwm is None:
                continue
            name = names.get(pid, "?")
            seen = self.peaks.get(pid)
            if seen is None or seen.name != name:  # new, or exec'd: a new memory map
                self.peaks[pid] = Peak(name, hwm, now, now)
            else:
                seen.kib, seen.last = max(seen.kib, hwm), now


def run_once(argv: list[str], log: Path, sample: bool = False) -> tuple[Run, int]:
    """Start argv, wait for it with wait4, return the measurement and the exit code."""
    load = os.getloadavg()[0]
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=CWD, env=ENV, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT)
        sampler = None
        if sample:
            sampler = TreeSampler(proc.pid)
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = code = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    run = Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, load=load)
    if sampler:
        sampler.stop.set()
        sampler.join()
        main = sampler.peaks.pop(proc.pid, None)
        run.main_peak_mib = main.kib / 1024 if main else None
        run.children = len(sampler.peaks)
        workers = [p for p in sampler.peaks.values() if p.last - p.first >= WORKER_SECONDS]
        helpers = [p for p in sampler.peaks.values() if p not in workers]
        if workers:
            worker = max(workers, key=lambda p: p.kib)
            run.child_peak_mib, run.child_name = worker.kib / 1024, worker.name
        if helpers:
            helper = max(helpers, key=lambda p: p.kib)
            run.helper_peak_mib, run.helper_name = helper.kib / 1024, helper.name
    return run, code


# --- the commands ------------------------------------------------------------------------

@dataclass
class Command:
    key: str
    label: str
    argv: Callable[[Path], list[str]]  # given the run's fresh scratch folder
    setup: Callable[[Path], None] = lambda scratch: None
    check: Callable[[Path, str], str | None] = lambda scratch, output: None  # problem or None
    runs: list[Run] = field(default_factory=list)
    memory: Run | None = None


def _expect_files(count: int, pattern: str, where: str) -> Callable[[Path, str], str | None]:
    def check(scratch: Path, output: str) -> str | None:
        found = sorted(p.name for p in (scratch / where).glob(pattern) if p.name[0] != ".")
        return None if len(found) == count else f"expected {count} × {pattern}, found {found}"
    return check


def commands(ref: Path, built_out: Path, variant: str | None, profile: Path | None,
             soffice: str | None) -> list[Command]:
    built = ref / PERIOD
    same_pdf = ["--pdf-variant", variant, "--pdf-tags"] if variant else ["--pdf-tags"]
    docx15 = [str(built / f"{code:02d}.docx") for code in range(1, 15)]
    docx15.append(str(built / "tertialrapport.docx"))

    def render(*args: str) -> Callable[[Path], list[str]]:
        return lambda scratch: [REPORTGEN, "render", *args, "--out", str(scratch / "out")]

    def no_op(scratch: Path, output: str) -> str | None:
        return None if "nothing rendered" in output else "the rebuild rendered something"

    def up_to_date(scratch: Path) -> None:  # untimed; a no-op, as the snapshot does not change
        subprocess.run([REPORTGEN, "render", "all", PERIOD, "-q", "--out", str(built_out)],
                       cwd=CWD, env=ENV, check=True)

    result = [
        Command("pass", "`python -c pass`", lambda s: [PY, "-c", "pass"]),
        Command("docxtpl", '`python -c "import docxtpl"`', lambda s: [PY, "-c", "import docxtpl"]),
        Command("weasyprint", '`python -c "import weasyprint"`',
                lambda s: [PY, "-c", "import weasyprint"]),
        Command("weasy_cli",
                f"`weasyprint -u templates/html/ {' '.join(same_pdf)} {AREA}.print.html out.pdf`",
                lambda s: [WEASYPRINT, "-u", "templates/html/", *same_pdf,
                           str(built / f"{AREA}.print.html"), str(s / "out.pdf")],
                check=_expect_files(1, "out.pdf", ".")),
        Command("render08", f"`reportgen render {AREA} {PERIOD}`", render(AREA, PERIOD),
                check=_expect_files(3, f"{AREA}.*", f"out/{PERIOD}")),
        Command("docx_html", f"`reportgen render {AREA} {PERIOD} --format docx,html`",
                render(AREA, PERIOD, "--format", "docx,html"),
                check=_expect_files(2, f"{AREA}.*", f"out/{PERIOD}")),
        Command("all", f"`reportgen render all {PERIOD}`", render("all", PERIOD),
                check=_expect_files(45, "*.*", f"out/{PERIOD}")),
        Command("rebuild", f"`reportgen render all {PERIOD}` (built, unchanged)",
                lambda s: [REPORTGEN, "render", "all", PERIOD, "--out", str(built_out)],
                setup=up_to_date, check=no_op),
    ]
    if soffice and profile:
        def fresh_profile(scratch: Path) -> None:
            shutil.copytree(profile, scratch / "profile", symlinks=True)

        def office(files: list[str]) -> Callable[[Path], list[str]]:
            return lambda s: [soffice, f"-env:UserInstallation={(s / 'profile').as_uri()}",
                              "--headless", "--convert-to", "pdf", "--outdir", str(s / "pdf"),
                              *files]

        result += [
            Command("soffice1", f"`soffice --headless --convert-to pdf` {AREA}.docx",
                    office([str(built / f"{AREA}.docx")]), setup=fresh_profile,
                    check=_expect_files(1, "*.pdf", "pdf")),
            Command("soffice15", "`soffice --headless --convert-to pdf` 15 DOCX, one call",
                    office(docx15), setup=fresh_profile, check=_expect_files(15, "*.pdf", "pdf")),
        ]
    return result


# --- preparation -------------------------------------------------------------------------

def find_soffice(skip: bool) -> str | None:
    if skip:
        return None
    found = shutil.which("soffice")
    if found:
        return found
    print("soffice not found: installing libreoffice-writer-nogui with apt-get", file=sys.stderr)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "--no-install-recommends",
                    "libreoffice-writer-nogui"], check=True, env=env)
    found = shutil.which("soffice")
    if not found:
        sys.exit("bench: soffice still missing after installing libreoffice-writer-nogui")
    return found


# The page WeasyPrint is given by reportgen's PDF renderer on its first layout: the HTML page
# hyphenated, with print.css linked after the page's own styles (an author stylesheet, as
# reportgen links it; `weasyprint -s` would make it a user stylesheet, which loses to them).
PRINT_PAGE = """
import sys
from pathlib import Path
from reportgen.inputs import load_hyphenation
from reportgen.render.hyphenation import prepare
from reportgen.render.pdf import _with_print_css
page = Path(sys.argv[1])
html = prepare(page.read_text("utf-8"), load_hyphenation(Path("templates")))
page.with_suffix(".print.html").write_text(_with_print_css(html), "utf-8")
"""


def prepare(work: Path, soffice: str | None) -> tuple[Path, Path, str | None, Path | None]:
    """A snapshot of reportgen/, inputs/ and templates/ to run in (the working tree may change
    while the benchmark runs); a reference build of the whole period (the HTML for WeasyPrint's
    CLI, the DOCX for LibreOffice); a built folder for the rebuild; reportgen's default PDF
    variant (WeasyPrint's CLI is given the same); a LibreOffice profile, warmed once."""
    global CWD
    CWD = work / "snapshot"
    for folder in ("reportgen", "inputs", "templates"):
        shutil.copytree(ROOT / folder, CWD / folder, symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__"))
    # Compiled to bytecode, as pip compiles a package it installs: where Python may not write
    # bytecode itself (PYTHONDONTWRITEBYTECODE), every run would compile reportgen anew,
    # while the yardsticks' packages (docxtpl, WeasyPrint) are compiled.
    compileall.compile_dir(CWD / "reportgen", quiet=1)
    # The snapshot first; other entries (a folder of extra packages, not a reportgen) after it.
    extra = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep)
             if p and not (Path(p) / "reportgen").is_dir()]
    ENV["PYTHONPATH"] = os.pathsep.join([str(CWD), *extra])
    ref, built = work / "ref", work / "built"
    print("preparing: reportgen render all (reference build) …", file=sys.stderr)
    for out in (ref, built):
        subprocess.run([REPORTGEN, "render", "all", PERIOD, "--force", "-q", "--out", str(out)],
                       cwd=CWD, env=ENV, check=True)
    subprocess.run([PY, "-c", PRINT_PAGE, str(ref / PERIOD / f"{AREA}.html")],
                   cwd=CWD, env=ENV, check=True)
    variant = subprocess.run(
        [PY, "-c", "from reportgen.cli import render\n"
                   "print(next(p.default for p in render.params if p.name == 'pdf_variant'))"],
        cwd=CWD, env=ENV, capture_output=True, text=True, check=True).stdout.strip()
    variant = None if variant in ("", "None", "plain") else variant
    profile = None
    if soffice:
        print("preparing: warming a LibreOffice profile …", file=sys.stderr)
        profile = work / "profile"
        subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(work / "warm-pdf"),
                        str(ref / PERIOD / f"{AREA}.docx")],
                       cwd=CWD, env=ENV, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    return ref, built, variant, profile


def execute(command: Command, work: Path, tag: str, sample: bool = False) -> Run:
    scratch = work / f"{tag}-{command.key}"
    scratch.mkdir()
    try:
        command.setup(scratch)
        run, code = run_once(command.argv(scratch), scratch / "log.txt", sample)
        output = (scratch / "log.txt").read_text("utf-8", "replace")
        problem = f"exit code {code}" if code else command.check(scratch, output)
        if problem:
            sys.exit(f"bench: {command.label} failed ({problem}):\n{output[-2000:]}")
        return run
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# --- import checks -----------------------------------------------------------------------

def imported_packages(argv: list[str]) -> tuple[set[str], int, list[tuple[int, str]], str]:
    """Top-level packages a command imports (python -X importtime), the number of modules,
    the slowest top-level imports (cumulative µs) and what the command printed."""
    proc = subprocess.run([PY, "-X", "importtime", *argv], cwd=CWD, env=ENV, capture_output=True,
                          text=True)
    if proc.returncode:
        sys.exit(f"bench: {argv} failed:\n{proc.stderr[-2000:]}")
    tops, modules, slow = set(), 0, []
    for line in proc.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            modules += 1
            name = match.group(4)
            tops.add(name.split(".")[0])
            if len(match.group(3)) == 1:  # imported directly, not by another module
                slow.append((int(match.group(2)), name))
    return tops, modules, sorted(slow, reverse=True)[:5], proc.stdout


def import_checks(work: Path, built: Path) -> list[dict[str, object]]:
    checks = []
    control, _, _, _ = imported_packages(["-c", "import weasyprint"])
    if "weasyprint" not in control:
        sys.exit("bench: -X importtime does not show weasyprint for `import weasyprint`")
    out = work / "importtime-docx-html"
    try:
        tops, modules, slow, _ = imported_packages(
            [REPORTGEN, "render", AREA, PERIOD, "--format", "docx,html", "--out", str(out)])
    finally:
        shutil.rmtree(out, ignore_errors=True)
    checks.append({"check": f"`render {AREA} {PERIOD} --format docx,html` never imports weasyprint",
                   "ok": "weasyprint" not in tops, "modules": modules, "slowest": slow})
    argv = [REPORTGEN, "render", "all", PERIOD, "--out", str(built)]
    subprocess.run([*argv, "-q"], cwd=CWD, env=ENV, check=True)  # untimed: surely built
    tops, modules, slow, printed = imported_packages(argv)
    if "nothing rendered" not in printed:
        sys.exit(f"bench: the rebuild for the import check rendered something:\n{printed}")
    bad = sorted({"weasyprint", "docxtpl"} & tops)
    checks.append({"check": "rebuild with nothing changed imports neither weasyprint nor docxtpl",
                   "ok": not bad, "found": bad, "modules": modules, "slowest": slow})
    return checks


# --- report ------------------------------------------------------------------------------

def machine() -> dict[str, str]:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kib / MiB:.1f} GiB"
    except (OSError, AttributeError):
        pass
    version = subprocess.run(
        [PY, "-c", "import sys, importlib.metadata as m; print(sys.version.split()[0]);"
                   "print(m.version('weasyprint')); print(m.version('reportgen'))"],
        capture_output=True, text=True, check=True).stdout.split()
    soffice = shutil.which("soffice")
    office = "-"
    if soffice:
        office = subprocess.run([soffice, "--version"], capture_output=True, text=True
                                ).stdout.strip() or "?"
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": f"{os.cpu_count()} (usable: {len(os.sched_getaffinity(0))})",
        "cpu": model,
        "memory": mem,
        "kernel": f"{platform.system()} {platform.release()}",
        "python": version[0],
        "weasyprint": version[1],
        "reportgen": version[2],
        "libreoffice": office,
    }


def _fmt(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def summarise(cmds: list[Command]) -> dict[str, dict[str, float]]:
    stats = {}
    for c in cmds:
        times = [r.seconds for r in c.runs]
        loads = [r.load for r in c.runs]
        stats[c.key] = {"median": statistics.median(times), "min": min(times),
                        "max": max(times), "load_min": min(loads), "load_max": max(loads),
                        "cpu": statistics.median(r.cpu_seconds for r in c.runs),
                        "tree_peak": max(r.tree_peak_mib for r in c.runs + [c.memory])}
    return stats


SERVE_BUDGETS = [  # (page, figure, limit in seconds): save to refreshed page
    (f"/{AREA}", "median", 0.100), (f"/{AREA}", "max", 0.200), ("/tertialrapport", "max", 0.400),
]


def serve_rows(serve: dict[str, object] | None,
               verdict: Callable[[bool | None], str]) -> list[tuple[str, str, str, str]]:
    """The serve budgets: from saving the area's YAML to the page fetched again."""
    rows = []
    for page, figure, limit in SERVE_BUDGETS:
        found = None if serve is None else serve["pages"][page]  # type: ignore[index]
        value = None if found is None else found[figure]
        shown = "–" if found is None else (
            f"{value * 1000:.0f} ms (of {found['n']}; load {found['load']:.1f})")
        rows.append((f"serve: save → {page} page, {figure}", shown, f"≤ {limit * 1000:.0f} ms",
                     verdict(None if value is None else value <= limit)))
    return rows


def budgets(cmds: dict[str, Command], stats: dict[str, dict[str, float]],
            checks: list[dict[str, object]],
            serve: dict[str, object] | None = None) -> list[tuple[str, str, str, str]]:
    def ratio(a: str, b: str) -> tuple[float, float, float] | None:
        """Median, min and max of the ratios of the runs of one round (run side by side)."""
        if a not in cmds or b not in cmds:
            return None
        pairs = [x.seconds / y.seconds for x, y in zip(cmds[a].runs, cmds[b].runs)]
        return statistics.median(pairs), min(pairs), max(pairs)

    def verdict(ok: bool | None) -> str:
        return "not measured" if ok is None else "PASS" if ok else "**MISS**"

    rows = []
    for name, value, limit, upper in [
        (f"render {AREA} / weasyprint CLI", ratio("render08", "weasy_cli"), 1.15, True),
        ("docx,html / import docxtpl", ratio("docx_html", "docxtpl"), 2.5, True),
        (f"render all / render {AREA}", ratio("all", "render08"), 2.0, True),
        ("soffice 15 DOCX / render all", ratio("soffice15", "all"), 1.2, False),
        ("rebuild / python -c pass", ratio("rebuild", "pass"), 10.0, True),
    ]:
        median = None if value is None else value[0]
        ok = None if median is None else median <= limit if upper else median >= limit
        shown = "–" if value is None else f"{value[0]:.2f} × ({value[1]:.2f}–{value[2]:.2f})"
        rows.append((name, shown, ("≤ " if upper else "≥ ") + f"{limit:g} ×", verdict(ok)))
    rows += serve_rows(serve, verdict)

    def peak(key: str) -> float:  # the largest process of the command's tree, either method
        m = cmds[key].memory
        return max(stats[key]["tree_peak"], m.main_peak_mib or 0, m.child_peak_mib or 0)

    area = peak("render08")
    rows.append((f"peak memory, one area (largest process of render {AREA})",
                 f"{area:.0f} MiB", "< 120 MiB", verdict(area < 120)))
    worker = cmds["all"].memory.child_peak_mib
    rows.append(("peak memory, largest worker of render all", f"{_fmt(worker)} MiB",
                 "< 200 MiB", verdict(None if worker is None else worker < 200)))
    for check in checks:
        rows.append((str(check["check"]), "-X importtime", "", verdict(bool(check["ok"]))))
    return rows


def markdown(cmds: list[Command], stats: dict[str, dict[str, float]], facts: dict[str, str],
             rows: list[tuple[str, str, str, str]], args: argparse.Namespace,
             runner_mib: float) -> str:
    lines = [
        f"Measured {facts['date']} on {facts['nproc']} × {facts['cpu']} ({facts['memory']}), "
        f"{facts['kernel']}, Python {facts['python']}, WeasyPrint {facts['weasyprint']}, "
        f"reportgen {facts['reportgen']} ({facts['commit']}), {facts['libreoffice']}. "
        f"Medians of {args.runs} runs after {args.warmup} warm-up round(s), commands interleaved; "
        f"load average (1 min) {facts['load']}.",
        "",
        "| command | median s | min–max s | load | CPU s | peak MiB main / largest worker "
        "| peak MiB tree |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    helpers: dict[str, float] = {}
    for c in cmds:
        s, m = stats[c.key], c.memory
        worker = "–" if m.child_peak_mib is None else f"{m.child_peak_mib:.0f}"
        if m.child_name:
            worker += f" ({m.child_name})"
        if m.helper_peak_mib is not None and m.helper_name:
            helpers[m.helper_name] = max(helpers.get(m.helper_name, 0), m.helper_peak_mib)
        lines.append(f"| {c.label} | {s['median']:.3f} | {s['min']:.3f}–{s['max']:.3f} | "
                     f"{s['load_min']:.1f}–{s['load_max']:.1f} | {s['cpu']:.2f} | "
                     f"{_fmt(m.main_peak_mib)} / {worker} | {s['tree_peak']:.0f} |")
    lines += ["", "| budget (DESIGN.md §9) | measured | limit | verdict |", "|---|---:|---:|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    lines += [
        "",
        "Method: wall clock of the whole process, fork to reap; *load* is the 1-minute load "
        "average at the start of each run (min–max); a ratio is the median of the ratios of "
        "the two commands' runs of one round (run one after the other), with their min–max; "
        "*CPU s* is user + system time "
        "of the process and its descendants (median); each run in a fresh temporary "
        "folder (`--out`, `--outdir`, and a fresh copy of a LibreOffice profile warmed once). "
        "WeasyPrint's CLI prints the page reportgen's PDF renderer gives WeasyPrint: "
        f"`{AREA}.html` hyphenated, with print.css linked after its own styles, with the same "
        f"base URL, tagging and PDF variant (`{facts['weasyprint_args']}`). "
        "All commands run on a snapshot of `reportgen/`, `inputs/` and `templates/` taken at "
        "the start, its modules compiled to bytecode as pip compiles an installed package. "
        "Peak memory: *main / largest child* is VmHWM read from /proc every 5 ms in one extra "
        "untimed run (a forked worker's figure includes pages shared copy-on-write with the "
        "main process); *tree* is ru_maxrss from os.wait4, the largest peak of any process in "
        "the tree, exact, maximum over all runs; it also counts the memory of the benchmark "
        f"process that spawned it before exec, so it is never below {runner_mib:.0f} MiB here. "
        "Workers are descendants alive for at least 50 ms. Shorter-lived ones are not counted: "
        "importing WeasyPrint runs gcc, collect2 and ld through ctypes.util.find_library, and "
        "each is seen for a moment under its parent's name (and memory) before exec"
        + (f" (largest {max(helpers.values()):.0f} MiB)." if helpers else "."),
    ]
    return "\n".join(lines)


def measure_serve(saves: int) -> dict[str, object]:
    """serve_latency.measure on the snapshot, with the watcher's mode and the load."""
    import serve_latency

    print(f"serve: {saves} saves per page …", file=sys.stderr)
    load = os.getloadavg()[0]
    pages = serve_latency.measure(CWD, ENV, REPORTGEN, PERIOD, AREA, saves)
    for figures in pages.values():
        figures["load"] = (load + os.getloadavg()[0]) / 2
    return {"mode": serve_latency.watcher_mode(ENV, PY, CWD), "pages": pages}


def measure_growth(work: Path, sizes: list[int]) -> list[dict[str, float]]:
    """render all on a synthetic period of each size: time, CPU, peak memory per process."""
    import growth

    results = []
    for size in sizes:
        print(f"growth: render all with {size} areas …", file=sys.stderr)
        inputs = growth.make_inputs(CWD, work, PERIOD, size)
        command = Command(f"areas{size}", f"render all, {size} areas",
                          lambda s, i=inputs: [REPORTGEN, "render", "all", PERIOD, "--inputs",
                                               str(i), "--out", str(s / "out")],
                          check=_expect_files(3 * (size + 1), "*.*", f"out/{PERIOD}"))
        run = execute(command, work, "growth", sample=True)
        results.append({"areas": size, "seconds": run.seconds, "cpu": run.cpu_seconds,
                        "main": run.main_peak_mib or 0, "worker": run.child_peak_mib or 0,
                        "peak": max(run.tree_peak_mib, run.main_peak_mib or 0,
                                    run.child_peak_mib or 0), "load": run.load})
    return results


def growth_table(growth: list[dict[str, float]]) -> str:
    """One row per size."""
    lines = ["| areas | wall s | CPU s | load | peak MiB main / largest worker | s per area |",
             "|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {g['areas']} | {g['seconds']:.2f} | {g['cpu']:.2f} | {g['load']:.1f} | "
              f"{g['main']:.0f} / {g['worker']:.0f} | {g['seconds'] / g['areas']:.3f} |"
              for g in growth]
    return "\n".join(lines)


def growth_rows(growth: list[dict[str, float]]) -> list[tuple[str, str, str, str]]:
    """The growth budgets, between the smallest and the largest size measured."""
    if len(growth) < 2:
        return []
    small, large = growth[0], growth[-1]
    scale = large["areas"] / small["areas"]
    wall, cpu = large["seconds"] / small["seconds"], large["cpu"] / small["cpu"]
    return [
        (f"growth: {large['areas']} / {small['areas']} areas, wall (CPU)",
         f"{wall:.2f} × ({cpu:.2f} ×)", f"≤ {scale:.2f} ×",
         "PASS" if wall <= scale else "**MISS**"),
        (f"growth: largest process at {large['areas']} areas", f"{large['peak']:.0f} MiB",
         "< 200 MiB", "PASS" if large["peak"] < 200 else "**MISS**"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per command (default 7)")
    parser.add_argument("--warmup", type=int, default=1, help="warm-up rounds (default 1)")
    parser.add_argument("--skip-soffice", action="store_true",
                        help="do not measure (or install) LibreOffice")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write raw results here")
    parser.add_argument("--saves", type=int, default=10,
                        help="serve: saves timed per page (default 10)")
    parser.add_argument("--skip-serve", action="store_true", help="do not measure serve")
    parser.add_argument("--areas", default="", metavar="N,N,…",
                        help="growth: render all on synthetic periods of these sizes "
                             "(e.g. 14,50,99), and draw docs/performance.svg")
    args = parser.parse_args()
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup at least 0")
    if not Path(REPORTGEN).exists():
        sys.exit(f"bench: {REPORTGEN} not found; run from a checkout with .venv set up")

    soffice = find_soffice(args.skip_soffice)
    load_before = os.getloadavg()[0]
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip() or "?"
    work = Path(tempfile.mkdtemp(prefix="reportgen-bench-"))
    try:
        ref, built, variant, profile = prepare(work, soffice)
        cmds = commands(ref, built, variant, profile, soffice)
        for round_ in range(args.warmup + args.runs):
            warm = round_ < args.warmup
            print(f"{'warm-up' if warm else 'run'} {round_ + 1 - (0 if warm else args.warmup)}"
                  f"/{args.warmup if warm else args.runs} …", file=sys.stderr)
            for c in cmds:
                run = execute(c, work, f"r{round_}")
                if not warm:
                    c.runs.append(run)
        print("memory runs (sampling /proc) …", file=sys.stderr)
        for c in cmds:
            c.memory = execute(c, work, "mem", sample=True)
        print("import checks (-X importtime) …", file=sys.stderr)
        checks = import_checks(work, built)
        serve = None if args.skip_serve else measure_serve(args.saves)
        sizes = [int(n) for n in args.areas.split(",") if n.strip()]
        growth = measure_growth(work, sizes) if sizes else []
    finally:
        shutil.rmtree(work, ignore_errors=True)

    runner_mib = (_hwm_kib(os.getpid()) or 0) / 1024
    stats = summarise(cmds)
    facts = machine()
    facts["commit"] = commit
    facts["load"] = f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after"
    facts["weasyprint_args"] = " ".join(
        ["-u templates/html/",
         *([f"--pdf-variant {variant}"] if variant else []), "--pdf-tags"])
    rows = budgets({c.key: c for c in cmds}, stats, checks, serve) + growth_rows(growth)
    print(markdown(cmds, stats, facts, rows, args, runner_mib))
    command = "`.venv/bin/python bench/run.py" + "".join(
        f" {a}" for a in sys.argv[1:]) + "`"
    print(f"\nCommand: {command}")
    if serve:
        print(f"\nserve watcher: {serve['mode']}")
    if growth:
        print("\n" + growth_table(growth))
        import growth as drawing

        chart = drawing.chart_svg([g["areas"] for g in growth], [g["seconds"] for g in growth],
                                  [g["cpu"] for g in growth], [g["peak"] for g in growth],
                                  ROOT / "templates")
        (ROOT / "docs" / "performance.svg").write_text(chart, "utf-8")
        print("\nchart: docs/performance.svg")
    for check in checks:
        print(f"\n{check['check']}: {'yes' if check['ok'] else 'NO'}; {check['modules']} modules;"
              f" slowest top-level imports (cumulative ms): "
              + ", ".join(f"{n} {us / 1000:.0f}" for us, n in check["slowest"]))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "machine": facts, "runs": args.runs, "warmup": args.warmup,
            "commands": {c.key: {"label": c.label, "seconds": [r.seconds for r in c.runs],
                                 "tree_peak_mib": [r.tree_peak_mib for r in c.runs],
                                 "memory_run": vars(c.memory), **stats[c.key]} for c in cmds},
            "budgets": [dict(zip(("budget", "measured", "limit", "verdict"), r)) for r in rows],
            "import_checks": checks, "serve": serve, "growth": growth,
        }, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
