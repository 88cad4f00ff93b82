"""The worker processes of `reportgen render`: forked at the start of a run, so that
WeasyPrint's import overlaps validation; each renders a format that the registry marks
`in_worker` (the PDF). A run that makes no PDF but a DOCX makes it in one worker of its own
(the registry's `apart`): python-docx's import and the document overlap validation and the
HTML. A worker that stops before its work is done (killed, or out of memory) ends the run
with an error, before anything is written. Part of the render command; imports the render
registry, errors and messages only.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reportgen.errors import OutputError
from reportgen.messages import _


def render_in_worker(fmt: str, source: Any, templates: Path,
                     pdf_variant: str | None) -> tuple[bytes, list[str]]:
    """One format's bytes and the warnings its renderer gave (in a worker, or in process)."""
    from reportgen.render import RenderOptions, render_format

    warnings: list[str] = []
    data = render_format(fmt, source, templates, RenderOptions(pdf_variant, warnings))
    return data, warnings


def _warm_worker(parent: int | None, formats: tuple[str, ...]) -> None:
    """Import the renderers of `formats` (their modules' warm_up) while the main process
    validates the inputs. `parent` is the pid of the process that forks the workers: the
    render's, or None for the fork server's (commands.pdfserver, where WeasyPrint is imported
    already)."""
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C and
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # SIGTERM, then shuts the pool down
    if parent is None:  # the fork server's pid, as it was before this worker was forked
        server = sys.modules.get(SERVER)
        parent = server.SERVER_PID if server is not None else os.getppid()
    exit_with_parent(parent)
    from reportgen.render import RENDERERS

    for name in formats:
        RENDERERS[name].renderer_module().warm_up()


def exit_with_parent(parent: int) -> None:
    """A main process killed outright (SIGKILL) cannot shut its pool down, and the workers
    would wait for work forever: each worker ends once its parent is gone. On Linux the kernel
    kills the worker at once (PR_SET_PDEATHSIG); elsewhere a thread looks every 0.1 s.

    `parent` is the pid the parent had before the fork: asked here, after it, a parent that
    died already would give the pid of the process that adopted the worker. The kernel sends
    the signal when the thread that forked the worker ends; that is the thread that runs the
    render and waits for the workers (start_workers forks them at once, see there)."""
    if not _kill_me_with_parent():
        _watch_parent(parent)
    if os.getppid() != parent:  # the parent died before the kernel was told to watch it
        os._exit(1)


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _kill_me_with_parent() -> bool:
    """Ask Linux to send this process SIGKILL when its parent dies; False where it cannot."""
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    except (OSError, AttributeError):  # no C library to load, or no prctl in it
        return False


def _watch_parent(parent: int) -> None:
    """The fallback: a thread that ends the process once its parent is gone."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.1)
        os._exit(1)

    threading.Thread(target=watch, name="reportgen-parent-watch", daemon=True).start()


SERVER = "reportgen.commands.pdfserver"
RENDER_PID = "REPORTGEN_RENDER_PID"  # the render's pid, as the fork server is told it


def start_workers(count: int, jobs: int | None, formats: tuple[str, ...]) -> Any:
    """A pool of worker processes for `formats`, started now so their imports overlap
    validation; with one job, the work is done in this process, one after the other. One
    worker is forked from this process; several are forked from a fork server that imports
    WeasyPrint once for all of them (commands.pdfserver: several workers are for PDF only)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    jobs = jobs or len(os.sched_getaffinity(0))
    if jobs <= 1:
        return InProcess()
    workers = min(count, jobs)
    if workers == 1:
        from reportgen.render import RENDERERS

        for name in formats:  # the DOCX's module (and the model it imports), here before the
            if RENDERERS[name].apart:  # fork: this process needs the model too (the PDF's
                RENDERERS[name].renderer_module()  # is not: WeasyPrint would wait for it)
        pool = ProcessPoolExecutor(1, multiprocessing.get_context("fork"),
                                   initializer=_warm_worker, initargs=(os.getpid(), formats))
        pool.submit(os.getpid)  # the worker starts at the first job: make that now
        return pool
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([SERVER])
    pool = ProcessPoolExecutor(workers, context, initializer=_warm_worker,
                               initargs=(None, formats))
    _start_server()
    # A worker's start waits until the server has imported WeasyPrint: the first one is asked
    # for from a thread of its own, while this one goes on to validate the inputs.
    threading.Thread(target=_first_job, args=(pool,), name="reportgen-first-worker",
                     daemon=True).start()
    return pool


def _start_server() -> None:
    """The fork server, started by this thread (the kernel ends it when the thread ends) and
    told this process's pid."""
    from multiprocessing import forkserver

    os.environ[RENDER_PID] = str(os.getpid())
    try:
        forkserver.ensure_running()
    finally:
        del os.environ[RENDER_PID]


def _first_job(pool: Any) -> None:
    """The pool's first job, which starts its first worker. A failure shows at the render's
    own jobs (a broken pool refuses them)."""
    with contextlib.suppress(Exception):
        pool.submit(os.getpid)


def stop_workers(pool: Any) -> None:
    """End the workers of start_workers (jobs not yet started are dropped) and their fork
    server, and reap them: nothing is left running, and their processor time is counted as
    this process's children's, as it is with workers forked from here."""
    pool.shutdown(cancel_futures=True)
    if isinstance(pool, InProcess):
        return
    from multiprocessing import forkserver, resource_tracker

    for helper, pid in ((getattr(forkserver, "_forkserver", None), "_forkserver_pid"),
                        (getattr(resource_tracker, "_resource_tracker", None), "_pid")):
        if getattr(helper, pid, None) is not None:  # the server, and multiprocessing's
            helper._stop()  # tracker of semaphores, which it starts for the server


@contextlib.contextmanager
def worker_failures(pool: Any, formats: tuple[str, ...]) -> Iterator[None]:
    """Around the work handed to `pool` (from start_workers for `formats`, or None): a worker
    process that stopped (the pool is broken then) as an OutputError."""
    if pool is None or isinstance(pool, InProcess):
        yield
        return
    from concurrent.futures.process import BrokenProcessPool

    from reportgen.render import RENDERERS

    try:
        yield
    except BrokenProcessPool as exc:
        if any(RENDERERS[name].in_worker for name in formats):  # the PDF's workers
            raise OutputError(_("a PDF worker process stopped unexpectedly (perhaps it was"
                                " killed, or the computer ran out of memory); nothing was"
                                " written"),
                              hint=_("run the command again; if it stops again, close other"
                                     " programs, or add --jobs 1 to render one PDF at a time"),
                              ) from exc
        raise OutputError(_("the worker process that makes the Word documents stopped"
                            " unexpectedly (perhaps it was killed, or the computer ran out of"
                            " memory); nothing was written"),
                          hint=_("run the command again; if it stops again, close other"
                                 " programs, or add --jobs 1 to render in one process")) from exc


class InProcess:
    """The pool's interface, doing the work at once in this process (`--jobs 1`)."""

    def submit(self, function: Any, *args: Any) -> Any:
        """Run `function(*args)` now; its result as a finished future."""
        from concurrent.futures import Future

        future: Future[Any] = Future()
        future.set_result(function(*args))
        return future

    def shutdown(self, cancel_futures: bool = False) -> None:
        """Nothing to shut down."""
