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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.errors import ReportgenError, collect
from reportgen.project import CHART_FONTS

if TYPE_CHECKING:
    from reportgen.view import DocumentView

from reportgen.project import SITE_FOLDER


@dataclass(frozen=True)
class Format:
    """One output format."""

    name: str  # as in --format, and the file's suffix: 08.docx
    module: str  # the renderer module
    source: str = "view"  # what it renders from: "view", or the name of another format
    in_worker: bool = False  # slow (WeasyPrint): rendered in the PDF worker processes
    # Slow to import (python-docx, docxtpl): with no in_worker format to make, rendered in a
    # worker process of its own, whose import overlaps validation and the other formats.
    apart: bool = False
    template_files: tuple[str, ...] = ()  # in templates/: what its `check` tries, if not shipped
    foresees: bool = False  # its module's view_warnings(view) says what rendering will warn of
    media_type: str = ""  # its MIME type, as a link to it says
    folder: str = ""  # many files, in this folder, made once for the whole report
    uses: tuple[str, ...] = ()  # a folder's formats of every document, copied into it

    @property
    def suffix(self) -> str:
        """The file name's suffix, with its dot."""
        return f".{self.name}"

    def renderer(self) -> Callable[..., Any]:
        """The module's `render` function (imports the module)."""
        return self.renderer_module().render  # type: ignore[no-any-return]

    def renderer_module(self) -> Any:
        """The renderer module (imported)."""
        return importlib.import_module(self.module)


FORMATS: tuple[Format, ...] = (
    Format("docx", "reportgen.render.docx", template_files=("docx/document.docx", *CHART_FONTS),
           foresees=True, apart=True,
           media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    Format("pdf", "reportgen.render.pdf", source="html", in_worker=True,  # prints the page
           media_type="application/pdf"),
    Format("html", "reportgen.render.html", template_files=(
        "html/document.html.j2", "html/blocks.html.j2", "html/chart.svg.j2",
        "html/series.svg.j2", "html/css/screen.css"), media_type="text/html"),
    # The whole report as a web site, with search and the documents to download.
    Format("site", "reportgen.render.site", folder=SITE_FOLDER, uses=("pdf", "docx")),
)
RENDERERS: dict[str, Format] = {f.name: f for f in FORMATS}
# The site is asked for by name: it is made for `all` only, and copies every document.
DEFAULT_FORMATS = tuple(f.name for f in FORMATS if not f.folder)
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


def render_format(name: str, source: Any, templates: Any, options: RenderOptions) -> Any:
    """Render one format from its source (the view, or another format's bytes; a site's
    view for a folder format, which returns {path: bytes})."""
    return RENDERERS[name].renderer()(source, templates, options)


# The template files that come with reportgen, by format: the SHA-256 of what `check` would
# try (Format.template_files). The test suite renders these in every way, so `check` tries a
# format's templates only where they differ; tests/test_validation_parity.py says when a
# shipped template changed and this table needs its new digest.
def check_templates(templates: Path, views: Callable[[], tuple[DocumentView, ...]],
                    always: bool = False) -> list[ReportgenError]:
    """Every format's templates tried on the views (present.sample_views), as a render would
    use them, writing nothing: the problems a render would meet, each once. Each format's
    module does it in its `check(templates, views)`; the PDF's only looks for its stylesheet,
    so WeasyPrint is not imported. Templates as they come with reportgen are not tried again
    (nor Jinja or python-docx loaded for them), unless `always`."""
    problems: list[ReportgenError] = []
    shipped = shipped_templates()
    tried = [fmt for fmt in FORMATS if always or not fmt.template_files
             or template_digest(templates, fmt.template_files)
             != template_digest(shipped, fmt.template_files)]
    made = views() if any(fmt.template_files for fmt in tried) else ()
    for fmt in tried:
        module = importlib.import_module(fmt.module)
        if hasattr(module, "check"):  # a format without templates of its own tries nothing
            collect(problems, lambda m=module: m.check(templates, made))  # type: ignore[misc]
    return list({(str(p.location), p.message): p for p in problems}.values())


def shipped_templates() -> Path:
    """The templates folder that comes with reportgen (the package's, or the repository's)."""
    package = Path(__file__).resolve().parent.parent
    return next((c for c in (package / "templates", package.parent / "templates")
                 if c.is_dir()), package / "templates")


def template_digest(templates: Path, files: tuple[str, ...]) -> str | None:
    """The SHA-256 of the files (their names and bytes); None when one cannot be read."""
    import hashlib

    digest = hashlib.sha256()
    for name in files:
        try:
            data = (templates / name).read_bytes()
        except OSError:
            return None
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def view_warnings(name: str, view: DocumentView) -> list[str]:
    """What rendering the view in a format will warn about, known from the view alone (a
    title too long for the DOCX properties): its module's `view_warnings`, if it `foresees`."""
    if not RENDERERS[name].foresees:
        return []
    return list(importlib.import_module(RENDERERS[name].module).view_warnings(view))
