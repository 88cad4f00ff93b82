"""The fixed wording's keys (templates/labels.yaml): every label reportgen uses, and the
placeholders reportgen fills in for each. Imports outline only.

One table, LABEL_WORDS, serves both sides: validate checks a labels file against it (every
key there, each a text that uses only its own placeholders), and present fills the labels in
through `fill`, which refuses words the table does not list for the label.

Every label is written as a format string: `{name}` is a placeholder, `{{` and `}}` are
braces. A label without placeholders is loaded as its final text (`{{` already `{`), so the
templates and the importer use it as it is.
"""

from __future__ import annotations

from reportgen.outline import AREA_OUTLINE, FIGURE_COLUMNS, NAME_LABEL

AREA_WORDS = ("code", "name")  # the area's code and its name from kommune.yaml's register
REPORT_WORDS = ("tertial", "year")
TABLE_WORDS = ("month", "year", "unit")  # the period's last month, its year, the amounts' unit

LABEL_WORDS: dict[str, tuple[str, ...]] = {
    "area_title": AREA_WORDS,
    "report_title": REPORT_WORDS,
    **{p.label: () for p in AREA_OUTLINE if p.label},  # the headings of an area's parts
    "areas_part": (),
    "overview": (),
    "contents": (),
    "skip_link": (),  # the HTML template's
    "page": (),  # the DOCX template's footer: "Side 3 av 12"
    "page_of": (),
    **{key: TABLE_WORDS for key in (NAME_LABEL, *(c.label for c in FIGURE_COLUMNS))},
    "sum": (),
    "table_caption": TABLE_WORDS,
    "overview_caption": TABLE_WORDS,
    "unit_note": ("unit",),  # under a table: "Beløp i mill. kr."
    "sign_rule": (),  # where the document has no reading guide (an area's own document)
    "sum_note": (),  # where the rounded rows do not add up to the sum shown
    "reading_guide": (),  # the whole report's sign rule, once, under the overview's heading
    "overview_without_one": ("areas",),  # after the overview: the area without figures
    "overview_without_many": ("areas",),
    "chart_caption": TABLE_WORDS,
    "chart_alt": TABLE_WORDS,
    "resolution": (),  # Rådmannens forslag til vedtak (rapport.yaml `forslag_til_vedtak`)
    "table_chart_alt": ("title",),  # a `tabeller:` table's chart: the table's title
    "draft_mark": (),  # a draft's mark across each page (render --draft): UTKAST
    "draft_banner": (),  # at the top of a draft
    "missing_area": AREA_WORDS,  # a draft of the whole report: an area it leaves out
    "missing_text": (),  # under that heading: why
}


def fill(labels: dict[str, str], key: str, **words: object) -> str:
    """A label with its placeholders filled in: the words must be those LABEL_WORDS gives it
    (a label validated against the table formats with them without fail)."""
    assert set(words) == set(LABEL_WORDS[key]), f"{key} takes {LABEL_WORDS[key]}, not {words}"
    return labels[key].format(**words) if words else labels[key]


def table_words(month: str, year: int, unit: str) -> dict[str, object]:
    """The words of a figures table's labels (TABLE_WORDS)."""
    return {"month": month, "year": year, "unit": unit}
