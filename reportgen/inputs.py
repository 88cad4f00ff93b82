"""The one loading API: kommune.yaml, a period's areas, rapport.yaml and the labels, read and
validated, each problem raised once with its place. Every command loads through here.

Imports errors, period, project (paths), yamlsource and validate; model only for types.
"""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from reportgen import project
from reportgen.errors import (
    InputError,
    ReportgenError,
    ReportgenWarning,
    SourceLocation,
    TemplateError,
    UsageError,
    collect,
    raise_all,
)
from reportgen.languages import LANGUAGES
from reportgen.messages import _
from reportgen.period import Period
from reportgen.project import display_path
from reportgen.yamlsource import SourceFile, load_yaml

if TYPE_CHECKING:  # the model loads only when inputs are validated
    from reportgen.model import Area, Kommune, Logo, Report, ReportInput
    from reportgen.view import Picture


def require_report_folder(inputs: Path) -> None:
    """The inputs folder is there: else this is not a report folder (or --inputs is wrong)."""
    if project.exists(inputs):
        return
    if inputs == project.DEFAULT_INPUTS:
        raise InputError(
            _("not a report folder: {here} has no folder {inputs}/").format(
                here=Path.cwd(), inputs=inputs),
            hint=_("run reportgen in the report's folder (the one that holds inputs/{kommune}),"
                   " or name the inputs folder with --inputs DIR").format(
                kommune=project.KOMMUNE_FILE))
    raise InputError(
        _("the inputs folder does not exist"), location=SourceLocation(display_path(inputs)),
        hint=_("check --inputs: it names the folder that holds {kommune} and one folder per"
               " period").format(kommune=project.KOMMUNE_FILE))


def load_kommune(inputs: Path) -> Kommune:
    """inputs/kommune.yaml, validated."""
    from reportgen.validate import validate_kommune

    require_report_folder(inputs)
    path = project.kommune_path(inputs)
    if not project.exists(path):
        raise InputError(
            _("{file} not found").format(file=project.KOMMUNE_FILE),
            location=SourceLocation(display_path(path)),
            hint=_("create it with `kommune:`, `språk:` and `programområder:`, or pass --inputs"),
        )
    project.resolve_inside(inputs, path.name, _("kommune file"))  # a link out, as for areas
    source = load_yaml(path, root=inputs)
    kommune = validate_kommune(source)
    if kommune.logo is None:
        return kommune
    picture = load_logo(inputs, kommune.logo, source)
    return dataclasses.replace(kommune, logo=kommune.logo.with_picture(picture))


def load_logo(inputs: Path, logo: Logo, source: SourceFile) -> Picture:
    """kommune.yaml's `logo:` file, read (project.read_file: an ordinary file inside the
    inputs folder) and checked (reportgen.picture); each problem at kommune.yaml's line."""
    from reportgen.model import LOGO_KINDS, Kommune, Logo
    from reportgen.outline import alias
    from reportgen.picture import MAX_PICTURE_BYTES, PictureProblem, picture_size, too_large
    from reportgen.validate import alt_hint
    from reportgen.view import Picture

    key = (alias(Kommune, "logo"), alias(Logo, "file"))

    def problem(message: str, hint: str | None, field: str = key[1]) -> InputError:
        return InputError(f"{key[0]}.{field}: {message}",
                          location=source.location((key[0], field)), hint=hint)

    if not logo.alt.strip():
        raise problem(_("is empty"), alt_hint(), alias(Logo, "alt"))
    kind = LOGO_KINDS.get(PurePosixPath(logo.file).suffix.lower())
    if kind is None:
        ending = PurePosixPath(logo.file).suffix
        raise problem(
            _("{file!r} is not a PNG or SVG file (its name ends {ending})").format(
                file=logo.file, ending=ending) if ending else
            _("{file!r} is not a PNG or SVG file (its name does not end .png or .svg)").format(
                file=logo.file),
            _("save the logo as PNG or SVG (most drawing programs: File, Export) and write that"
              " file's name"))
    shown = display_path(inputs / logo.file)
    try:
        path = project.resolve_inside(inputs, logo.file, "logo")
    except ReportgenError as exc:
        raise problem(
            _("{file!r} points outside {inputs}/, the inputs folder").format(
                file=logo.file, inputs=display_path(inputs)),
            _("put the picture inside {inputs}/ (such as in {folder}/) and write its path from"
              " there: `{key}: bilder/{name}`").format(
                inputs=display_path(inputs), folder=display_path(inputs / "bilder"), key=key[1],
                name=PurePosixPath(logo.file).name)) from exc
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
            raise problem(
                _("there is no file {file}").format(file=shown),
                _("write the path from the inputs folder {inputs}/, with / between folders:"
                  " `{key}: bilder/vapen.svg` for {example}").format(
                    inputs=display_path(inputs), key=key[1],
                    example=display_path(inputs / "bilder" / "vapen.svg"))) from exc
        raise problem(f"{shown}: {exc.message}", exc.hint) from exc
    return Picture(kind, data, width, height, logo.alt)



