"""The Word template, templates/docx/document.docx: opened with the styles and numbering the
body needs (its zip read once per process, its parts made anew for each document), its {{ }}
fields filled in by docxtpl (each source compiled once per process), and their problems
explained, each a TemplateError naming the template (and the header, footer or body the
field is in).

Part of the DOCX renderer.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from reportgen.errors import SourceLocation, TemplateError
from reportgen.messages import _
from reportgen.outline import CONTENTS_LEVELS, DOCX_LEVELS
from reportgen.render.docx_sections import PART_MARKER
from reportgen.render.docxzip import Kept
from reportgen.view import DocumentView

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
        template.docx = _document(path)  # what docxtpl's init_docx() opens, the zip read once
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


_READ = Kept(4)  # python-docx's PackageReader of a template, by the digest of its bytes


def _document(path: Path) -> Any:
    """python-docx's `Document(path)`, with the zip read once per process while the file's
    bytes stay the same: each call still gets parts of its own, parsed from the bytes read."""
    import hashlib
    import io

    from docx.opc.constants import CONTENT_TYPE
    from docx.opc.package import Unmarshaller
    from docx.opc.part import PartFactory
    from docx.opc.pkgreader import PackageReader
    from docx.package import Package

    data = path.read_bytes()
    key = hashlib.blake2b(data, digest_size=32).digest()
    reader = _READ.get(key)
    if reader is None:
        reader = PackageReader.from_file(io.BytesIO(data))
        _READ.put(key, reader)
    package = Package()
    Unmarshaller.unmarshal(reader, package, PartFactory)
    part = package.main_document_part
    if part.content_type != CONTENT_TYPE.WML_DOCUMENT_MAIN:
        raise ValueError(f"not a Word document: {part.content_type}")
    return part.document


_BLANK: list[Any] = []  # python-docx's default document's element, parsed once


def scratch_document(template: Any) -> Any:
    """A python-docx document to build the body in, before it moves into the template: what
    docxtpl's `new_subdoc()` makes (python-docx's default document on the template's main
    part), its element copied from one parsed once per process instead of opened anew."""
    import copy

    from docx import Document
    from docx.document import Document as DocumentObject

    if not _BLANK:
        _BLANK.append(Document().element)
    return DocumentObject(copy.deepcopy(_BLANK[0]), template.docx.part)


_ENVIRONMENT: list[Any] = []


def fields_environment() -> Any:
    """The Jinja environment docxtpl renders the template's fields in: an unknown name is an
    error, values are escaped, and each source is compiled once per process (docxtpl
    compiles the template's body, header, footer and properties again for each document)."""
    if not _ENVIRONMENT:
        _ENVIRONMENT.append(_compiling_once())
    return _ENVIRONMENT[0]


def _compiling_once() -> Any:
    import jinja2

    compiled = Kept(64)  # the templates compiled, by their source (a few for each document)

    class Environment(jinja2.Environment):
        def from_string(self, source: Any, globals: Any = None,  # noqa: A002
                        template_class: Any = None) -> Any:
            if globals is not None or template_class is not None or not isinstance(source, str):
                return super().from_string(source, globals, template_class)
            template = compiled.get(source)
            if template is None:
                template = super().from_string(source)
                compiled.put(source, template)
            return template

    return Environment(autoescape=True, undefined=jinja2.StrictUndefined)


def fill_fields(template: Any, view: DocumentView, path: Path) -> None:
    """The template's own fields (cover, header, footer) filled in by docxtpl; the body and
    the contents are markers, replaced afterwards."""
    import jinja2

    context = {
        "cover": _guard(asdict(view.cover)) if view.cover else None,
        "kommune": _guard(view.kommune),
        "report_title": _guard(view.report_title),
        "running_title": _guard(view.running_title),
        "part": PART_MARKER,
        "period_label": _guard(view.period_label),
        "labels": _guard(view.labels),
        "contents": CONTENTS_MARKER,
        "body": BODY_MARKER,
    }
    try:
        template.render(context, jinja_env=fields_environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise field_error(exc, template, path) from exc


# docxtpl rewrites `{_{`, `}_}`, `{_%` and `%_}` after rendering. Strings given to it are
# guarded: every "_" (and the guard character itself) becomes a private-use pair, undone after.
GUARD, ESCAPED_GUARD, UNDERSCORE = "\ue000", "\ue000\ue001", "\ue000\ue002"
BODY_MARKER, CONTENTS_MARKER = "reportgen:body", "reportgen:contents"


def _guard(value: Any) -> Any:
    """A string given to docxtpl (or each in a dict), its "_" guarded (see GUARD)."""
    if isinstance(value, str):
        return value.replace(GUARD, ESCAPED_GUARD).replace("_", UNDERSCORE)
    if isinstance(value, dict):
        return {k: _guard(v) for k, v in value.items()}
    return value


def unguard(document: Any) -> None:
    """The guarded strings docxtpl put in the body, header and footer, as they were."""
    import re

    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn

    pairs = {ESCAPED_GUARD: GUARD, UNDERSCORE: "_"}
    parts = [document.element.body]
    # The header and footer parts docxtpl rendered and will save: it puts them in the
    # relationships, while `section.header` would still find the unrendered originals.
    parts += [rel.target_part.element for rel in document.part.rels.values()
              if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external]
    for part in parts:
        for text in part.iter(qn("w:t")):
            if text.text and GUARD in text.text:
                text.text = re.sub("\ue000[\ue001\ue002]", lambda m: pairs[m.group()], text.text)


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
