"""Documents made without reportgen, for the import tests, and reading them back.

The builders write DOCX with python-docx only: headings in Word's style names, in Norwegian
style names ("Overskrift 1", "Tittel"), or as bold Normal paragraphs; figures tables as
people copy them from a spreadsheet; a whole tertial report. HTML, flat ODT and RTF sources
are for LibreOffice to convert. The readers use python-docx as a user's tools would and know
nothing of reportgen.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from readers import open_docx

GENERATED = ("Caption", "Table Note", "TOC Heading")  # the paragraphs reportgen adds itself
KOMMUNE = """\
# Kommunen og registeret over programområder (oppdatert mai 2017).
kommune: Drammen kommune
språk: nb
programområder:
  "01": Barnehage   # fra 2016
  "08": Kompetanse, markedsføring og næring
"""

# --- documents made without reportgen --------------------------------------------------------

COMPUTED = ("navn", "regnskap", "budsjett", "avvik", "årsbudsjett", "prognose", "avvik_prognose")
ORDER = ("navn", *COMPUTED[1:])  # the columns as reportgen renders them


def figures_computed() -> list[Any]:
    """A figures table as Word users copy it from a spreadsheet: every column, a sum row,
    negative amounts written three ways."""
    return [("table", ["Område", "Regnskap per april", "Budsjett per april", "Avvik per april",
                       "Årsbudsjett 2017", "Prognose 2017", "Avvik prognose"],
             [["Bibliotek", "9,6", "9,9", "0,3", "29,8", "29,8", "0,0"],
              ["Kulturskole", "7,2", "7,0", "−0,2", "21,1", "21,4", "(0,3)"],
              ["Kulturformål", "18,4", "18,1", "-0,3", "36,3", "36,3", "0,0"],
              ["Sum", "35,2", "35,0", "−0,2", "87,2", "87,5", "−0,3"]], COMPUTED)]


def figures_typed() -> list[Any]:
    """Only the typed columns, in another order, in 1000 kr (named in the caption)."""
    return [("caption", "Driftsregnskap per april 2017 (1000 kr)"),
            ("table", ["Tjeneste", "Årsbudsjett 2017", "Prognose 2017", "Regnskap per april",
                       "Budsjett per april"],
             [["Bibliotek", "29 800", "29 800", "9 612", "9 900"],
              ["Kulturskole", "21 100", "21 400", "7 200", "7 000"]],
             ("navn", "årsbudsjett", "prognose", "regnskap", "budsjett"))]


def figures_nynorsk() -> list[Any]:
    """The nynorsk headings, the typed columns only, and a sum row."""
    return [("table", ["Område", "Rekneskap per april", "Budsjett per april", "Årsbudsjett 2017",
                       "Prognose 2017"],
             [["Bibliotek", "9,6", "9,9", "29,8", "29,8"],
              ["Kulturskule", "7,2", "7,0", "21,1", "21,4"],
              ["Sum", "16,8", "16,9", "50,9", "51,2"]],
             ("navn", "regnskap", "budsjett", "årsbudsjett", "prognose"))]


def area_blocks(code: str, name: str, figures: list[Any] | None = None,
                level: int = 1) -> list[Any]:
    """An area's section as an author writes it, its title at heading `level`."""
    h = level
    return [
        ("h", h, f"Programområde {code} {name}"),
        ("p", "Programområdet rapporterer et forventet merforbruk på 0,3 mill. kr i 1. tertial"
              " 2017, knyttet til kulturskolen."),
        ("h", h + 1, "Økonomisk status"),
        ("h", h + 2, "Fakta"),
        ("p", [("Regnskapet per april viser et ", ""), ("merforbruk", "b"),
               (" på 0,2 mill. kr i forhold til periodisert budsjett.", "")]),
        *(figures or []),
        ("h", h + 2, "Vurdering"),
        ("p", [("Kulturskolen har færre elever enn forutsatt, se ", ""),
               ("kommunens nettsider", "https://www.drammen.kommune.no/kultur/"),
               (". Elevinntektene blir ", ""), ("lavere", "i"), (" enn budsjettert.", "")]),
        ("h", h + 3, "Tiltak"),
        ("p", "Tre tiltak er satt i verk:"),
        ("ol", ["Venteliste til høsten", "Nye kurs for voksne", "Lavere avgift for søsken"]),
        ("h", h + 2, "Konklusjon"),
        ("p", "Programområdet forventer et merforbruk på 0,3 mill. kr, som dekkes innenfor"
              " rammen."),
        ("h", h + 1, "Investeringsbudsjettet"),
        ("p", "Nytt kulturhus er under planlegging."),
        ("h", h + 1, "Andre forhold"),
        ("h", h + 2, "Elvefestivalen 2017"),
        ("p", "Planleggingen av «Elvefestivalen» i august er i rute, med:"),
        ("ul", ["frivillige lag og foreninger", "et utvidet program i Bragernesparken"]),
    ]


