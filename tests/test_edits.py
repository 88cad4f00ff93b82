"""Edited outputs are never overwritten silently (DESIGN.md section 7, reportgen.manifest).

Communications staff edit the DOCX in Word. reportgen keeps, in out/<period>/.reportgen.json,
the digest of the bytes it wrote; a file whose bytes differ (or that the manifest does not
know) is somebody else's: a render that would replace it stops before writing anything, unless
--force, and then the edited file is moved aside, never deleted.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import MINIMAL_AREA, Project, Result, snapshot
from readers import docx_blocks

RENDER = ("render", "08", "2017-T1", "--out", "out")
FOLDER = "out/2017-T1"
BACKUP = re.compile(r"08\.edited-\d{8}T\d{6}(-\d+)?\.docx")
OUTPUTS = ["08.docx", "08.html", "08.pdf"]


def edited_error(name: str) -> str:
    first = (f"bring the edits into the YAML with `reportgen import {FOLDER}/{name}`"
             if name.endswith(".docx") else "save the edits elsewhere")
    return (
        f"{FOLDER}/{name}: error: this file was changed after reportgen wrote it; rendering"
        f" would overwrite the edits\n  hint: {first}, then render again; or add --force to"
        " render anyway, keeping the edited file as a backup beside it\n"
    )


def edit_in_word(path: Path, sentence: str = "Lagt til av kommunikasjonsavdelingen.") -> bytes:
    """What a user does: open the DOCX, add a paragraph, save. Returns the new bytes."""
    import docx

    document = docx.Document(str(path))
    document.add_paragraph(sentence)
    document.save(str(path))
    return path.read_bytes()


def change_input(project: Project) -> None:
    area = dict(MINIMAL_AREA, ingress="Ny ingress etter redigeringen.")
    project.write_area("08", area)


def manifest(project: Project) -> dict[str, dict[str, str]]:
    return json.loads((project.out / "2017-T1" / ".reportgen.json").read_text())["outputs"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def rendered(project: Project, cli: Callable[..., Result]) -> Project:
    """Area 08 rendered once in all three formats."""
    project.write_area("08", MINIMAL_AREA)
    first = cli(*RENDER)
    assert first.code == 0, first.err
    assert sorted(manifest(project)) == OUTPUTS
    return project


def test_changed_input_with_an_edited_docx_is_refused_and_nothing_is_written(
    rendered: Project, cli: Callable[..., Result]
) -> None:
    edited = edit_in_word(rendered.output("08.docx"))
    before = snapshot(rendered.out)
    change_input(rendered)
    result = cli(*RENDER)
    assert result.code == 1
    assert result.err == edited_error("08.docx")
    assert result.out == ""
    # Nothing of the run: the HTML and PDF (whose sources changed too) keep their bytes, the
    # manifest is as it was, no temporary file is left.
    assert snapshot(rendered.out) == before
    assert rendered.output("08.docx").read_bytes() == edited


def test_edited_html_is_refused_too(rendered: Project, cli: Callable[..., Result]) -> None:
    html = rendered.output("08.html")
    html.write_text(html.read_text(encoding="utf-8").replace("Kort ingress.", "Kortere."),
                    encoding="utf-8")
    before = snapshot(rendered.out)
    change_input(rendered)
    result = cli(*RENDER, "--format", "docx,html")
    assert (result.code, result.err) == (1, edited_error("08.html"))
    assert snapshot(rendered.out) == before


def test_unchanged_input_keeps_the_edited_docx_and_says_so(
    rendered: Project, cli: Callable[..., Result]
) -> None:
    edited = edit_in_word(rendered.output("08.docx"))
    before = snapshot(rendered.out)
    result = cli(*RENDER)
    assert result.code == 0, result.err
    assert result.err == f"kept {FOLDER}/08.docx: edited after it was rendered\n"
    assert result.out == (
        f"up to date in {FOLDER} (sources unchanged): 08.docx, 08.pdf, 08.html\n"
        "nothing rendered; add --force to render anyway\n"
    )
    assert snapshot(rendered.out) == before
    assert rendered.output("08.docx").read_bytes() == edited
    texts = [text for _, text in docx_blocks(rendered.output("08.docx"))]
    assert texts[-1] == "Lagt til av kommunikasjonsavdelingen."


def test_force_moves_the_edited_docx_aside_and_writes_the_new_one(
    rendered: Project, cli: Callable[..., Result]
) -> None:
    edited = edit_in_word(rendered.output("08.docx"))
    names_before = set(snapshot(rendered.out))
    change_input(rendered)
    result = cli(*RENDER, "--force")
    assert result.code == 0, result.err
    kept = re.fullmatch(rf"kept your edited copy as {FOLDER}/(\S+)", result.err.splitlines()[-1])
    assert kept, result.err
    backup = rendered.output(kept.group(1))
    assert BACKUP.fullmatch(backup.name)
    assert backup.read_bytes() == edited  # the user's file, byte for byte
    assert sorted(result.out.splitlines()) == sorted(f"wrote {FOLDER}/{n}" for n in OUTPUTS)
    # The new DOCX carries the new input; the manifest knows exactly what was written.
    new = rendered.output("08.docx")
    assert "Ny ingress etter redigeringen." in [t for _, t in docx_blocks(new)]
    assert manifest(rendered)["08.docx"]["written"] == sha256(new)
    assert backup.name not in manifest(rendered)
    # Nothing deleted: every file that was there is still there, plus the backup.
    names_after = set(snapshot(rendered.out))
    assert names_after == names_before | {f"2017-T1/{backup.name}"}
    # And the backup is not taken for an output: the next render has nothing to do.
    again = cli(*RENDER)
    assert (again.code, again.err) == (0, "")
    assert backup.read_bytes() == edited


def test_two_forced_renders_in_the_same_second_keep_both_edited_copies(
    rendered: Project, cli: Callable[..., Result]
) -> None:
    path = rendered.output("08.docx")
    copies = []
    for sentence in ("Første redigering.", "Andre redigering."):
        copies.append(edit_in_word(path, sentence))
        os.utime(path, (1_493_546_400, 1_493_546_400))  # the same timestamp both times
        assert cli(*RENDER, "--force", "--format", "docx").code == 0
    backups = sorted(p for p in (rendered.out / "2017-T1").iterdir() if BACKUP.fullmatch(p.name))
    assert len(backups) == 2
    assert {p.read_bytes() for p in backups} == set(copies)


@pytest.mark.parametrize("manifest_state", ["deleted", "unreadable"])
def test_outputs_the_manifest_does_not_know_are_not_ours(
    manifest_state: str, rendered: Project, cli: Callable[..., Result]
) -> None:
    path = rendered.out / "2017-T1" / ".reportgen.json"
    if manifest_state == "deleted":
        path.unlink()
    else:
        path.write_text("{ikke json", encoding="utf-8")
    before = snapshot(rendered.out)
    result = cli(*RENDER)
    assert result.code == 1
    assert result.err == "".join(edited_error(name) for name in OUTPUTS)
    assert snapshot(rendered.out) == before

    forced = cli(*RENDER, "--force")
    assert forced.code == 0, forced.err
    kept = [line for line in forced.err.splitlines() if line.startswith("kept your edited copy")]
    assert len(kept) == 3
    for name in OUTPUTS:  # each earlier file is still there, under its backup name
        stem, suffix = name.split(".")
        backups = list((rendered.out / "2017-T1").glob(f"{stem}.edited-*.{suffix}"))
        assert len(backups) == 1
        assert backups[0].read_bytes() == before[f"2017-T1/{name}"]
    assert sorted(manifest(rendered)) == OUTPUTS


def test_a_file_someone_else_put_in_the_output_folder_is_not_overwritten(
    project: Project, cli: Callable[..., Result]
) -> None:
    project.write_area("08", MINIMAL_AREA)
    project.write({f"{FOLDER}/08.html": "<p>Skrevet for hånd.</p>\n"})
    before = snapshot(project.out)
    result = cli(*RENDER, "--format", "html")
    assert (result.code, result.err) == (1, edited_error("08.html"))
    assert snapshot(project.out) == before
