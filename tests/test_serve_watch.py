"""`reportgen serve`, watch: file events, the polling fallback, and the whole report rebuilt
from the areas' kept blocks (present.AreaBlocks) being the report built afresh."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from helpers import INPUTS, MINIMAL_AREA, Project, dump_yaml
from test_serve import PERIOD, WAIT, save, seed_project

from reportgen.commands.serve import EVERYTHING, Preview, Watcher
from reportgen.period import Period
from reportgen.project import REPORT_NAME


def preview() -> Preview:
    """A preview of the project, every document rendered."""
    made = Preview(Period.parse(PERIOD), Path("inputs"), Path("templates"), log=lambda _: None,
                   epoch=0)
    made.update({EVERYTHING})
    return made


def page(made: Preview, name: str) -> str | None:
    return made.snapshot().documents[name].html


def test_the_report_from_kept_blocks_is_the_report_built_afresh(project: Project) -> None:
    seed_project(project)
    kept = preview()
    area07 = project.inputs / PERIOD / "07.yaml"
    area08 = project.inputs / PERIOD / "08.yaml"
    # 07, before 08, takes the anchors 08 had: 08's kept blocks must not be used as they were.
    shutil.copyfile(INPUTS / PERIOD / "08.yaml", area07)
    kept.update({"07"})
    first = page(preview(), REPORT_NAME)
    assert first is not None and first.count('id="okonomisk-status-2"') == 1
    assert page(kept, REPORT_NAME) == first
    save(area08, area08.read_text(encoding="utf-8").replace("april", "mai"))
    kept.update({"08"})
    fresh = page(preview(), REPORT_NAME)
    assert fresh is not None and "mai" in fresh
    assert page(kept, REPORT_NAME) == fresh
    save(area07, dump_yaml(MINIMAL_AREA))
    kept.update({"07"})
    assert page(kept, REPORT_NAME) == page(preview(), REPORT_NAME)


def changed_by_watcher(watcher: Watcher, made: Preview, path: Path) -> int | None:
    """Save a change to `path` with the watcher running; the version it brings (or None)."""
    seen = made.snapshot().version
    watcher.start()
    try:
        save(path, path.read_text(encoding="utf-8").replace("april", "juni"))
        return made.wait_for_change(seen, WAIT)
    finally:
        watcher.stop()


def test_a_save_arrives_as_a_file_event(project: Project) -> None:
    pytest.importorskip("watchfiles")
    seed_project(project)
    made = preview()
    watcher = Watcher(made, interval=3600)  # polling would not see the change in time
    version = changed_by_watcher(watcher, made, project.inputs / PERIOD / "08.yaml")
    assert watcher.mode == "events"
    assert version == 2
    assert "juni" in (page(made, "08") or "")


def test_without_watchfiles_the_watcher_polls(project: Project,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("watchfiles", "watchfiles._rust_notify"):  # importing them: ImportError
        monkeypatch.setitem(sys.modules, name, None)
    seed_project(project)
    made = preview()
    watcher = Watcher(made, interval=0.05)
    version = changed_by_watcher(watcher, made, project.inputs / PERIOD / "08.yaml")
    assert watcher.mode == "polling"
    assert version == 2
    assert "juni" in (page(made, "08") or "")


def test_when_the_system_refuses_file_events_the_watcher_says_so_and_polls(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    notify = pytest.importorskip("watchfiles._rust_notify")

    def refuse(*args: object) -> None:
        raise OSError(28, "OS file watch limit reached")

    monkeypatch.setattr(notify, "RustNotify", refuse)
    seed_project(project)
    logged: list[str] = []
    made = Preview(Period.parse(PERIOD), Path("inputs"), Path("templates"), log=logged.append,
                   epoch=0)
    made.update({EVERYTHING})
    first = len(logged)  # the first update's lines: the sample's warning
    watcher = Watcher(made, interval=0.05)
    version = changed_by_watcher(watcher, made, project.inputs / PERIOD / "08.yaml")
    assert watcher.mode == "polling"
    assert version == 2
    assert logged[first] == ("file events unavailable (OSError: [Errno 28] OS file watch limit "
                         "reached); looking for changes every 0.05 s instead")


def test_the_site_is_made_when_asked_for_and_is_that_of_the_last_update(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """A save re-renders the documents, not the site: the site is made on the first request
    after an update, once, from that update's report (its problems when it has any)."""
    seed_project(project)
    made = preview()
    made_sites: list[int] = []
    render_site = Preview._render_site

    def counted(self: Preview, *args: object) -> object:
        made_sites.append(self.snapshot().version)
        return render_site(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Preview, "_render_site", counted)
    area08 = project.inputs / PERIOD / "08.yaml"
    text = area08.read_text(encoding="utf-8")
    save(area08, text.replace("april", "juni"))
    made.update({"08"})
    assert made_sites == []
    site = made.site(made.snapshot())
    assert site.files is not None and "juni" in site.files["08.html"].decode("utf-8")
    assert made.site(made.snapshot()) is site and made_sites == [2]
    save(area08, text.replace("  fakta:", "\tfakta:"))
    made.update({"08"})
    broken = made.site(made.snapshot())
    assert broken.files is None
    assert broken.problems == made.snapshot().documents[REPORT_NAME].problems != ()
    save(area08, text)
    made.update({"08"})
    fixed = made.site(made.snapshot())
    assert fixed.files is not None and "april" in fixed.files["08.html"].decode("utf-8")
    assert made_sites == [2, 3, 4]