def write_docx(path: Path, blocks: list[Any], styles: str = "word") -> Path:
    """A DOCX of the blocks: headings in Word's styles ("word"), in styles named "Overskrift
    N" and "Tittel" ("norsk"), or as bold Normal paragraphs ("none")."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    doc = docx.Document()
    if styles == "norsk":
        for n in range(1, 5):
            style = doc.styles.add_style(f"Overskrift {n}", WD_STYLE_TYPE.PARAGRAPH)
            style.base_style, style.font.bold = doc.styles["Normal"], True
        doc.styles.add_style("Tittel", WD_STYLE_TYPE.PARAGRAPH).font.bold = True
    for block in blocks:
        kind = block[0]
        if kind == "h":
            _heading(doc, block[1], block[2], styles)
        elif kind == "p":
            _runs(doc.add_paragraph(), block[1])
        elif kind in ("ul", "ol"):
            for item in block[1]:
                doc.add_paragraph(item, style="List Bullet" if kind == "ul" else "List Number")
        elif kind == "caption":
            doc.add_paragraph(block[1], style="Caption")
        elif kind == "table":
            table = doc.add_table(rows=0, cols=len(block[1]))
            for row in [block[1], *block[2]]:
                for cell, text in zip(table.add_row().cells, row):
                    cell.text = text
        elif kind == "picture":
            doc.add_paragraph().add_run().add_picture(_png())
    doc.save(str(path))
    return path


def _heading(doc: Any, level: int, text: str, styles: str) -> None:
    if styles == "word":
        doc.add_heading(text, level)
    elif styles == "norsk":
        doc.add_paragraph(text, style="Tittel" if level == 0 else f"Overskrift {level}")
    else:
        doc.add_paragraph().add_run(text).bold = True


def _runs(paragraph: Any, runs: Any) -> None:
    for text, how in [(runs, "")] if isinstance(runs, str) else runs:
        if how.startswith("https://"):
            _link(paragraph, text, how)
        else:
            run = paragraph.add_run(text)
            run.bold, run.italic = how == "b" or None, how == "i" or None


def _link(paragraph: Any, text: str, url: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, True))
    run, shown = OxmlElement("w:r"), OxmlElement("w:t")
    shown.text = text
    run.append(shown)
    link.append(run)
    paragraph._p.append(link)


def _png() -> Any:
    import io

    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(picture, "PNG")
    picture.seek(0)
    return picture


# --- reading the documents back, as a user's tools would ---------------------------------------

def texts(path: Path, leave_out: tuple[str, ...] = GENERATED) -> list[str]:
    """The body's non-empty paragraphs, whitespace collapsed; reportgen's own captions, table
    notes and contents (in the rendered document) left out."""
    return [" ".join(p.text.split()) for p in open_docx(path).paragraphs
            if p.text.strip() and p.style.name not in leave_out
            and not p.style.name.startswith("TOC")]


def number(text: str) -> Decimal:
    plain = text.replace("\u00a0", "").replace(" ", "").replace("\u2212", "-")
    if plain.startswith("(") and plain.endswith(")"):
        plain = "-" + plain[1:-1]
    return Decimal(plain.replace(",", "."))


def figures_of(path: Path) -> list[dict[str, Any]]:
    """The rendered figures tables, each row as {column key: name or amount}."""
    found = []
    for table in open_docx(path).tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if rows and rows[0][0] == "Område" and len(rows[0]) == len(ORDER):
            found.append([dict(zip(ORDER, [r[0], *map(number, r[1:])])) for r in rows[1:]])
    return found


def expected_figures(block: Any, unit: Decimal = Decimal(1)) -> list[dict[str, Any]]:
    """A source table's rows by column key (amounts in mill. kr: `unit` converts)."""
    _, _, rows, keys = block
    return [{k: v if k == "navn" else number(v) * unit for k, v in zip(keys, row)}
            for row in rows]


