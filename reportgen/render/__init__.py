"""Stage 4, render: view -> bytes, one module per format, and the registry of formats.

Renderers never see YAML. Each format renders from the view or from another format's bytes
(the PDF prints the HTML page); its module holds a `render(source, templates, options)`
function returning the file's bytes; heavy libraries
(docxtpl, WeasyPrint) are imported inside it, so a command that renders nothing (a rebuild
with nothing changed, `check`) never pays for them, and reading this registry imports none.
A new format is one module plus one line in FORMATS.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Format:
    """One output format."""

    name: str  # as in --format, and the file's suffix: 08.docx
    module: str  # the renderer module
    source: str = "view"  # what it renders from: "view", or the name of another format
    in_worker: bool = False  # slow (WeasyPrint): rendered in the PDF worker processes

    @property
    def suffix(self) -> str:
        """The file name's suffix, with its dot."""
        return f".{self.name}"

    def renderer(self) -> Callable[..., bytes]:
        """The module's `render` function (imports the module)."""
        return importlib.import_module(self.module).render  # type: ignore[no-any-return]


FORMATS: tuple[Format, ...] = (
    Format("docx", "reportgen.render.docx"),
    Format("pdf", "reportgen.render.pdf", source="html", in_worker=True),  # prints the page
    Format("html", "reportgen.render.html"),
)
RENDERERS: dict[str, Format] = {f.name: f for f in FORMATS}
DEFAULT_FORMATS = tuple(RENDERERS)
DEFAULT_PDF_VARIANT = "pdf/a-2a"  # tagged, accessible and archival
DRAFT_PDF_VARIANT = "pdf/ua-1"  # a draft's: tagged and accessible, but never labelled PDF/A


@dataclass(frozen=True)
class RenderOptions:
    """What a renderer may be told besides its source and the templates."""

    pdf_variant: str | None = DEFAULT_PDF_VARIANT
    warnings: list[str] | None = None  # a renderer appends what it would warn about

    def warn(self, message: str) -> None:
        """Keep a warning for the caller to show."""
        if self.warnings is not None:
            self.warnings.append(message)


def render_format(name: str, source: Any, templates: Any, options: RenderOptions) -> bytes:
    """Render one format from its source (the view, or another format's bytes)."""
    return RENDERERS[name].renderer()(source, templates, options)
