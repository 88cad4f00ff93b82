"""HTML renderer: the view through templates/html/document.html.j2 (Jinja2, autoescape on).

Input text only ever arrives as template *data*; nothing the authors write is compiled.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2.loaders import split_template_path
from markupsafe import Markup

from reportgen import project
from reportgen.errors import SourceLocation, TemplateError
from reportgen.messages import _
from reportgen.view import (
    LOGO_BOX_MM,
    Chart,
    DocumentView,
    Heading,
    ListBlock,
    Paragraph,
    Picture,
    SeriesChart,
    Span,
)

if TYPE_CHECKING:
    from reportgen.render import RenderOptions

TEMPLATE = "document.html.j2"
CHART_TEMPLATE = "chart.svg.j2"  # the whole report's chart, from the page's template
SERIES_TEMPLATE = "series.svg.j2"  # a table's chart (`diagram:`)


class _OrdinaryFiles(jinja2.FileSystemLoader):
    """Jinja's loader, opening only ordinary files: a named pipe or a device among the
    templates is a TemplateError that names it, never a read that hangs or never ends."""

    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        """The template's text, once project.check_file has seen what it is."""
        for folder in self.searchpath:
            path = Path(folder, *split_template_path(template))
            if project.exists(path):
                project.check_file(path, error=TemplateError)
                break
        return super().get_source(environment, template)


