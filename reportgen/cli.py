"""The command line: parse arguments, call a command (reportgen.commands), print, exit code.

No report logic lives here. Errors print as `file:line:column: error: what` with a hint line.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from pathlib import Path
from typing import Any, NoReturn

import click

from reportgen import __version__
from reportgen.errors import (
    ExitCode,
    ReportgenError,
    ReportgenErrors,
    UsageError,
    format_problem,
)
from reportgen.period import AREA_CODE, Period, parse_epoch
from reportgen.project import ALL, DEFAULT_INPUTS, DEFAULT_OUT, default_templates, display_path
from reportgen.render import DEFAULT_FORMATS, DEFAULT_PDF_VARIANT, RENDERERS
from reportgen.streams import (
    CannotPrint,
    cannot_print,
    echo,
    failed_stream,
    open_standard_descriptors,
    printing,
    quietly,
)
from reportgen.streams import progress as render_progress

# The variants WeasyPrint 70 writes (weasyprint.pdf.VARIANTS), listed here so that parsing the
# command line does not import WeasyPrint.
PDF_VARIANTS = ("pdf/a-1a", "pdf/a-1b", "pdf/a-2a", "pdf/a-2b", "pdf/a-2u", "pdf/a-3a",
                "pdf/a-3b", "pdf/a-3u", "pdf/a-4e", "pdf/a-4f", "pdf/a-4u", "pdf/ua-1", "pdf/ua-2",
                "pdf/x-1a", "pdf/x-3", "pdf/x-4", "pdf/x-5g", "plain")


def _period(ctx: click.Context, param: click.Parameter, value: str | None) -> Period | None:
    if value is None:
        return None
    try:
        return Period.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    wrong = [f for f in chosen if f not in RENDERERS]
    if wrong or not chosen:
        raise click.BadParameter(
            f"{', '.join(wrong) or 'nothing'} is not a format; choose from {','.join(RENDERERS)}"
        )
    return chosen


def _areas(values: tuple[str, ...]) -> tuple[str, ...]:
    for value in values:
        if value != ALL and not AREA_CODE.fullmatch(value):
            one_digit = len(value) == 1 and value.isascii() and value.isdigit()
            hint = f" (write {int(value):02d})" if one_digit else ""
            raise click.BadParameter(
                f"{value!r} is not an area code: use two digits such as 08, or `all`{hint}",
                param_hint="AREA",
            )
    return values


def _folder_options(func: Any) -> Any:
    func = click.option("--inputs", type=click.Path(path_type=Path), default=DEFAULT_INPUTS,
                        show_default=True,
                        help="Folder with kommune.yaml and <PERIOD>/<AREA>.yaml.")(func)
    func = click.option("--templates", type=click.Path(path_type=Path), default=None,
                        help="Folder with docx/, html/ and labels.yaml "
                             "[default: ./templates].")(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="reportgen")
@click.option("--debug", is_flag=True,
              help="Show tracebacks of internal errors (anywhere on the line).")
def cli(debug: bool) -> None:
    """Render a municipality's tertial report from YAML to DOCX, PDF and HTML."""


@cli.command(short_help="Render areas (or `all` and the whole report) to DOCX, PDF and HTML.")
@click.argument("areas", nargs=-1, required=True)
@click.argument("period", callback=_period)
@_folder_options
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Output folder; documents go to <OUT>/<PERIOD>/.")
@click.option("--format", "formats", default=",".join(DEFAULT_FORMATS), callback=_formats,
              show_default=True, help="Comma-separated formats to write.")
