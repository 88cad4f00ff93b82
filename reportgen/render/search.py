"""The web site's search: Pagefind (PyPI `pagefind[bin]`, which ships its binary) indexes the
site's pages, given to it in memory, and writes its bundle: the index, pagefind.js and the
search box (pagefind-ui.js and .css). Searching needs no server of its own: the browser reads
the index files from the site's folder.

Pagefind hands the bundle back in memory (get_files), so that the render command writes it
with the site, all or nothing; the files it would also write on leaving go to a temporary
folder outside the outputs that is removed unread (files it writes are not always complete
when it answers). Its answer travels through a pipe that holds 2 MiB: about seven times the
sample report's text. A larger report is an error after TIMEOUT, never a half-made index.
The same pages give the same bytes. Words are stemmed in the report's language: Pagefind's
Norwegian stemmer serves both `nb` and `nn` (languages.py).
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from typing import Any

from reportgen.errors import OutputError
from reportgen.messages import _

TIMEOUT = 90.0  # seconds for the whole index; the sample report's 20 pages take about two
# Files of Pagefind's bundle the site does not use: other search boxes, the highlighter, the
# index of pages whose language it could not tell (there are none: the language is given).
UNUSED = ("pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.",
          "wasm.unknown.")


def _hint() -> str:
    return _("the search index is made by Pagefind, installed with reportgen (pip install -e ., "
             "which brings pagefind[bin]); install it again, or render without --format site")


def search_bundle(pages: dict[str, str], language: str) -> dict[str, bytes]:
    """Pagefind's bundle for the pages ({file: HTML}), as {path inside the bundle: bytes}."""
    logger = logging.getLogger("pagefind")  # its own log would print on stderr
    logger.addHandler(logging.NullHandler())
    logger.propagate = False
    with tempfile.TemporaryDirectory(prefix="reportgen-search-") as folder:
        try:
            files = asyncio.run(asyncio.wait_for(_index(pages, language, folder), TIMEOUT))
        except TimeoutError as exc:
            raise OutputError(_("the search index was not done after {seconds} seconds").format(
                seconds=f"{TIMEOUT:.0f}"), hint=_(
                "a very large report may not fit through Pagefind's pipe (2 MiB); {hint}").format(
                hint=_hint())) from exc
        except (ImportError, OSError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise OutputError(_("cannot make the search index: Pagefind cannot run:"
                                " {reason}").format(reason=reason), hint=_hint()) from exc
        except Exception as exc:
            if type(exc) is not Exception:  # Pagefind's own refusal is a bare Exception
                raise
            raise OutputError(_("Pagefind could not index the site: {reason}").format(
                reason=exc.args[0]), hint=_hint()) from exc
    return {f["path"]: f["content"] for f in sorted(files, key=lambda f: f["path"])
            if not f["path"].startswith(UNUSED)}


async def _index(pages: dict[str, str], language: str, folder: str) -> list[Any]:
    """Every page into one index, in file order; the bundle's files as Pagefind returns them.
    Leaving the block writes them once more into `folder` and stops Pagefind's process."""
    from pagefind.index import PagefindIndex

    async with PagefindIndex({"force_language": language, "output_path": folder}) as index:
        for name, html in sorted(pages.items()):
            await index.add_html_file(content=html, url=name)
        return await index.get_files()
