"""The fork server of the PDF workers, when a render has more than one (commands.pdfpool):
multiprocessing's forkserver imports this module, once, before it forks any worker. Importing
it imports WeasyPrint, so that every worker forked from the server has it already (two workers
importing it each cost its import twice: ~0.8 CPU-s of `render all`). Nothing else imports
this module.

The server ends with the render that started it (Linux: the kernel kills it; elsewhere it ends
when the render's end of its pipe closes, as multiprocessing's server does), and each worker
ends with the server (pdfpool's initializer, given SERVER_PID).
"""

from __future__ import annotations

import os
import signal

SERVER_PID = os.getpid()


def _prepare() -> None:
    """Ctrl-C and SIGTERM are the render's to handle (a server stopped part-way through its
    import would print a traceback); the server dies with the render; WeasyPrint imported."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from reportgen.commands.pdfpool import RENDER_PID, exit_with_parent
    from reportgen.render.pdf import import_weasyprint

    # The render's pid as it was when it started the server: a render killed since then
    # has left the server to another parent, and the server ends at once.
    exit_with_parent(int(os.environ.get(RENDER_PID) or os.getppid()))
    import_weasyprint()


_prepare()
