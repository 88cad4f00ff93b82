"""HTML renderer: the view through templates/html/document.html.j2 (Jinja2, autoescape on).

Input text only ever arrives as template *data*; nothing the authors write is compiled.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path

import jinja2

from reportgen.errors import TemplateError, SourceLocation
from reportgen.view import Chart, DocumentView

TEMPLATE = "document.html.j2"


@lru_cache(maxsize=4)
def _environment(html_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(html_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["chart_svg_base64"] = _chart_svg_base64
    return env


def _chart_svg_base64(chart: Chart) -> str:
    from reportgen.render.chart import chart_svg

    return base64.b64encode(chart_svg(chart).encode("utf-8")).decode("ascii")


def render_html(view: DocumentView, templates: Path) -> str:
    """The standalone page for the view."""
    html_dir = templates / "html"
    try:
        template = _environment(html_dir).get_template(TEMPLATE)
        return template.render(doc=view, labels=view.labels)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"template syntax: {exc.message}",
            location=SourceLocation(str(Path(exc.filename or html_dir / TEMPLATE)), exc.lineno),
            hint="fix the template, or point --templates at a working folder",
        ) from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(
            f"template {exc.name} not found in {html_dir}",
            hint="check --templates; the folder needs html/document.html.j2 and html/css/",
        ) from exc
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"template uses an unknown value: {exc.message}",
            location=SourceLocation(str(html_dir / TEMPLATE)),
            hint="templates may use only the fields of the view (reportgen/view.py)",
        ) from exc
