"""The same inputs give the same bytes: rendered in two folders, at two moments (with a faked
clock when faketime is installed), with SOURCE_DATE_EPOCH unset and then set.

Each run is the command as a user runs it: a separate process, working directory the project
copy, `reportgen render all 2017-T1 --force`.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pikepdf
import pytest

pytest.register_assert_rewrite("readback")

from helpers import INPUTS, TEMPLATES, reportgen_command  # noqa: E402
from readers import NS, docx_part, open_docx  # noqa: E402

pytestmark = pytest.mark.render

EPOCH = 1_500_000_000  # 2017-07-14T02:40:00Z
EPOCH_DATE = dt.date(2017, 7, 14)
PERIOD_END = dt.date(2017, 4, 30)
REPORT_DATE = dt.date(2017, 5, 23)  # inputs/2017-T1/rapport.yaml `dato`
OUTPUTS = [f"{n:02d}.{ext}" for n in range(1, 15) for ext in ("docx", "html", "pdf")] + [
    f"tertialrapport.{ext}" for ext in ("docx", "html", "pdf")]
FAKETIME = shutil.which("faketime")


def copy_project(root: Path) -> Path:
    """The real inputs and templates, copied (not linked) into a folder of their own."""
    root.mkdir(parents=True)
    shutil.copytree(INPUTS, root / "inputs")
    shutil.copytree(TEMPLATES, root / "templates", symlinks=False)
    return root


def render(cwd: Path, out: str, epoch: int | None, clock: str | None = None,
           areas: tuple[str, ...] = ("all",), formats: str = "docx,pdf,html") -> Path:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    command = [*reportgen_command(), "render", *areas, "2017-T1", "--force", "--quiet",
               "--format", formats, "--out", out]
    if clock and FAKETIME:
        command = [FAKETIME, clock, *command]
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return cwd / out / "2017-T1"


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Output folders: plain-a, plain-b (no SOURCE_DATE_EPOCH), epoch-a, epoch-b (set)."""
    base = tmp_path_factory.mktemp("reproducible")
    a, b = copy_project(base / "a"), copy_project(base / "b" / "deeper")
    found = {"plain-a": render(a, "build-plain", None, "2031-03-01 08:00:00")}
    time.sleep(1.1)  # at another second, when there is no faked clock
    found["plain-b"] = render(b, "build-plain", None, "2044-11-30 23:59:59")
    found["epoch-a"] = render(a, "build-epoch", EPOCH, "2031-03-01 08:00:00")
    time.sleep(1.1)
    found["epoch-b"] = render(b, "build-epoch", EPOCH, "2044-11-30 23:59:59")
    return found


@pytest.mark.parametrize("variant", ["plain", "epoch"])
def test_outputs_are_byte_identical(runs: dict[str, Path], variant: str) -> None:
    first, second = runs[f"{variant}-a"], runs[f"{variant}-b"]
    written = sorted(p.name for p in first.iterdir() if p.suffix in (".docx", ".html", ".pdf"))
    assert written == sorted(OUTPUTS)
    assert sorted(p.name for p in second.iterdir() if p.suffix in (".docx", ".html", ".pdf")) \
        == written
    differ = [name for name in written
              if (first / name).read_bytes() != (second / name).read_bytes()]
    assert differ == []


def docx_dates(path: Path) -> tuple[dt.date, dt.date]:
    properties = open_docx(path).core_properties
    assert properties.created is not None and properties.modified is not None
    return properties.created.date(), properties.modified.date()


def pdf_dates(path: Path) -> tuple[str, str]:
    with pikepdf.open(path) as pdf:
        return str(pdf.docinfo.CreationDate), str(pdf.open_metadata().get("xmp:CreateDate"))


@pytest.mark.parametrize("name", ["01", "08", "tertialrapport"])
def test_dates_come_from_the_inputs_without_source_date_epoch(
    runs: dict[str, Path], name: str
) -> None:
    date = REPORT_DATE if name == "tertialrapport" else PERIOD_END
    folder = runs["plain-a"]
    assert docx_dates(folder / f"{name}.docx") == (date, date)
    assert pdf_dates(folder / f"{name}.pdf") == (f"D:{date:%Y%m%d}", date.isoformat())


@pytest.mark.parametrize("name", ["01", "08", "tertialrapport"])
def test_dates_are_source_date_epoch_when_set(runs: dict[str, Path], name: str) -> None:
    folder = runs["epoch-a"]
    assert docx_dates(folder / f"{name}.docx") == (EPOCH_DATE, EPOCH_DATE)
    assert pdf_dates(folder / f"{name}.pdf") == (f"D:{EPOCH_DATE:%Y%m%d}",
                                                 EPOCH_DATE.isoformat())


def test_docx_zip_entries_have_fixed_times_and_order(runs: dict[str, Path]) -> None:
    for name in [n for n in OUTPUTS if n.endswith(".docx")]:
        with zipfile.ZipFile(runs["plain-a"] / name) as package:
            infos = package.infolist()
        names = [i.filename for i in infos]
        assert names[:2] == ["[Content_Types].xml", "_rels/.rels"]
        assert names[2:] == sorted(names[2:])
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        with zipfile.ZipFile(runs["plain-b"] / name) as other:
            assert [i.filename for i in other.infolist()] == names


def test_cover_shows_the_report_date_even_with_source_date_epoch(runs: dict[str, Path]) -> None:
    # The date on the cover is content (rapport.yaml's `dato`), not a build timestamp.
    texts = [p.text for p in open_docx(runs["epoch-a"] / "tertialrapport.docx").paragraphs]
    assert "23. mai 2017" in texts
    core = docx_part(runs["epoch-a"] / "tertialrapport.docx", "docProps/core.xml")
    assert core.findtext("dcterms:created", namespaces=NS).startswith(EPOCH_DATE.isoformat())


def pdf_id(path: Path) -> list[bytes]:
    with pikepdf.open(path) as pdf:
        return [bytes(part) for part in pdf.trailer.ID]


def test_pdf_id_is_stable_and_follows_the_content(
    runs: dict[str, Path], tmp_path: Path
) -> None:
    for name in ("08.pdf", "tertialrapport.pdf"):
        assert pdf_id(runs["plain-a"] / name) == pdf_id(runs["plain-b"] / name)
        assert pdf_id(runs["epoch-a"] / name) == pdf_id(runs["epoch-b"] / name)
    # Another date is other content: another identifier.
    assert pdf_id(runs["plain-a"] / "08.pdf") != pdf_id(runs["epoch-a"] / "08.pdf")
    # Change one word of area 08: its PDF gets another identifier, another area's keeps its own.
    project = copy_project(tmp_path / "changed")
    source = project / "inputs" / "2017-T1" / "08.yaml"
    text = source.read_text(encoding="utf-8")
    assert "i tråd med budsjett per april" in text
    source.write_text(text.replace("med budsjett per april", "med budsjettet per april"),
                      encoding="utf-8")
    changed = render(project, "build-plain", None, None, ("07", "08"), "pdf")
    assert pdf_id(changed / "08.pdf") != pdf_id(runs["plain-a"] / "08.pdf")
    assert pdf_id(changed / "07.pdf") == pdf_id(runs["plain-a"] / "07.pdf")
