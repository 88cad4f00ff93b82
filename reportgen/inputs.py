"""The one loading API: kommune.yaml, a period's areas, rapport.yaml and the labels, read and
validated, each problem raised once with its place. Every command loads through here.

Imports errors, period, project (paths), yamlsource and validate; model only for types.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from reportgen import project
from reportgen.errors import (
    InputError,
    ReportgenError,
    SourceLocation,
    TemplateError,
    UsageError,
    collect,
    raise_all,
)
from reportgen.languages import LANGUAGES
from reportgen.period import Period
from reportgen.project import display_path
from reportgen.yamlsource import SourceFile, load_yaml

if TYPE_CHECKING:  # the model (pydantic) loads only when inputs are validated
    from reportgen.model import Area, Kommune, Logo, Report, ReportInput
    from reportgen.view import Picture


def load_kommune(inputs: Path) -> Kommune:
    """inputs/kommune.yaml, validated."""
    from reportgen.validate import validate_kommune

    path = project.kommune_path(inputs)
    if not project.exists(path):
        raise InputError(
            f"{project.KOMMUNE_FILE} not found", location=SourceLocation(display_path(path)),
            hint="create it with `kommune:`, `språk:` and `programområder:`, or pass --inputs",
        )
    project.resolve_inside(inputs, path.name, "kommune file")  # a link out, as for area files
    source = load_yaml(path, root=inputs)
    kommune = validate_kommune(source)
    if kommune.logo is None:
        return kommune
    picture = load_logo(inputs, kommune.logo, source)
    return kommune.model_copy(update={"logo": kommune.logo.with_picture(picture)})


def load_logo(inputs: Path, logo: Logo, source: SourceFile) -> Picture:
    """kommune.yaml's `logo:` file, read (project.read_file: an ordinary file inside the
    inputs folder) and checked (reportgen.picture); each problem at kommune.yaml's line."""
    from reportgen.model import LOGO_KINDS, Kommune, Logo
    from reportgen.outline import alias
    from reportgen.picture import MAX_PICTURE_BYTES, PictureProblem, picture_size, too_large
    from reportgen.validate import ALT_HINT
    from reportgen.view import Picture

    key = (alias(Kommune, "logo"), alias(Logo, "file"))

    def problem(message: str, hint: str | None, field: str = key[1]) -> InputError:
        return InputError(f"{key[0]}.{field}: {message}",
                          location=source.location((key[0], field)), hint=hint)

    if not logo.alt.strip():
        raise problem("is empty", ALT_HINT, alias(Logo, "alt"))
    kind = LOGO_KINDS.get(PurePosixPath(logo.file).suffix.lower())
    if kind is None:
        ending = PurePosixPath(logo.file).suffix
        raise problem(f"{logo.file!r} is not a PNG or SVG file (its name "
                      + (f"ends {ending})" if ending else "does not end .png or .svg)"),
                      "save the logo as PNG or SVG (most drawing programs: File, Export) and"
                      " write that file's name")
    shown = display_path(inputs / logo.file)
    try:
        path = project.resolve_inside(inputs, logo.file, "logo")
    except ReportgenError as exc:
        raise problem(f"{logo.file!r} points outside {display_path(inputs)}/, the inputs"
                      " folder", f"put the picture inside {display_path(inputs)}/ (such as in"
                      f" {display_path(inputs / 'bilder')}/) and write its path from there:"
                      f" `{key[1]}: bilder/{PurePosixPath(logo.file).name}`") from exc
    try:
        size = project.check_file(path, root=inputs).st_size
        if size > MAX_PICTURE_BYTES:
            raise too_large(size)
        data = project.read_file(path, limit=MAX_PICTURE_BYTES, root=inputs)
        width, height = picture_size(data, kind)
    except PictureProblem as exc:
        raise problem(f"{shown} {exc.message}", exc.hint) from exc
    except ReportgenError as exc:
        if exc.hint is None:  # nothing there
            raise problem(f"there is no file {shown}", "write the path from the inputs folder"
                          f" {display_path(inputs)}/, with / between folders: `{key[1]}:"
                          f" bilder/vapen.svg` for {display_path(inputs / 'bilder' / 'vapen.svg')}"
                          ) from exc
        raise problem(f"{shown}: {exc.message}", exc.hint) from exc
    return Picture(kind, data, width, height, logo.alt)



def no_areas_error(inputs: Path, period: Period, hint: str | None = None) -> InputError:
    """The problem of a period that has no area file at all."""
    return InputError(
        f"no area has an input file for {period}",
        location=SourceLocation(display_path(project.period_folder(inputs, period))),
        hint=hint or f"write inputs/{period}/<code>.yaml, such as inputs/{period}/08.yaml",
    )


def unregistered_area_error(inputs: Path, period: Period, code: str) -> InputError:
    """The problem of an area file whose code is not in kommune.yaml's register."""
    path = project.period_folder(inputs, period) / project.area_file_name(code)
    return InputError(
        f"area {code} has an input file but is not in the register",
        location=SourceLocation(display_path(path)),
        hint="add it under `programområder:` in kommune.yaml, or remove the file",
    )