@click.option("--force", is_flag=True, help="Render even outputs whose sources have not changed.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@click.option("--pdf-variant", default=DEFAULT_PDF_VARIANT, show_default=True,
              type=click.Choice(PDF_VARIANTS),
              help="PDF flavour: PDF/A-2a is tagged, accessible and archival; `plain` is none.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="PDF worker processes [default: one per core; 1 renders in one process].")
@click.option("--draft", is_flag=True,
              help="Render unfinished areas too, every document marked UTKAST (the PDF then"
                   " PDF/UA, never PDF/A); `all` leaves out the areas with errors.")
def render(areas: tuple[str, ...], period: Period, inputs: Path, templates: Path | None,
           out: Path, formats: tuple[str, ...], force: bool, quiet: bool,
           pdf_variant: str | None, jobs: int | None, draft: bool) -> None:
    """Render AREA... (two-digit codes, or `all`) for PERIOD (such as 2017-T1).

    A final document never holds a placeholder (FYLL UT) or text that `reportgen new`
    copied and nobody reviewed: render refuses such an area, naming each place. --draft
    renders it anyway, marked UTKAST; `all --draft` renders the whole report from the areas
    that are ready and names those it leaves out.

    \b
    Examples:
      reportgen render 08 2017-T1
      reportgen render 01 08 2017-T1 --format docx,html
      reportgen render all 2017-T1        (every area and the whole report)
      reportgen render all 2017-T2 --draft
    """
    from reportgen.commands.render import Options, render_reports

    variant = None if pdf_variant == "plain" else pdf_variant
    options = Options(inputs, templates or default_templates(), out, formats, force, variant, jobs,
                      _source_date_epoch(), draft)
    progress = render_progress(quiet)
    try:
        outcome = render_reports(_areas(areas), period, options, progress)
    finally:
        progress.stop()
    if quiet:
        return
    for path in outcome.written:
        echo(f"wrote {display_path(path)}")
    if outcome.unchanged:
        folder = display_path(outcome.unchanged[0].parent)
        names = ", ".join(p.name for p in outcome.unchanged[:6])
        more = f" and {len(outcome.unchanged) - 6} more" if len(outcome.unchanged) > 6 else ""
        echo(f"up to date in {folder} (sources unchanged): {names}{more}")
        if not outcome.written:
            echo("nothing rendered; add --force to render anyway")


@cli.command(short_help="Validate the inputs area by area and print every problem; writes nothing.")
@click.argument("period", callback=_period, required=False)
@click.argument("areas", nargs=-1)
@_folder_options
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, for CI.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary line.")
def check(period: Period | None, areas: tuple[str, ...], inputs: Path, templates: Path | None,
          strict: bool, quiet: bool) -> int:
    """Validate the inputs of PERIOD (default: every period in --inputs), or only of the
    AREA codes named after it, and the templates; print every problem, area by area, and a
    summary line; writes nothing.

    Errors (exit 1) stop a render. Warnings do not: areas of the register with no input,
    empty sections, very long sentences, figures that do not add up, files under inputs/
    that are not read. Unfinished work (placeholders left by `reportgen new`, text it copied
    that is not yet reviewed) is a warning here; `render` refuses it, `render --draft` does
    not. --strict makes warnings fail too.

    \b
    Examples:
      reportgen check 2017-T2
      reportgen check 2017-T2 08        (only area 08)
      reportgen check 2017-T2 --quiet   (the summary line alone)
    """
    from reportgen.commands.check import check_inputs, periods_with_input

    if areas and period is None:
        raise click.UsageError("name the period before the areas, such as: check 2017-T2 08")
    failed = False
    for each in [period] if period else periods_with_input(inputs):
        found = check_inputs(each, inputs, templates or default_templates(), _areas(areas))
        failed = _print_check(found, quiet, strict) or failed
    return ExitCode.USER_ERROR if failed else ExitCode.OK


def _print_check(found: Any, quiet: bool, strict: bool) -> bool:
    """Each area's heading and problems (stderr), then the summary (stdout); True when the
    check failed (an error, or a warning with --strict)."""
    from reportgen.commands.check import report_lines

    printed = report_lines(found, strict)
    for line in [] if quiet else printed.problems:
        echo(line, err=True)
    echo(printed.summary)
    if printed.strict_error is not None:
        print_error(printed.strict_error)
    return printed.failed


@cli.command(short_help="One line per area: missing, errors, placeholders, ready, rendered …")
@click.argument("period", callback=_period)
@_folder_options
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Output folder whose documents are compared with the inputs.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON, for scripts.")
def status(period: Period, inputs: Path, templates: Path | None, out: Path,
           as_json: bool) -> None:
    """Show where PERIOD stands: one line per area of the register with its state (missing,
    errors, edited DOCX waiting for import, placeholders left, rendered and up to date,
    warnings, ready), its counts, its documents in --out and when its input last changed;
    then rapport.yaml and the whole report, and a summary. Writes nothing.

    "Rendered, up to date" means every format, rendered final (the default PDF variant)
    from the inputs as they are now. "Edited DOCX" means the area's DOCX in --out was
    changed after reportgen wrote it: bring the edits in with `reportgen import`.
    """
    from reportgen.commands.status import as_json as json_text
    from reportgen.commands.status import period_status, table

    found = period_status(period, inputs, templates or default_templates(), out,
                          _source_date_epoch())
    for line in [json_text(found)] if as_json else table(found):
        echo(line)


@cli.command(name="new", short_help="Start a period's input file from the previous period's.")
@click.argument("areas", nargs=-1, required=True)
@click.argument("period", callback=_period)
@click.option("--from", "source", callback=_period, default=None, metavar="PERIOD",
              help="The period to start from [default: the tertial before PERIOD].")
@click.option("--inputs", type=click.Path(path_type=Path), default=DEFAULT_INPUTS,
              show_default=True, help="Folder with kommune.yaml and <PERIOD>/<AREA>.yaml.")
def new(areas: tuple[str, ...], period: Period, source: Period | None, inputs: Path) -> None:
    """Create inputs/PERIOD/AREA.yaml from the area's file of the previous period.

    Structure, sub-headings, Andre forhold and the figure rows' names carry over; Fakta,
    Vurdering, Konklusjon and the amounts are marked FYLL UT for you to fill in. The texts
    that carry over (the ingress, Investeringer, Andre forhold, tables) are kept under a
    line `# UTKAST: uendret fra <PERIOD>`: read them, change what no longer holds, then
    delete that line. `check` reports both until you do; `render` refuses them (`--draft`
    renders them). "per april" becomes "per august". `all` makes every area that has a file
    in the earlier period, and rapport.yaml the same way. An existing file is never
    overwritten.
    """
    from reportgen.carry import DRAFT_WORD
    from reportgen.commands.new import new_areas
    from reportgen.model import PLACEHOLDER

    old, outcome = new_areas(_areas(areas), period, source, inputs)
    for target in outcome.written:
        echo(f"wrote {display_path(target)} (from {old})")
    if outcome.kept:
        echo(f"kept, already there: {', '.join(outcome.kept)}")
    if outcome.report_note:
        echo(f"note: {outcome.report_note}")
    if outcome.written:
        echo(f"next: fill in what is marked {PLACEHOLDER}; read each text under a line"
             f" «# {DRAFT_WORD}: uendret fra {old}», change what no longer holds for {period},"
             f" then delete that line; `reportgen check {period}` lists what is left")


@cli.command(short_help="Preview a period in the browser, reloading as the inputs change.")
@click.argument("period", callback=_period)
@_folder_options
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1; 0 picks a free one.")
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Output folder whose documents the index compares with the inputs.")
def serve(period: Period, inputs: Path, templates: Path | None, port: int, out: Path) -> None:
    """Serve the HTML of PERIOD's areas and whole report on http://127.0.0.1:PORT/ and
    reload the browser whenever an input or template is saved; writes nothing.

    Problems in the inputs show in the browser until they are fixed; here, each save
    prints only what changed: the problems that are new, and those that are fixed. The index
    page shows each area's state, as `reportgen status` does. Only this computer can
    connect. Ctrl-C stops.
    """
    from reportgen.commands.serve import serve as run

    run(period, inputs, templates or default_templates(), port, say=echo,
        log=lambda line: quietly(echo, line, err=True), epoch=_source_date_epoch(), out=out)


@cli.command(name="import",
             short_help="Carry an edited DOCX, or a ledger export's amounts, into the YAML.")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False),
                metavar="FILE.docx|FILE.xlsx|FILE.csv")
