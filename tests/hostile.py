"""Running the command on hostile input: bounded in time and memory, and watched for writes.

Shared by test_hostile_corpus.py (one named case per kind of fault) and test_fuzz.py (the
fuzzers). The invariants are the same for both:

- the exit status is 0, 1 or 2, never 70 (an internal error) and never a hang;
- an exit status of 1 comes with an `error:` line on stderr;
- nothing is written outside the output folder, and nothing at all unless the run succeeded.
"""

from __future__ import annotations

import contextlib
import io
import os
import resource
import signal
import stat
import subprocess
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from helpers import ROOT, Result, reportgen_command, run_main

ALLOWED_CODES = (0, 1, 2)
MEMORY_LIMIT = 2 << 30  # bytes of address space for a command run as a process
PROCESS_SECONDS = 20  # a command run as a process is killed after this long
IN_PROCESS_SECONDS = 60  # a command run in this process is interrupted after this long

# An area with every part the importer reads: lead, lists, a sub-heading, bold, italic, a
# link, the figures table, investeringer and andre_forhold, and a comment to keep.
RICH_AREA = """\
# Kommentaren skal stå.
ingress: |
  Ny strategisk næringsplan er vedtatt. **Fet**, *kursiv* og [lenke](https://www.drammen.kommune.no/).

  Andre avsnitt.
økonomisk_status:
  fakta: Forbruk i tråd med budsjett per april.
  vurdering: |
    Det er viktig.

    # Økte husleieutgifter

    - et punkt
    - et punkt til

    1. første
    2. andre
  konklusjon: "Årsresultat i balanse."
  tall:
    enhet: mill. kr
    rader:
      - navn: Næringsutvikling
        regnskap: 4.1
        budsjett: 4.3
        årsbudsjett: 12.9
        prognose: 12.9
      - navn: Markedsføring
        regnskap: 1.25
        budsjett: 1.0
        årsbudsjett: 3.0
        prognose: 3.4
investeringer: |
  # Vannforsyning

  Arbeidet går etter planen.
andre_forhold:
  - overskrift: Næringsvekst 2020
    tekst: |
      Prosjektet har fire satsingsområder.
  - tekst: Uten overskrift.
"""


# --- what is on disk -----------------------------------------------------------------------------

