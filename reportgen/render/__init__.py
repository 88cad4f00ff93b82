"""Stage 4, render: view -> bytes, one module per format, and the registry of formats.

Renderers never see YAML. Each format renders from the view or from another format's bytes
(the PDF prints the HTML page); its module holds a `render(source, templates, options)`
function returning the file's bytes; heavy libraries
(docxtpl, WeasyPrint) are imported inside it, so a command that renders nothing (a rebuild
with nothing changed, `check`) never pays for them, and reading this registry imports none.
A new format is one module plus one line in FORMATS.

A format with a `folder` is made of many files and is made once, for the whole report (`render
all`): its `render(site, templates, options)` gets the site's view (present.build_site) and
returns {path inside the folder: bytes}; the command adds the `uses` formats of every document
(the site's copies of the PDF and DOCX files) and writes it all into <out>/<period>/<folder>/.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportgen.project import SITE_FOLDER


@dataclass(frozen=True)
class Format:
    """One output format."""

    name: str  # as in --format, and the file's suffix: 08.docx
    module: str  # the renderer module
    source: str = "view"  # what it renders from: "view", or the name of another format
    in_worker: bool = False  # slow (WeasyPrint): rendered in the PDF worker processes
    media_type: str = ""  # its MIME type, as a link to it says
    folder: str = ""  # many files, in this folder, made once for the whole report
    uses: tuple[str, ...] = ()  # a folder's formats of every document, copied into it

    @property
    def suffix(self) -> str:
        """The file name's suffix, with its dot."""
        return f".{self.name}"

    def renderer(self) -> Callable[..., Any]:
        """The module's `render` function (imports the module)."""
        return importlib.import_module(self.module).render  # type: ignore[no-any-return]


FORMATS: tuple[Format, ...] = (
    Format("docx", "reportgen.render.docx",
           media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    Format("pdf", "reportgen.render.pdf", source="html", in_worker=True,  # prints the page
           media_type="application/pdf"),
    Format("html", "reportgen.render.html", media_type="text/html"),
    # The whole report as a web site, with search and the documents to download.
    Format("site", "reportgen.render.site", folder=SITE_FOLDER, uses=("pdf", "docx")),
)
RENDERERS: dict[str, Format] = {f.name: f for f in FORMATS}
# The site is asked for by name: it is made for `all` only, and copies every document.
DEFAULT_FORMATS = tuple(f.name for f in FORMATS if not f.folder)


@dataclass(frozen=True)
class RenderOptions:
    """What a renderer may be told besides its source and the templates."""

    pdf_variant: str | None = "pdf/a-2a"
    warnings: list[str] | None = None  # a renderer appends what it would warn about

    def warn(self, message: str) -> None:
        """Keep a warning for the caller to show."""
        if self.warnings is not None:
            self.warnings.append(message)


def render_format(name: str, source: Any, templates: Any, options: RenderOptions) -> Any:
    """Render one format from its source (the view, or another format's bytes; a site's
    view for a folder format, which returns {path: bytes})."""
    return RENDERERS[name].renderer()(source, templates, options)
