"""The web site's search: Pagefind (PyPI `pagefind[bin]`, which ships its binary) indexes the
site's pages, given to it in memory, and writes its bundle: the index, pagefind.js and the
search box (pagefind-ui.js and .css). Searching needs no server of its own: the browser reads
the index files from the site's folder.

Pagefind writes the bundle into a temporary folder outside the outputs (its pipe cannot carry
a large index back), read back here whole, so that the render command writes it with the
site, all or nothing. The same pages give the same bytes. Words are stemmed in the report's
language: Pagefind's Norwegian stemmer serves both `nb` and `nn` (languages.py).
"""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
from pathlib import Path

from reportgen.errors import OutputError

TIMEOUT = 120.0  # seconds for the whole index; the report's ~20 pages take about two
# Files of Pagefind's bundle the site does not use: other search boxes, the highlighter, the
# index of pages whose language it could not tell (there are none: the language is given).
UNUSED = ("pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.",
          "wasm.unknown.")
HINT = ("the search index is made by Pagefind, installed with reportgen (pip install -e ., "
        "which brings pagefind[bin]); install it again, or render without --format site")


def search_bundle(pages: dict[str, str], language: str) -> dict[str, bytes]:
    """Pagefind's bundle for the pages ({file: HTML}), as {path inside the bundle: bytes}."""
    logger = logging.getLogger("pagefind")  # its own log would print on stderr
    logger.addHandler(logging.NullHandler())
    logger.propagate = False
    with tempfile.TemporaryDirectory(prefix="reportgen-search-") as folder:
        try:
            asyncio.run(asyncio.wait_for(_index(pages, language, folder), TIMEOUT))
        except TimeoutError as exc:
            raise OutputError(f"the search index was not done after {TIMEOUT:.0f} seconds",
                              hint=HINT) from exc
        except (ImportError, OSError) as exc:
            raise OutputError(f"cannot make the search index: {exc}", hint=HINT) from exc
        except Exception as exc:
            if type(exc) is not Exception:  # Pagefind's own refusal is a bare Exception
                raise
            raise OutputError(f"Pagefind could not index the site: {exc.args[0]}",
                              hint=HINT) from exc
        return _read_bundle(Path(folder))


async def _index(pages: dict[str, str], language: str, folder: str) -> None:
    """Every page into one index, in file order, written to `folder`."""
    from pagefind.index import PagefindIndex

    # Leaving the block writes the files into output_path and stops Pagefind's process.
    async with PagefindIndex({"force_language": language, "output_path": folder}) as index:
        for name, html in sorted(pages.items()):
            await index.add_html_file(content=html, url=name)


def _read_bundle(folder: Path) -> dict[str, bytes]:
    files = {}
    for top, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            if not name.startswith(UNUSED):
                path = Path(top, name)
                files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return files