def same_figures(rendered: list[dict[str, Any]], source: list[dict[str, Any]],
                 places: int) -> None:
    """Every amount of the source is the rendered one (rounded as shown); a source without
    a sum row gets reportgen's."""
    if len(rendered) == len(source) + 1:
        assert rendered[-1]["navn"] == "Sum"
        rendered = rendered[:-1]
    assert len(rendered) == len(source)
    for got, want in zip(rendered, source):
        for key, value in want.items():
            shown = round(value, places) if isinstance(value, Decimal) else value
            assert got[key] == shown, (key, got, want)


HTML = """<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8"><title>Programområde 09</title></head><body>
<h1>Programområde 09 Idrett, park og natur</h1>
<p>Programområdet rapporterer per april 2017 et resultat i balanse.</p>
<h2>Økonomisk status</h2>
<h3>Fakta</h3>
<p>Regnskapet viser et <strong>mindreforbruk</strong> på 0,4 mill. kr.</p>
<table border="1">
<tr><th>Tjeneste</th><th>Prognose 2017</th><th>Regnskap per april</th><th>Årsbudsjett 2017</th>
<th>Budsjett per april</th></tr>
<tr><td>Idrett</td><td>20,0</td><td>6,1</td><td>20,0</td><td>6,5</td></tr>
<tr><td>Park</td><td>15,5</td><td>(0,3)</td><td>15,0</td><td>0,0</td></tr>
</table>
<h3>Vurdering</h3>
<p>Det er ingen vesentlige avvik. Se <a href="https://www.drammen.kommune.no/">kommunens
nettsider</a>.</p>
<ol><li>Idrettshaller</li><li>Parker</li></ol>
<h3>Konklusjon</h3>
<p>Programområdet forventer et resultat i balanse.</p>
<h2>Andre forhold</h2>
<h3>Elvepromenaden</h3>
<p>Arbeidet med <em>elvepromenaden</em> går etter planen.</p>
</body></html>
"""
HTML_FIGURES = ("table", [], [["Idrett", "20,0", "6,1", "20,0", "6,5"],
                              ["Park", "15,5", "(0,3)", "15,0", "0,0"]],
                ("navn", "prognose", "regnskap", "årsbudsjett", "budsjett"))