@_folder_options
@click.option("--period", callback=_period, default=None, metavar="PERIOD",
              help="The period a ledger export's amounts are for (such as 2017-T1).")
@click.option("--yes", "-y", is_flag=True, help="Write the YAML without asking.")
def import_(file: Path, inputs: Path, templates: Path | None, period: Period | None,
            yes: bool) -> None:
    """Read an area document that reportgen rendered and Word or LibreOffice saved, and
    update its input file (named in the document) so the next render gives the edited text;
    or read an accounting export (.xlsx, .ods or .csv, with --period) and write its amounts
    (regnskap, budsjett, årsbudsjett) into every area's figures.

    Shows what cannot be carried over and the change to the YAML, then asks before writing.
    Comments and key order in the YAML stay.

    \b
    Examples:
      reportgen import build/2017-T1/08.docx
      reportgen import ~/Nedlastinger/08.docx --yes
      reportgen import regnskap-april.xlsx --period 2017-T1
    """
    from reportgen.commands.importer import LEDGER_SUFFIXES

    if file.suffix.lower() in LEDGER_SUFFIXES:
        if period is None:
            raise click.UsageError("a ledger export needs --period, such as --period 2017-T1")
        _import_ledger(file, inputs, period, yes)
    else:
        _import_document(file, inputs, templates, yes)