def no_areas_error(inputs: Path, period: Period, hint: str | None = None) -> InputError:
    """The problem of a period that has no area file at all."""
    return InputError(
        _("no area has an input file for {period}").format(period=period),
        location=SourceLocation(display_path(project.period_folder(inputs, period))),
        hint=hint or _("write inputs/{period}/<code>.yaml, such as inputs/{period}/08.yaml"
                       ).format(period=period),
    )


def unregistered_area_error(inputs: Path, period: Period, code: str) -> InputError:
    """The problem of an area file whose code is not in kommune.yaml's register."""
    path = project.period_folder(inputs, period) / project.area_file_name(code)
    return InputError(
        _("area {code} has an input file but is not in the register").format(code=code),
        location=SourceLocation(display_path(path)),
        hint=_("add it under `programområder:` in kommune.yaml, or remove the file"),
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
            _("area {code} is not in the register of programme areas").format(
                code=", ".join(unknown)),
            hint=_("use a two-digit code from kommune.yaml ({codes}) or `all`").format(
                codes=known),
        )
    return list(dict.fromkeys(requested))


def read_area(inputs: Path, period: Period, code: str) -> SourceFile:
    """inputs/<period>/<code>.yaml, read (not validated)."""
    path = project.area_path(inputs, period, code)
    if not project.exists(path):
        near = [i.path.name for i in ignored_inputs(inputs, period) if i.code == code]
        raise InputError(
            _("no input for area {code} in {period}").format(code=code, period=period),
            location=SourceLocation(display_path(path)),
            hint=_("there is {found}: rename it {name}").format(found=near[0], name=path.name)
            if near else _("write {file} (see README.md, 'Writing an input file'), or render"
                           " only the areas that have one").format(file=display_path(path)),
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
            _("{file} not found").format(file=project.LABELS_FILE),
            location=SourceLocation(display_path(path)),
            hint=_("the templates folder needs {file} with the wording for each language"
                   " ({languages}); start from the one that comes with reportgen").format(
                file=project.LABELS_FILE, languages=", ".join(LANGUAGES)),
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
            raise TypeError(_("`ord` must be a list of words"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, TypeError, AttributeError) as exc:
        raise TemplateError(
            _("cannot read the hyphenation exceptions: {reason}").format(reason=exc),
            location=SourceLocation(display_path(path)),
            hint=_("write `ord:` and under it one word per line as `- ord`, with | where"
                   " it may be broken"),
        ) from exc
    return tuple(w.strip().replace("|", "\u00ad") for w in words)


def periods_with_input(inputs: Path) -> list[Period]:
    """Every period folder under inputs/, oldest first; an error when there is none."""
    require_report_folder(inputs)
    found = []
    for child in sorted(inputs.iterdir()) if inputs.is_dir() else []:
        try:
            period = Period.parse(child.name)
        except ValueError:
            continue
        if str(period) == child.name and child.is_dir():  # `2017-t2` is not read: ignored
            found.append(period)
    if not found:
        raise InputError(_("no period folders (such as 2017-T1) found"),
                         location=SourceLocation(display_path(inputs)),
                         hint=_("name the period, or pass --inputs with the folder that has"
                                " them"))
    return found


def require_period(inputs: Path, period: Period) -> None:
    """A period that has no folder of inputs at all is a problem of its own."""
    folder = project.period_folder(inputs, period)
    what = project.what_is_at(folder)
    if what not in (None, project.A_FOLDER):  # a file, a link that loops, ...
        raise InputError(_("this is {what}, not a folder").format(what=what),
                         location=SourceLocation(display_path(folder)),
                         hint=_("the period's input files go in a folder of this name"))
    if what is None:
        near = [i.path.name for i in ignored_inputs(inputs, period)
                if i.period == period and i.path.parent == inputs]
        raise InputError(_("no inputs for {period}").format(period=period),
                         location=SourceLocation(display_path(folder)),
                         hint=_("there is a folder {found}: rename it {period}").format(
                             found=near[0], period=period) if near else
                         _("start it with `reportgen new all {period}`, or check the"
                           " period").format(period=period))


# --- what is not read ------------------------------------------------------------------------

@dataclass(frozen=True)
class Ignored:
    """A file or folder under inputs/ that reportgen does not read, and why."""

    path: Path
    warning: ReportgenWarning
    code: str | None = None  # the area it seems meant for: `08.yml`, `08 kopi.yaml`
    period: Period | None = None  # the period a folder seems meant for: `2017-2`


def ignored_inputs(inputs: Path, period: Period | None = None,
                   kommune: Kommune | None = None) -> list[Ignored]:
    """Every file and folder in inputs/ (and in the period's folder, when given) that
    reportgen does not read, each with a warning that says why and what to do. Hidden
    files (`.name`, such as an editor's) are left out, and so is what kommune.yaml names
    (the logo's file and the folder it is in)."""
    used = [PurePosixPath(kommune.logo.file).parts[0]] if kommune and kommune.logo else []
    found = [_ignored_in_inputs(inputs, name) for name in _listing(inputs) if name not in used]
    folder = project.period_folder(inputs, period) if period else None
    if folder is not None and folder.is_dir() and _inside(folder, inputs):  # never outside
        found += [_ignored_in_period(folder, name) for name in _listing(folder)]
    return [each for each in found if each is not None]


def _inside(folder: Path, inputs: Path) -> bool:
    """Whether the folder, its links followed, is inside the inputs folder; False for a link
    that loops (which loading reports as such)."""
    try:
        return folder.resolve().is_relative_to(inputs.resolve())
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
        return False


def _listing(folder: Path) -> list[str]:
    try:
        return sorted(n for n in os.listdir(folder) if not n.startswith("."))
    except OSError:
        return []


def _ignored_in_inputs(inputs: Path, name: str) -> Ignored | None:
    path = inputs / name
    if name == project.KOMMUNE_FILE or (path.is_dir() and _is_period(name)):
        return None
    if not path.is_dir():
        if name.lower() in _spellings(project.KOMMUNE_FILE):
            return _renamed(path, project.KOMMUNE_FILE)
        return Ignored(path, ReportgenWarning(
            _("ignored: not an input file"), SourceLocation(display_path(path)),
            _("this folder holds {kommune} and one folder per period (such as 2017-T1); move"
              " other files out of it").format(kommune=project.KOMMUNE_FILE)))
    meant = _period_meant(name)
    if meant is None:
        return Ignored(path, ReportgenWarning(
            _("ignored: not a period"), SourceLocation(display_path(path)),
            _("period folders are named YEAR-T1, YEAR-T2 or YEAR-T3, such as 2017-T1")))
    there = project.exists(inputs / str(meant))
    return Ignored(path, ReportgenWarning(
        _("ignored: not a period; did you mean {period}?").format(period=meant),
        SourceLocation(display_path(path)),
        _("{folder} is the folder reportgen reads; move this one out of the inputs folder").format(
            folder=display_path(inputs / str(meant))) if there else
        _("rename the folder {period}").format(period=meant)), period=meant)


def _ignored_in_period(folder: Path, name: str) -> Ignored | None:
    path = folder / name
    if name == project.REPORT_FILE or (project.area_code_of(name) and not path.is_dir()):
        return None
    stem, _dot, suffix = name.rpartition(".") if "." in name else (name, "", "")
    if path.is_dir():
        return Ignored(path, ReportgenWarning(
            _("ignored: a folder inside a period folder is not read"),
            SourceLocation(display_path(path)), _(
                "move the files reportgen should read into {folder} itself, and others out of"
                " the inputs folder").format(folder=display_path(folder))))
    if name.lower() in _spellings(project.REPORT_FILE):
        return _renamed(path, project.REPORT_FILE)
    code = re.match(r"([0-9]{1,2})(?:$|[ _.()-])", stem)  # `08`, `8`, `08 kopi`, `08-gammel`
    if code is not None and suffix.lower() in ("yaml", "yml"):
        meant = f"{int(code.group(1)):02d}"
        if code.group(1) == stem:
            return _renamed(path, project.area_file_name(meant), meant)
        file = project.area_file_name(meant)
        there = project.exists(folder / file)
        return Ignored(path, ReportgenWarning(
            _("ignored: an area file is named by its code alone, such as {file}").format(
                file=file), SourceLocation(display_path(path)),
            _("reportgen reads {file}; move this copy out of the inputs folder").format(file=file)
            if there else _("rename it {file}").format(file=file)), code=meant)
    return Ignored(path, ReportgenWarning(
        _("ignored: not an input file"), SourceLocation(display_path(path)),
        _("a period folder holds <code>.yaml files (such as 08.yaml) and {report}; move other"
          " files out of the inputs folder").format(report=project.REPORT_FILE)))


def _renamed(path: Path, meant: str, code: str | None = None) -> Ignored:
    """`08.yml`, `Rapport.yaml`: the name reportgen reads, spelt otherwise."""
    there = project.exists(path.parent / meant)
    return Ignored(path, ReportgenWarning(
        _("ignored: not an input file name; did you mean {file}?").format(file=meant),
        SourceLocation(display_path(path)),
        _("{file} is the file reportgen reads; remove this one or move it out of the inputs"
          " folder").format(file=meant) if there else _("rename it {file}").format(file=meant)),
        code=code)


def _spellings(name: str) -> set[str]:
    stem = name.removesuffix(project.INPUT_SUFFIX)
    return {f"{stem}.yaml", f"{stem}.yml", f"{stem}.yaml.txt", f"{stem}.txt"}


def _is_period(name: str) -> bool:
    try:
        return str(Period.parse(name)) == name
    except ValueError:
        return False


def _period_meant(name: str) -> Period | None:
    """The period a folder's name seems meant as: `2017-2`, `2017-t2`, `2017 T2`, `T2-2017`."""
    year = re.search(r"(?<![0-9])[0-9]{4}(?![0-9])", name)
    if year is None:
        return None
    rest = re.findall(r"[0-9]+", name[:year.start()] + " " + name[year.end():])
    if len(rest) != 1 or rest[0] not in ("1", "2", "3"):
        return None
    return Period(int(year.group()), int(rest[0]))