ODF = 'xmlns:{0}="urn:oasis:names:tc:opendocument:xmlns:{1}:1.0"'
FODT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {ODF.format("office", "office")} {ODF.format("text", "text")}
 {ODF.format("style", "style")} {ODF.format("table", "table")}
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:automatic-styles><style:style style:name="T1" style:family="text">
<style:text-properties fo:font-weight="bold"/></style:style></office:automatic-styles>
<office:body><office:text>
<text:h text:outline-level="1">Programområde 11 Vei</text:h>
<text:p>Programområdet rapporterer et merforbruk på 3,5 mill. kr for 1. tertial 2017.</text:p>
<text:h text:outline-level="2">Økonomisk status</text:h>
<text:h text:outline-level="3">Fakta</text:h>
<text:p>Vinteren var <text:span text:style-name="T1">kald</text:span> og lang.</text:p>
<text:h text:outline-level="3">Vurdering</text:h>
<text:p>Vintervedlikeholdet koster mer enn budsjettert.</text:p>
<text:list><text:list-item><text:p>brøyting</text:p></text:list-item>
<text:list-item><text:p>strøing</text:p></text:list-item></text:list>
<text:h text:outline-level="3">Konklusjon</text:h>
<text:p>Programområdet forventer et merforbruk på 3,5 mill. kr.</text:p>
<text:h text:outline-level="2">Investeringsbudsjettet</text:h>
<text:p>Ny gang- og sykkelvei er ferdig.</text:p>
</office:text></office:body></office:document>
"""
RTF = "\n".join([
    r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Calibri;}}",
    r"{\stylesheet{\s0 Normal;}{\s1\outlinelevel0\b\fs32 heading 1;}"
    r"{\s2\outlinelevel1\b\fs28 heading 2;}{\s3\outlinelevel2\b\fs24 heading 3;}}",
    r"\pard\s1\outlinelevel0\b\fs32 Programomr\u229?de 02 Oppvekst\par",
    r"\pard\s0\b0\fs22 Programomr\u229?det rapporterer per april 2017 et merforbruk"
    r" p\u229? 3,5 mill. kr.\par",
    r"\pard\s2\outlinelevel1\b\fs28 \u216?konomisk status\par",
    r"\pard\s3\outlinelevel2\b\fs24 Fakta\par",
    r"\pard\s0\b0\fs22 Barnevernet har \i flere\i0  saker enn forutsatt.\par",
    r"\pard\s3\outlinelevel2\b\fs24 Vurdering\par",
    r"\pard\s0\b0\fs22 Tiltak er satt i verk.\par",
    r"\pard\s3\outlinelevel2\b\fs24 Konklusjon\par",
    r"\pard\s0\b0\fs22 Merforbruket forventes redusert.\par", "}"])
CONVERTED = {"09-idrett.html": HTML, "11-vei.fodt": FODT, "02-oppvekst.rtf": RTF}


REPORT_AREAS = {"01": "Barnehage", "02": "Oppvekst", "06": "Kultur",
                "09": "Idrett, park og natur", "11": "Vei"}
SKATT = ("table", ["År", "Skatteinngang", "Endring"],
         [["2016", "1 234,5", "1,9 %"], ["2017", "1 260,1", "2,1 %"]], ())


def report_blocks() -> list[Any]:
    """A tertial report as a municipality writes it: a title page, the proposed resolution,
    Del 1 and Del 2 (with a table), Del 3 with five areas (one with a picture), Del 4, Del 5."""
    blocks: list[Any] = [
        ("h", 0, "1. tertialrapport 2017"), ("subtitle", "Rådmannens forslag"),
        ("p", "Drammen kommune"), ("p", "23. mai 2017"),
        ("h", 1, "Rådmannens forslag til vedtak"),
        ("ol", ["Bystyret tar 1. tertialrapport 2017 til orientering.",
                "Driftsbudsjettet justeres som vist i tabellen i Del 2."]),
        ("h", 1, "Del 1 Hovedtrekk"),
        ("p", "Tertialrapporten gir bystyret en oversikt over økonomisk status per april."),
        ("h", 2, "Økonomisk prognose"),
        ("p", [("Programområdene rapporterer samlet et ", ""), ("merforbruk", "b"),
               (" på 23,8 mill. kr.", "")]),
        ("h", 1, "Del 2 Økonomi og budsjett"),
        ("p", "Skatteinngangen per april er 2,1 % høyere enn i fjor."),
        ("caption", "Skatteinngang per april (mill. kr)"), SKATT,
        ("p", "Rentenivået er fortsatt lavt."),
        ("h", 1, "Del 3 Programområdene"),
    ]
    for i, (code, name) in enumerate(REPORT_AREAS.items()):
        area = area_blocks(code, name, figures_computed() if i % 2 == 0 else None, level=2)
        if code == "09":  # a picture after Vurdering's first paragraph
            at = next(j for j, b in enumerate(area) if b[0] == "h" and b[2] == "Vurdering")
            area.insert(at + 2, ("picture",))
        if code == "11":  # no Investeringer, no Andre forhold
            area = area[:next(j for j, b in enumerate(area) if b[0] == "h"
                              and b[2] == "Investeringsbudsjettet")]
        blocks += area
    return blocks + [
        ("h", 1, "Del 4 Eierstyring"),
        ("p", "Kommunens selskaper rapporterer drift i tråd med budsjett."),
        ("h", 1, "Del 5 Menneskelige ressurser"),
        ("p", "Sykefraværet var 6,1 prosent."),
        ("ul", ["rekruttering av sykepleiere", "heltidskultur"]),
    ]


def write_report(path: Path) -> Path:
    blocks = report_blocks()
    made = write_docx(path, [b for b in blocks if b[0] != "subtitle"])
    import docx

    doc = docx.Document(str(made))  # the subtitle in Word's Subtitle style, after the title
    title = doc.paragraphs[0]
    subtitle = title.insert_paragraph_before("Rådmannens forslag", style="Subtitle")
    title._p.addnext(subtitle._p)
    doc.save(str(made))
    return made


def section(paragraphs: list[str], title: str) -> list[str]:
    """An area's paragraphs in the whole report's text: from its title to the next area's,
    or to "Del 4"."""
    start = paragraphs.index(title)
    end = next((i for i in range(start + 1, len(paragraphs))
                if paragraphs[i].startswith(("Programområde ", "Del 4"))), len(paragraphs))
    return paragraphs[start:end]


def without(blocks: list[Any], *headings: str) -> list[Any]:
    """The blocks without the parts under the given headings (to the next heading as high)."""
    out, skip = [], None
    for block in blocks:
        level = block[1] if block[0] == "h" else None
        if skip is not None and (level is None or level > skip):
            continue
        skip = level if block[0] == "h" and block[2] in headings else None
        if skip is None:
            out.append(block)
    return out