def _import_document(file: Path, inputs: Path, templates: Path | None, yes: bool) -> None:
    from reportgen.commands.importer import import_docx, unified_diff, write_yaml

    result = import_docx(file, inputs, templates or default_templates())
    for note in result.notes:
        echo(f"{display_path(file)}: note: {note}", err=True)
    if not result.changed:
        echo("nothing to import: the input file already gives this text")
        return
    echo(unified_diff(result), nl=False)
    target = display_path(result.yaml_path)
    if _confirmed(file, yes, f"Write {target}?", target):
        write_yaml(result)
        echo(f"wrote {target}")


def _import_ledger(file: Path, inputs: Path, period: Period, yes: bool) -> None:
    from reportgen.commands.importer import import_ledger, unified_diff, write_all
    from reportgen.inputs import load_kommune

    outcome = import_ledger(file, inputs, period, load_kommune(inputs))
    for note in [*outcome.notes, *(n for r in outcome.results for n in r.notes)]:
        echo(f"note: {note}", err=True)
    for result in outcome.changed:
        echo(unified_diff(result), nl=False)
    for line in [*outcome.summary, *(f"total {t}" for t in outcome.totals)]:
        echo(line)
    if not outcome.changed:
        echo("nothing to import: every area file already has these amounts")
        return
    count = len(outcome.changed)
    if _confirmed(file, yes, f"Write the {count} changed file(s)?", f"{count} file(s)"):
        for path in write_all(outcome.results):
            echo(f"wrote {display_path(path)}")


def _confirmed(file: Path, yes: bool, question: str, what: str) -> bool:
    """--yes, or the user's answer on a terminal; without a terminal, an error."""
    from reportgen.errors import OutputError, SourceLocation

    if yes:
        return True
    if not (sys.stdin is not None and sys.stdin.isatty()):
        raise OutputError(f"not writing {what}: there is no terminal to ask on",
                          location=SourceLocation(display_path(file)),
                          hint="check the change above, then run again with --yes")
    if printing(False, click.confirm, question, default=False):
        return True
    echo("nothing written")
    return False


def print_error(error: ReportgenError) -> None:
    """`path:line:column: error: message` and an indented hint, on stderr."""
    for line in format_problem(error):
        echo(line, err=True)


def _source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH, read once here and checked; the documents are dated by it."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        return None if value is None else parse_epoch(value)
    except ValueError as exc:
        raise UsageError(f"SOURCE_DATE_EPOCH: {exc}", hint="set it to the seconds since"
                         " 1970-01-01 UTC, as `date +%s` prints them, or unset it") from exc


def _terminated(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> NoReturn:
    """Entry point of the `reportgen` command; exits with the codes of DESIGN.md section 6."""
    args = sys.argv[1:] if argv is None else argv
    # --debug is accepted anywhere on the line; REPORTGEN_DEBUG=1 does the same for scripts.
    debug = "--debug" in args or os.environ.get("REPORTGEN_DEBUG") == "1"
    open_standard_descriptors()
    signal.signal(signal.SIGTERM, _terminated)  # unwind like Ctrl-C: temporary files are removed
    try:
        code = _run([a for a in args if a != "--debug"], debug)
    except CannotPrint as exc:
        code = cannot_print(exc)
    sys.exit(code)


def _run(args: list[str], debug: bool) -> int:
    """The command's exit status; every problem printed (as far as stderr allows)."""
    try:
        code = cli.main(args, prog_name="reportgen", standalone_mode=False)
        return code if isinstance(code, int) else ExitCode.OK
    except CannotPrint:
        raise
    except ReportgenError as exc:
        for error in exc.errors if isinstance(exc, ReportgenErrors) else [exc]:
            quietly(print_error, error)
        return exc.exit_code
    except click.ClickException as exc:
        quietly(printing, True, exc.show)
        return ExitCode.USAGE if exc.exit_code == 2 else exc.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        quietly(echo, "interrupted; earlier outputs are untouched", err=True)
        return 130
    except OSError as exc:
        failed = failed_stream(exc)  # click printing --help or --version, say
        if failed is None:
            return _internal_error(debug)
        raise failed from exc
    except Exception:
        return _internal_error(debug)


def _internal_error(debug: bool) -> int:
    """A bug: say so, and show the traceback with --debug."""
    if debug:
        quietly(printing, True, traceback.print_exc)
    quietly(echo, "reportgen: internal error (a bug in reportgen, not in your files). Please"
            " report it with the output of the same command run with --debug.", err=True)
    return ExitCode.INTERNAL
