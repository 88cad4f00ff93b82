"""The Word template, templates/docx/document.docx: opened with the styles and numbering the
body needs, and the problems of its {{ }} fields explained, each a TemplateError naming the
template (and the header, footer or body the field is in).

Part of the DOCX renderer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportgen.errors import SourceLocation, TemplateError
from reportgen.outline import CONTENTS_LEVELS, DOCX_LEVELS

# The styles the body is written in: the template must have every one (by its name in Word).
STYLES = ("Normal", *(f"Heading {n}" for n in range(1, DOCX_LEVELS + 1)), "TOC Heading",
          *(f"TOC {n}" for n in range(1, CONTENTS_LEVELS + 1)), "List Bullet", "List Number",
          "Caption", "Table Text", "Table Note", "Figures Table")
TEMPLATE_HINT = "fix the Word template, or point --templates at a working folder"


def open_template(path: Path) -> Any:
    """The Word template, opened; TemplateError when it is not a DOCX with the styles and the
    numbering the body needs."""
    import zipfile

    from docx.opc.exceptions import PackageNotFoundError
    from docxtpl import DocxTemplate
    from lxml.etree import XMLSyntaxError

    from reportgen import project

    where = SourceLocation(str(path))
    if project.exists(path):  # a named pipe would hang the zip reader; missing: said below
        project.check_file(path, error=TemplateError)
    template = DocxTemplate(str(path))
    try:
        template.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, XMLSyntaxError, KeyError, ValueError,
            OSError) as exc:
        found = "is missing" if not path.is_file() else "is not a Word document (.docx)"
        raise TemplateError(f"the Word template {found}", location=where,
                            hint="the templates folder needs docx/document.docx, saved by Word"
                            " or LibreOffice as .docx") from exc
    names = {s.name for s in template.docx.styles}
    missing = [name for name in STYLES if name not in names]
    if missing:
        raise TemplateError(
            f"the Word template has no style {', '.join(repr(m) for m in missing)}",
            location=where, hint="add the style in Word (Styles pane, New Style, with exactly"
            " that name), or start from the template that comes with reportgen")
    try:
        list_numbering(template.docx)
    except (AttributeError, KeyError, NotImplementedError) as exc:
        raise TemplateError("the Word template's style 'List Number' has no numbering",
                            location=where, hint="give the style numbering in Word (Define New"
                            " Multilevel List, linked to the style)") from exc
    return template


def field_error(exc: Any, template: Any, path: Path) -> TemplateError:
    """A {{ }} or {% %} field of the Word template that does not render, and where it is."""
    import jinja2

    part = str(getattr(template.current_rendering_part, "partname", "") or "").lstrip("/")
    story = next((k for k in ("header", "footer") if k in part.rsplit("/", 1)[-1]), "body")
    where = f" (in the template's {story}, {part})" if part else ""
    if isinstance(exc, jinja2.UndefinedError):
        return TemplateError(f"template uses an unknown value: {exc.message}{where}",
                             location=SourceLocation(str(path)),
                             hint="the Word template may use only cover, kommune, report_title,"
                             " running_title, period_label, part, labels, contents and body")
    kind = "syntax" if isinstance(exc, jinja2.TemplateSyntaxError) else "error"
    return TemplateError(f"template {kind}: {exc.message}{where}",
                         location=SourceLocation(str(path)), hint=TEMPLATE_HINT)


def list_numbering(doc: Any, style: str = "List Number") -> tuple[Any, int]:
    """The numbering part's element and the abstract numbering the list style uses."""
    numbering = doc.part.numbering_part.element
    style_num = doc.styles[style].element.pPr.numPr.numId.val
    return numbering, numbering.num_having_numId(style_num).abstractNumId.val