def tree(root: Path, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every entry below root by relative path, never following a link or opening a FIFO:
    a file's bytes, a link's target, ("dir",) for a folder, ("special", mode) for the rest.
    Paths in `skip` (relative, such as "out" or "templates") are left out with all below them."""
    found: dict[str, Any] = {}
    if not os.path.lexists(root):
        return found
    for top, dirs, files in os.walk(root, followlinks=False):
        rel_top = os.path.relpath(top, root)
        kept = []
        for name in sorted(dirs):
            rel = os.path.normpath(os.path.join(rel_top, name))
            if rel in skip:
                continue
            if os.path.islink(os.path.join(top, name)):
                found[rel] = ("link", os.readlink(os.path.join(top, name)))
            else:
                found[rel] = ("dir",)
                kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            rel = os.path.normpath(os.path.join(rel_top, name))
            if rel not in skip:
                found[rel] = _entry(Path(top, name))
    return found


def _entry(path: Path) -> Any:
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode):
        return ("link", os.readlink(path))
    if stat.S_ISREG(info.st_mode):
        return path.read_bytes()
    return ("special", stat.S_IFMT(info.st_mode))


def changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The paths added, removed or changed between two trees, sorted."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


# --- running the command -------------------------------------------------------------------------

class Hang(BaseException):
    """The command ran past its time bound (a BaseException, so that reportgen's handler of
    internal errors does not take it for one)."""


@contextlib.contextmanager
def time_bound(seconds: float) -> Iterator[None]:
    """Raise Hang in this (the main) thread once `seconds` have passed."""
    def expired(signum: int, frame: Any) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_in_process(argv: list[str], cwd: Path, seconds: float = IN_PROCESS_SECONDS) -> Result:
    """reportgen in this process, in `cwd`, interrupted after `seconds` (exit 124 then)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    old = Path.cwd()
    os.chdir(cwd)
    handlers = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    debug = os.environ.get("REPORTGEN_DEBUG")
    os.environ["REPORTGEN_DEBUG"] = "1"  # an internal error shows its traceback
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            with time_bound(seconds):
                code = run_main(argv)
    except Hang as exc:
        code = 124
        stderr.write(f"[test] {exc}\n")
    finally:
        os.chdir(old)
        if debug is None:
            del os.environ["REPORTGEN_DEBUG"]
        else:
            os.environ["REPORTGEN_DEBUG"] = debug
        for number, handler in handlers.items():
            signal.signal(number, handler)
    return Result(code, stdout.getvalue(), stderr.getvalue())


def limits(file_size: int | None = None) -> Any:
    """A preexec_fn: its own process group, MEMORY_LIMIT of memory, optionally a file-size
    limit (with SIGXFSZ ignored, so a write past it fails with EFBIG instead of killing)."""
    def apply() -> None:
        os.setsid()
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        if file_size is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
    return apply


def process_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a command run as a process: this worktree's code first."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["REPORTGEN_DEBUG"] = "1"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return {**env, **(extra or {})}


def start_process(argv: list[str], cwd: Path, env: dict[str, str] | None = None,
                  file_size: int | None = None) -> subprocess.Popen[str]:
    """reportgen as a process of its own group, bounded in memory."""
    return subprocess.Popen(
        [*reportgen_command(), *argv], cwd=cwd, env=process_env(env), text=True,
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        preexec_fn=limits(file_size),
    )


def finish(process: subprocess.Popen[str], seconds: float = PROCESS_SECONDS) -> Result:
    """Wait for the process; kill its whole group past `seconds` (exit 124 then)."""
    try:
        out, err = process.communicate(timeout=seconds)
        return Result(process.returncode, out, err)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        return Result(124, out, err + f"[test] still running after {seconds} s\n")


def run_as_process(argv: list[str], cwd: Path, env: dict[str, str] | None = None,
                   seconds: float = PROCESS_SECONDS, file_size: int | None = None) -> Result:
    """reportgen as a process: bounded in time and memory."""
    return finish(start_process(argv, cwd, env, file_size), seconds)


def problems(result: Result) -> list[str]:
    """What breaks the invariants in one result (empty: none)."""
    found = []
    if result.code not in ALLOWED_CODES:
        found.append(f"exit status {result.code}")
    if result.code == 1 and not any(": error: " in f" {line}" or line.startswith("error: ")
                                    for line in result.err.splitlines()):
        found.append("exit status 1 without an `error:` line on stderr")
    return found


# --- DOCX packages -------------------------------------------------------------------------------

def docx_parts(data: bytes) -> dict[str, bytes]:
    """The parts of a DOCX (a zip), by name, in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


def docx_package(parts: dict[str, bytes] | list[tuple[str, bytes]]) -> bytes:
    """A DOCX from its parts; a list may name a part twice (a duplicate entry)."""
    items = parts.items() if isinstance(parts, dict) else parts
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in items:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a duplicate name is what is wanted here
                package.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data,
                                 zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def zip_bomb(parts: dict[str, bytes], name: str, head: bytes, filler: bytes, times: int,
             tail: bytes) -> bytes:
    """A DOCX whose part `name` inflates to head + filler * times + tail, built without
    compressing all of it: after a full flush deflate starts afresh, so the compressed filler
    is the same bytes each time and is repeated as such. The other parts as they are."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(filler) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(filler, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(filler) * times + len(tail)
    raw = start + block * times + end
    entries = [(n, zlib.compress(d, 9)[2:-4], zlib.crc32(d), len(d)) for n, d in parts.items()
               if n != name]
    entries.insert(1, (name, raw, crc, size))
    return _raw_zip(entries)


def _raw_zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of already deflated entries (name, deflated bytes, crc32, inflated size)."""
    import struct

    body, central = io.BytesIO(), io.BytesIO()
    for name, raw, crc, size in entries:
        offset = body.tell()
        encoded = name.encode()
        body.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(raw),
                               size, len(encoded), 0) + encoded + raw)
        central.write(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc,
                                  len(raw), size, len(encoded), 0, 0, 0, 0, 0, offset)
                      + encoded)
    directory = central.getvalue()
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                      len(directory), body.tell(), 0)
    return body.getvalue() + directory + end
