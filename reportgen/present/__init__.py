"""Stage 3, present: model -> view (labels, formatted numbers, parsed text, heading levels).

  document.py  an area's section and the whole report, built from the outline (outline.py)
  figures.py   the figures tables, the overview of every area and its chart
  numbers.py   numbers and dates the Norwegian way: format, round, parse
  sample.py    a made-up area and report with every kind of block, to try templates on
  site.py      the whole report as a web site: a page per part, split from the report's view
  typography.py  no-break spaces between a number and its unit or sign

Imports model, outline, labels, markup, view, languages and Babel; no I/O (labels arrive as a
dict read by the loading API).
"""

from reportgen.present.document import (
    AreaBlocks,
    area_fingerprint,
    area_head,
    build_area_document,
    build_report_document,
    document_date,
    report_head,
)
from reportgen.present.sample import sample_views
from reportgen.present.site import build_site

__all__ = ["AreaBlocks", "area_fingerprint", "area_head", "build_area_document",
           "build_report_document", "build_site", "document_date", "report_head",
           "sample_views"]
