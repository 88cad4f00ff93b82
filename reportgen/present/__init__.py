"""Stage 3, present: model -> view (labels, formatted numbers, parsed text, heading levels).

  document.py  an area's section and the whole report, built from the outline (outline.py)
  figures.py   the figures tables, the overview of every area and its chart
  numbers.py   numbers and dates the Norwegian way: format, round, parse
  typography.py  no-break spaces between a number and its unit or sign

Imports model, outline, markup, view, languages and Babel; no I/O (labels arrive as a dict
read by the loading API).
"""

from reportgen.present.document import (
    area_fingerprint,
    build_area_document,
    build_report_document,
    document_date,
)

__all__ = ["area_fingerprint", "build_area_document", "build_report_document", "document_date"]