def select_areas(kommune: Kommune, requested: tuple[str, ...], inputs: Path,
                 period: Period) -> list[str]:
    """The area codes a command names; `all` means every area with an input file."""
    if project.ALL in requested:
        codes = [c for c in project.area_codes_with_input(inputs, period) if c in kommune.areas]
        if not codes:
            raise no_areas_error(inputs, period)
        return codes
    unknown = [c for c in requested if c not in kommune.areas]
    if unknown:
        known = ", ".join(kommune.areas)
        raise UsageError(
            f"area {', '.join(unknown)} is not in the register of programme areas",
            hint=f"use a two-digit code from kommune.yaml ({known}) or `all`",
        )
    return list(dict.fromkeys(requested))


def read_area(inputs: Path, period: Period, code: str) -> SourceFile:
    """inputs/<period>/<code>.yaml, read (not validated)."""
    path = project.area_path(inputs, period, code)
    if not project.exists(path):
        raise InputError(
            f"no input for area {code} in {period}",
            location=SourceLocation(display_path(path)),
            hint=f"write {display_path(path)} (see README.md, 'Writing an input"
            f" file'), or render only the areas that have one",
        )
    return load_yaml(path, root=inputs)


def load_area(inputs: Path, period: Period, code: str, kommune: Kommune,
              keep_sources: dict[str, SourceFile] | None = None) -> Area:
    """inputs/<period>/<code>.yaml, read and validated. `keep_sources`, when given,
    receives the parsed file (for check's warnings)."""
    from reportgen.validate import validate_area

    source = read_area(inputs, period, code)
    if keep_sources is not None:
        keep_sources[code] = source
    return validate_area(source, code, kommune, period)


def load_report_settings(inputs: Path, period: Period,
                         keep_sources: dict[str, SourceFile] | None = None) -> ReportInput:
    """inputs/<period>/rapport.yaml (optional), read and validated; `keep_sources`, when
    given, receives the parsed file under the key project.REPORT_FILE."""
    from reportgen.validate import validate_report

    path = project.report_path(inputs, period)
    source = load_yaml(path, root=inputs) if project.exists(path) else None
    if source is not None and keep_sources is not None:
        keep_sources[project.REPORT_FILE] = source
    return validate_report(source)


def load_report(inputs: Path, period: Period, codes: list[str], kommune: Kommune,
                keep_sources: dict[str, SourceFile] | None = None) -> Report:
    """Every area file of `codes` and rapport.yaml, validated; all problems raised at once."""
    from reportgen.model import Report

    problems: list[ReportgenError] = []
    areas = [collect(problems, lambda c=code: load_area(inputs, period, c, kommune, keep_sources))
             for code in codes]
    settings = collect(problems, lambda: load_report_settings(inputs, period, keep_sources))
    raise_all(problems)
    assert settings is not None
    return Report(kommune, period, tuple(a for a in areas if a is not None), settings)


def load_labels(templates: Path, language: str) -> dict[str, str]:
    """The fixed wording for the language, from templates/labels.yaml, validated: every label
    reportgen uses, each a text with only the placeholders reportgen fills in for it
    (reportgen.labels); each problem at labels.yaml:line:column."""
    from reportgen.validate import validate_labels

    path = project.labels_path(templates)
    if not project.exists(path):
        raise TemplateError(
            f"{project.LABELS_FILE} not found", location=SourceLocation(display_path(path)),
            hint=f"the templates folder needs {project.LABELS_FILE} with the wording for each"
            f" language ({', '.join(LANGUAGES)}); start from the one that comes with reportgen",
        )
    return validate_labels(load_yaml(path, root=templates), language)


def load_hyphenation(templates: Path) -> tuple[str, ...]:
    """The hyphenation exceptions of templates/hyphenation.yaml (`ord:` a list of words, each
    never broken, or broken only where it has a `|` (or a soft hyphen, U+00AD));
    none when the file is absent."""
    import yaml

    path = project.hyphenation_path(templates)
    if not path.is_file():
        return ()
    try:
        words = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("ord") or []
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip()
                                                  for w in words):
            raise TypeError("`ord` must be a list of words")
    except (OSError, UnicodeDecodeError, yaml.YAMLError, TypeError, AttributeError) as exc:
        raise TemplateError(
            f"cannot read the hyphenation exceptions: {exc}",
            location=SourceLocation(display_path(path)),
            hint="write `ord:` and under it one word per line as `- ord`, with | where"
                 " it may be broken",
        ) from exc
    return tuple(w.strip().replace("|", "\u00ad") for w in words)


def periods_with_input(inputs: Path) -> list[Period]:
    """Every period folder under inputs/, oldest first; an error when there is none."""
    found = []
    for child in sorted(inputs.iterdir()) if inputs.is_dir() else []:
        try:
            found.append(Period.parse(child.name))
        except ValueError:
            continue
    if not found:
        raise InputError("no period folders (such as 2017-T1) found",
                         location=SourceLocation(display_path(inputs)),
                         hint="name the period, or pass --inputs with the folder that has them")
    return found


def require_period(inputs: Path, period: Period) -> None:
    """A period that has no folder of inputs at all is a problem of its own."""
    folder = project.period_folder(inputs, period)
    what = project.what_is_at(folder)
    if what not in (None, project.A_FOLDER):  # a file, a link that loops, ...
        raise InputError(f"this is {what}, not a folder",
                         location=SourceLocation(display_path(folder)),
                         hint="the period's input files go in a folder of this name")
    if what is None:
        raise InputError(f"no inputs for {period}", location=SourceLocation(display_path(folder)),
                         hint=f"start it with `reportgen new all {period}`, or check the period")