@lru_cache(maxsize=4)
def _environment(html_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=_OrdinaryFiles(html_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["chart_svg_base64"] = _chart_svg_base64
    env.filters["series_svg_base64"] = _series_svg_base64
    env.filters["shows_address"] = shows_address
    env.filters["balanced"] = balanced
    env.filters["font_faces"] = _font_faces
    env.filters["data_url"] = data_url
    env.filters["logo_size"] = logo_size
    return env


def data_url(picture: Picture) -> str:
    """The picture as a data: URL, so that the page stays one file."""
    return f"data:{picture.media_type};base64,{base64.b64encode(picture.data).decode('ascii')}"


CSS_PX_PER_MM = 96 / 25.4


def logo_size(picture: Picture) -> dict[str, int]:
    """The logo's width and height in CSS pixels: as large as fits in LOGO_BOX_MM."""
    width, height = picture.fit(*(mm * CSS_PX_PER_MM for mm in LOGO_BOX_MM))
    return {"width": max(1, round(width)), "height": max(1, round(height))}


def shows_address(span: Span) -> bool:
    """Whether a link's text already is its address ("drammen.kommune.no" for
    https://www.drammen.kommune.no/): print.css then does not print the address after it."""
    def bare(text: str) -> str:
        text = re.sub(r"^(?:https?://|mailto:)", "", text.strip().lower())
        return text.removeprefix("www.").rstrip("/")

    return span.href is not None and bare(span.text) == bare(span.href)


BALANCE_WORDS = 3  # a heading of at least this many words
BALANCE_CHARS = 20  # whose last two words are at most this long together


def balanced(text: str) -> str:
    """A heading with a no-break space between its last two words, so that a heading that
    wraps never leaves one word alone on its last line ("… og / næring"). WeasyPrint has no
    `text-wrap: balance`; this is the typesetter's rule for a lone last word."""
    words = text.split(" ")
    if len(words) < BALANCE_WORDS or len(words[-2]) + len(words[-1]) + 1 > BALANCE_CHARS:
        return text
    return " ".join(words[:-2]) + " " + words[-2] + "\u00a0" + words[-1]


@jinja2.pass_environment
def _chart_svg_base64(env: jinja2.Environment, chart: Chart) -> str:
    return base64.b64encode(_chart_svg(env, chart).encode("utf-8")).decode("ascii")


# The page's own font (scripts/make_fonts.py: Carlito's subset, renamed), as data: URLs in a
# <style media="screen">, so that the page stays one file and lays out the same wherever it is
# opened. WeasyPrint prints with media "print" and never reads them: the PDF embeds Carlito.
WEB_FONT = "Reportgen Sans"
WEB_FONT_FACES = {  # file -> (weight, style)
    "ReportgenSans-Regular.woff2": ("normal", "normal"),
    "ReportgenSans-Bold.woff2": ("bold", "normal"),
    "ReportgenSans-Italic.woff2": ("normal", "italic"),
    "ReportgenSans-BoldItalic.woff2": ("bold", "italic"),
}


@jinja2.pass_environment
def _font_faces(env: jinja2.Environment, doc: DocumentView) -> Markup:
    """The @font-face rules of the faces the page uses (italic ones only where it has italic
    text or a sixth-level heading)."""
    fonts = Path(env.globals["fonts_dir"])  # type: ignore[arg-type]
    italic, bold_italic = _italics(doc)
    rules = []
    for name, (weight, style) in WEB_FONT_FACES.items():
        if style == "italic" and not (bold_italic if weight == "bold" else italic):
            continue
        rules.append(f'@font-face {{ font-family: "{WEB_FONT}"; font-weight: {weight}; '
                     f"font-style: {style}; font-display: block; "
                     f'src: url("data:font/woff2;base64,{_font_base64(fonts / name)}") '
                     'format("woff2"); }')
    return Markup("\n".join(rules))


def _font_hint() -> str:
    return _("the page's font is templates/fonts/ReportgenSans-*.woff2 (scripts/make_fonts.py"
             " makes them): copy them into the templates folder's fonts/")


@lru_cache(maxsize=8)
def _font_base64(path: Path) -> str:
    try:
        project.check_file(path, error=TemplateError)  # a named pipe would hang the read
        return base64.b64encode(path.read_bytes()).decode("ascii")
    except TemplateError as exc:
        raise TemplateError(exc.message, location=exc.location, hint=_font_hint()) from None
    except OSError as exc:
        raise TemplateError(_("cannot read the page's font: {reason}").format(
            reason=exc.strerror), location=SourceLocation(project.display_path(path)),
            hint=_font_hint()) from exc


def _italics(doc: DocumentView) -> tuple[bool, bool]:
    """(any italic text, any bold italic text): spans, and h6 (bold, and italic in screen.css)."""
    spans = [s for b in doc.blocks if isinstance(b, Paragraph) for s in b.spans]
    spans += [s for b in doc.blocks if isinstance(b, ListBlock) for item in b.items for s in item]
    h6 = any(isinstance(b, Heading) and b.level >= 6 for b in doc.blocks)
    return any(s.italic for s in spans) or h6, any(s.italic and s.bold for s in spans) or h6


@jinja2.pass_environment
def _chart_svg_base64(env: jinja2.Environment, chart: Chart, narrow: bool = False) -> str:
    """The whole report's chart as SVG, base64 for an <img> data URL: as printed (16 cm), or
    `narrow`, drawn for a phone's width."""
    return base64.b64encode(_chart_svg(env, chart, narrow).encode("utf-8")).decode("ascii")


@jinja2.pass_environment
def _series_svg_base64(env: jinja2.Environment, chart: SeriesChart, narrow: bool = False) -> str:
    """A table's chart as SVG, base64 for an <img> data URL (`narrow`: as for the chart)."""
    from reportgen.render.series import NARROW, PRINT, series_layout

    layout = series_layout(chart, NARROW if narrow else PRINT)
    svg = env.get_template(SERIES_TEMPLATE).render(layout=layout)
    return base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _chart_svg(env: jinja2.Environment, chart: Chart, narrow: bool = False) -> str:
    """The chart as a standalone SVG document: its layout through templates/html/chart.svg.j2,
    autoescaped like the page (the bars' labels are the authors' area names)."""
    from reportgen.render.chart import chart_layout, narrow_chart_layout

    layout = narrow_chart_layout(chart) if narrow else chart_layout(chart)
    return env.get_template(CHART_TEMPLATE).render(layout=layout)


def render_chart_svg(chart: Chart, templates: Path) -> str:
    """The chart's SVG on its own, as the page embeds it."""
    return _chart_svg(_environment(templates / "html"), chart)


def render(view: DocumentView, templates: Path, options: RenderOptions) -> bytes:
    """The format's entry (see reportgen.render): the page as UTF-8 bytes."""
    return render_html(view, templates).encode("utf-8")


def check(templates: Path, views: tuple[DocumentView, ...]) -> None:
    """The templates tried on the views (reportgen.render.check_templates): they compile and
    render; TemplateError with the template's file and line where not."""
    for view in views:
        render_html(view, templates)


def render_html(view: DocumentView, templates: Path) -> str:
    """The standalone page for the view."""
    return render_template(TEMPLATE, templates, doc=view, labels=view.labels)


def render_template(name: str, templates: Path, **context: Any) -> str:
    """A template of templates/html/ (such as site/page.html.j2) filled with `context`; a
    problem with the template is a TemplateError naming it."""
    html_dir = templates / "html"
    try:
        env = _environment(html_dir)
        env.globals["fonts_dir"] = str(templates / "fonts")
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            _("template syntax: {problem}").format(problem=exc.message),
            location=SourceLocation(str(Path(exc.filename or html_dir / name)), exc.lineno),
            hint=_("fix the template, or point --templates at a working folder"),
        ) from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(
            _("template {name} not found in {folder}").format(name=exc.name, folder=html_dir),
            hint=_("check --templates; the folder needs html/document.html.j2,"
                   " html/blocks.html.j2, html/chart.svg.j2, html/css/ and, for the site,"
                   " html/site/"),
        ) from exc
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            _("template uses an unknown value: {problem}").format(problem=exc.message),
            location=_template_line(exc) or SourceLocation(str(html_dir / name)),
            hint=_("templates may use only the fields of the view (reportgen/view.py)"),
        ) from exc
    except Exception as exc:
        where = _template_line(exc, innermost=True)
        if where is None:  # not the template's own code: a bug
            raise
        raise TemplateError(
            _("template error: {problem}").format(problem=f"{type(exc).__name__}: {exc}"),
            location=where,
            hint=_("fix the template, or point --templates at a working folder"),
        ) from exc


def _template_line(exc: BaseException, innermost: bool = False) -> SourceLocation | None:
    """The template file and line the error was raised from (Jinja puts them in the
    traceback); with `innermost`, only when the template itself raised it."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    if innermost:
        frames = frames[-1:]
    found = [f for f in frames if f.filename.endswith(".j2")]
    if not found:
        return None
    return SourceLocation(found[-1].filename, found[-1].lineno)
