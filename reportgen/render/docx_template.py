"""The Word template, templates/docx/document.docx: opened with the styles and numbering the
body needs, and the problems of its {{ }} fields explained, each a TemplateError naming the
template (and the header, footer or body the field is in).

Part of the DOCX renderer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportgen.errors import SourceLocation, TemplateError
from reportgen.messages import _
from reportgen.outline import CONTENTS_LEVELS, DOCX_LEVELS

# The styles the body is written in: the template must have every one (by its name in Word).
STYLES = ("Normal", *(f"Heading {n}" for n in range(1, DOCX_LEVELS + 1)), "TOC Heading",
          *(f"TOC {n}" for n in range(1, CONTENTS_LEVELS + 1)), "List Bullet", "List Number",
          "Caption", "Table Text", "Table Note", "Figures Table")


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
        found = _("the Word template is missing") if not path.is_file() else _(
            "the Word template is not a Word document (.docx)")
        raise TemplateError(found, location=where,
                            hint=_("the templates folder needs docx/document.docx, saved by"
                                   " Word or LibreOffice as .docx")) from exc
    names = {s.name for s in template.docx.styles}
    missing = [name for name in STYLES if name not in names]
    if missing:
        raise TemplateError(_("the Word template has no style {styles}").format(
            styles=", ".join(repr(m) for m in missing)), location=where, hint=_(
            "add the style in Word (Styles pane, New Style, with exactly that name), or start"
            " from the template that comes with reportgen"))
    try:
        list_numbering(template.docx)
    except (AttributeError, KeyError, NotImplementedError) as exc:
        hint = _("give the style numbering in Word (Define New Multilevel List, linked to the"
                 " style)")
        raise TemplateError(_("the Word template's style 'List Number' has no numbering"),
                            location=where, hint=hint) from exc
    return template


def field_error(exc: Any, template: Any, path: Path) -> TemplateError:
    """A {{ }} or {% %} field of the Word template that does not render, and where it is."""
    import jinja2

    part = str(getattr(template.current_rendering_part, "partname", "") or "").lstrip("/")
    story = next((k for k in ("header", "footer") if k in part.rsplit("/", 1)[-1]), "body")
    if isinstance(exc, jinja2.UndefinedError):
        return TemplateError(_field_message("unknown", story, part, exc.message),
                             location=SourceLocation(str(path)),
            hint=_("the Word template may use only cover, kommune, report_title,"
                   " running_title, period_label, part, labels, contents and body"))
    kind = "syntax" if isinstance(exc, jinja2.TemplateSyntaxError) else "error"
    return TemplateError(_field_message(kind, story, part, exc.message),
                         location=SourceLocation(str(path)),
                         hint=_("fix the Word template, or point --templates at a working"
                                " folder"))


def _field_message(kind: str, story: str, part: str, problem: str) -> str:
    """The message of a field that does not render ("unknown" value, "syntax" or "error"),
    naming the template's `story` (header, footer, body) when `part` names it."""
    message = {"unknown": _("template uses an unknown value: {problem}"),
               "syntax": _("template syntax: {problem}"),
               "error": _("template error: {problem}")}[kind].format(problem=problem)
    if not part:
        return message
    where = {"header": _("the template's header"), "footer": _("the template's footer"),
             "body": _("the template's body")}[story]
    return _("{message} (in {story}, {part})").format(message=message, story=where, part=part)


def list_numbering(doc: Any, style: str = "List Number") -> tuple[Any, int]:
    """The numbering part's element and the abstract numbering the list style uses."""
    numbering = doc.part.numbering_part.element
    style_num = doc.styles[style].element.pPr.numPr.numId.val
    return numbering, numbering.num_having_numId(style_num).abstractNumId.val
