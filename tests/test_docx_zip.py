"""The DOCX's zip written by reportgen.render.docxzip is the one zipfile writes, byte for byte,
whether a part is deflated anew or taken from the process's cache; and the template read once
per process still gives each document objects of its own, and a changed template is read again.
"""

from __future__ import annotations

import io
import random
import shutil
import zipfile
from pathlib import Path

from helpers import TEMPLATES

from reportgen.render import docxzip
from reportgen.render.docx_template import open_template

PARTS = {
    "word/document.xml": b"<w:document>" + b"<w:p/>" * 5000 + b"</w:document>",
    "_rels/.rels": b"<Relationships/>",
    "[Content_Types].xml": b"<Types/>",
    "word/media/bilde-\u00e6\u00f8\u00e5.png": random.Random(1).randbytes(70_000),  # noqa: S311
    "word/empty.xml": b"",
}


def test_zip_is_zipfiles_own_bytes() -> None:
    expected = docxzip.zipfile_bytes(PARTS)
    assert docxzip.zip_bytes(PARTS) == expected
    assert docxzip.zip_bytes(dict(reversed(PARTS.items()))) == expected  # from the cache
    archive = zipfile.ZipFile(io.BytesIO(expected))
    assert archive.namelist()[:2] == ["[Content_Types].xml", "_rels/.rels"]
    assert {name: archive.read(name) for name in archive.namelist()} == PARTS
    assert {info.date_time for info in archive.infolist()} == {docxzip.ZIP_EPOCH}


def test_a_part_changed_is_deflated_anew() -> None:
    changed = {**PARTS, "word/document.xml": PARTS["word/document.xml"].replace(b"p", b"q")}
    docxzip.zip_bytes(PARTS)
    assert docxzip.zip_bytes(changed) == docxzip.zipfile_bytes(changed)


def test_each_document_gets_its_own_template(tmp_path: Path) -> None:
    path = tmp_path / "document.docx"
    shutil.copyfile(TEMPLATES / "docx" / "document.docx", path)
    first, second = open_template(path), open_template(path)
    assert first.docx.part.package is not second.docx.part.package
    first.docx.add_paragraph("only in the first")
    assert len(first.docx.paragraphs) == len(second.docx.paragraphs) + 1
    first.docx.core_properties.title = "changed"
    first.docx.save(str(path))
    assert open_template(path).docx.core_properties.title == "changed"
    assert second.docx.core_properties.title != "changed"
