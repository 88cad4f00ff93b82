"""A made-up area and report that hold every kind of block the view has, for `check` to try
the templates on without rendering the real documents.

Part of stage 3 (present); see the package's docstring for what it imports.
"""

from __future__ import annotations

from decimal import Decimal

from reportgen.model import (
    DEFAULT_UNIT,
    Area,
    AreaInput,
    Chapter,
    EconomicStatus,
    FigureRow,
    Figures,
    Kommune,
    OtherMatter,
    Period,
    Report,
    ReportInput,
)
from reportgen.present.document import build_area_document, build_report_document
from reportgen.view import DocumentView

# Every block and span of the Markdown subset once: emphasis, a link, both kinds of list
# (the numbered one not starting at 1) and a heading inside the text. The other texts are
# short: each kind of block once is what the templates are tried on, and it keeps check fast.
TEXT = (
    "Tekst med **fet**, *kursiv*, ***begge*** og [en lenke](https://example.org/).\n\n"
    "- et punkt\n- et punkt til\n\n3. tredje\n4. fjerde\n\n# Underoverskrift\n\nSiste avsnitt."
)
SHORT = "Tekst."


def sample_views(kommune: Kommune, period: Period,
                 labels: dict[str, str]) -> tuple[DocumentView, DocumentView]:
    """An area's document and the whole report's, with the municipality's name, language and
    first registered area: every part of the outline, a table with a sum row, the overview
    and its chart, the cover with a subtitle, the contents."""
    code, name = next(iter(kommune.areas.items()))
    rows = tuple(FigureRow(name=row, accounts=Decimal("1.5"), budget=Decimal(2),
                           annual_budget=Decimal(6), forecast=Decimal("6.5"))
                 for row in ("Første rad", "Andre rad"))
    status = EconomicStatus(
        facts=SHORT, assessment=SHORT, conclusion=SHORT,
        figures=Figures(unit=DEFAULT_UNIT, rows=rows))
    content = AreaInput(
        code=None, lead=TEXT, economic_status=status, investments=SHORT,
        other_matters=(OtherMatter(heading="Et forhold", text=SHORT),
                       OtherMatter(heading=None, text=SHORT)))
    area = Area(code, name, period, content)
    chapter = Chapter(heading="Et kapittel", text=SHORT)
    settings = ReportInput(title=None, subtitle="Undertittel", date=None,
                           chapters_before=(chapter,), chapters_after=(chapter,))
    report = Report(kommune, period, (area,), settings)
    return build_area_document(area, kommune, labels), build_report_document(report, labels)
