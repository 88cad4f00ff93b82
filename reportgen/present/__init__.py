"""Stage 3, present: model -> view (labels, formatted numbers, parsed text, heading levels).

  document.py  an area's section and the whole report, built from the outline (outline.py)
  figures.py   the figures tables, the overview of every area and its chart
  numbers.py   numbers and dates the Norwegian way: format, round, parse
  site.py      the whole report as a web site: a page per part, split from the report's view

Imports model, outline, markup, view, languages and Babel; no I/O (labels arrive as a dict
read by the loading API).
"""

from reportgen.present.document import (
    area_fingerprint,
    build_area_document,
    build_report_document,
    document_date,
)
from reportgen.present.site import build_site

__all__ = ["area_fingerprint", "build_area_document", "build_report_document", "build_site",
           "document_date"]
