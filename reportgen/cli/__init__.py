"""The command line: parse arguments, call a command (reportgen.commands), print, exit code.

No report logic lives here. Errors print as `file:line:column: error: what` with a hint line.
importing.py prints what `import` found and asks before writing.
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
from reportgen.cli.language import choose_language
from reportgen.errors import (
    ExitCode,
    ReportgenError,
    ReportgenErrors,
    ReportgenWarning,
    UsageError,
    format_problem,
)
from reportgen.messages import LANGUAGES
from reportgen.period import AREA_CODE, Period, parse_epoch
from reportgen.project import ALL, DEFAULT_INPUTS, DEFAULT_OUT, default_templates, display_path
from reportgen.render import DEFAULT_FORMATS, RENDERERS
from reportgen.streams import (
    CannotPrint,
    cannot_print,
    echo,
    failed_stream,
    open_standard_descriptors,
    printing,
    quietly,
)

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
@click.option("--lang", type=click.Choice(LANGUAGES), default=None,
              help="The language of the messages: nb, nn or en (anywhere on the line)."
              " Default: from LANGUAGE, LC_ALL, LC_MESSAGES or LANG; English otherwise.")
def cli(debug: bool, lang: str | None) -> None:
    """Render a municipality's tertial report from YAML to DOCX, PDF and HTML."""


@cli.command(short_help="Render areas (or `all` and the whole report) to DOCX, PDF and HTML.")
@click.argument("areas", nargs=-1, required=True)
@click.argument("period", callback=_period)
@_folder_options
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Output folder; documents go to <OUT>/<PERIOD>/.")
@click.option("--format", "formats", default=",".join(DEFAULT_FORMATS), callback=_formats,
              show_default=True,
              help="Comma-separated formats to write; `site` (with `all`): the report as a web"
                   " site in <OUT>/<PERIOD>/nettsted/.")
@click.option("--force", is_flag=True, help="Render even outputs whose sources have not changed.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@click.option("--pdf-variant", default="pdf/a-2a", show_default=True,
              type=click.Choice(PDF_VARIANTS),
              help="PDF flavour: PDF/A-2a is tagged, accessible and archival; `plain` is none.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="PDF worker processes [default: one per core; 1 renders in one process].")
def render(areas: tuple[str, ...], period: Period, inputs: Path, templates: Path | None,
           out: Path, formats: tuple[str, ...], force: bool, quiet: bool,
           pdf_variant: str | None, jobs: int | None) -> None:
    """Render AREA... (two-digit codes, or `all`) for PERIOD (such as 2017-T1).

    \b
    Examples:
      reportgen render 08 2017-T1
      reportgen render 01 08 2017-T1 --format docx,html
      reportgen render all 2017-T1        (every area and the whole report)
      reportgen render all 2017-T1 --format site   (the web site)
    """
    from reportgen.commands.render import Options, render_reports

    variant = None if pdf_variant == "plain" else pdf_variant
    options = Options(inputs, templates or default_templates(), out, formats, force, variant, jobs,
                      _source_date_epoch())
    progress = _progress(quiet)
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


@cli.command(short_help="Validate the inputs and print every problem; writes nothing.")
@click.argument("period", callback=_period, required=False)
@_folder_options
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, for CI.")
def check(period: Period | None, inputs: Path, templates: Path | None, strict: bool) -> None:
    """Validate the inputs of PERIOD (default: every period in --inputs) and the templates,
    and print every problem; writes nothing.

    Errors (exit 1) stop a render. Warnings do not: areas of the register with no input,
    placeholders left by `reportgen new`, empty sections, very long sentences, figures that
    do not add up. --strict makes warnings fail too.
    """
    from reportgen.commands.check import check_inputs, periods_with_input

    for each in [period] if period else periods_with_input(inputs):
        _check_period(each, inputs, templates or default_templates(), strict, check_inputs)


def _check_period(period: Period, inputs: Path, templates: Path, strict: bool,
                  check_inputs: Any) -> None:
    codes, warnings = check_inputs(period, inputs, templates)

    def place(warning: ReportgenWarning) -> tuple[str, int, int]:
        loc = warning.location
        return (loc.path, loc.line or 0, loc.column or 0) if loc else ("", 0, 0)

    for warning in sorted(warnings, key=place):
        for line in format_problem(warning):
            echo(line, err=True)
    echo(f"{period}: {len(codes)} area file(s) valid ({', '.join(codes) or 'none'}),"
         f" {len(warnings)} warning(s)")
    if strict and warnings:
        raise ReportgenError(f"{len(warnings)} warning(s), and --strict treats them as errors")


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
    Vurdering, Konklusjon and the amounts are marked FYLL UT for you to fill in (`check`
    reports them until you do); "per april" becomes "per august". `all` makes every area
    that has a file in the earlier period. An existing file is never overwritten.
    """
    from reportgen.commands.new import new_areas
    from reportgen.model import PLACEHOLDER

    old, outcome = new_areas(_areas(areas), period, source, inputs)
    for target in outcome.written:
        echo(f"wrote {display_path(target)} (from {old}); fill in what is marked"
             f" {PLACEHOLDER}")
    if outcome.kept:
        echo(f"kept, already there: {', '.join(outcome.kept)}")


@cli.command(short_help="Preview a period in the browser, reloading as the inputs change.")
@click.argument("period", callback=_period)
@_folder_options
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1; 0 picks a free one.")
def serve(period: Period, inputs: Path, templates: Path | None, port: int) -> None:
    """Serve the HTML of PERIOD's areas and whole report on http://127.0.0.1:PORT/ and
    reload the browser whenever an input or template is saved; writes nothing.

    Problems in the inputs show in the browser (and here) until they are fixed. Only this
    computer can connect. Ctrl-C stops.
    """
    from reportgen.commands.serve import serve as run

    run(period, inputs, templates or default_templates(), port, say=echo,
        log=lambda line: quietly(echo, line, err=True), epoch=_source_date_epoch())


def _area(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not AREA_CODE.fullmatch(value):
        raise click.BadParameter(f"{value!r} is not an area code: use two digits such as 06")
    return value


@cli.command(name="import",
             short_help="Carry a DOCX (an area, or a whole report), or a ledger export's"
                        " amounts, into the YAML.")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False),
                metavar="FILE.docx|FILE.xlsx|FILE.csv")
@_folder_options
@click.option("--period", callback=_period, default=None, metavar="PERIOD",
              help="The period the file is for (such as 2017-T1): needed for a ledger"
                   " export, and for a document that does not name its tertial.")
@click.option("--area", callback=_area, default=None, metavar="AREA",
              help="The area a document made without reportgen is for (such as 06); with a"
                   " whole report, import only this area.")
@click.option("--remove-missing", is_flag=True,
              help="Remove what the YAML has and the document lacks (tall, investeringer, an"
                   " Andre forhold item, a sub-heading, a chapter) instead of keeping it.")
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Output folder whose manifest notes that an edited document was imported.")
@click.option("--yes", "-y", is_flag=True, help="Write the YAML without asking.")
def import_(file: Path, inputs: Path, templates: Path | None, period: Period | None,
            area: str | None, remove_missing: bool, out: Path, yes: bool) -> None:
    """Read a DOCX into the input files so the next render gives its text: an area
    document reportgen rendered (and Word or LibreOffice saved), one written by hand, or a
    whole tertial report (an area file each, kommune.yaml's register, rapport.yaml). Or
    write an accounting export's amounts (.xlsx, .ods, .csv, with --period) into every
    area's figures.

    A document reportgen did not write is placed by --area and --period, or by its title
    ("Programområde 06 …") and the tertial its text names. Shows what cannot be carried over
    and the change to each file, then asks; parts the YAML has and the document lacks are
    kept unless --remove-missing. Files are written all or none.

    \b
    Examples:
      reportgen import build/2017-T1/08.docx
      reportgen import 06-kultur.docx --area 06 --period 2017-T1
      reportgen import tertialrapport-2017-1.docx --period 2017-T1 --yes
      reportgen import regnskap-april.xlsx --period 2017-T1
    """
    from reportgen.cli.importing import import_document, import_ledger
    from reportgen.commands.importer import LEDGER_SUFFIXES

    if file.suffix.lower() in LEDGER_SUFFIXES:
        if period is None:
            raise click.UsageError("a ledger export needs --period, such as --period 2017-T1")
        if area is not None or remove_missing:
            raise click.UsageError("--area and --remove-missing are for a document (.docx)")
        import_ledger(file, inputs, period, yes)
    else:
        import_document(file, inputs, templates or default_templates(), period, area,
                        remove_missing, out, yes)


class _Plain:
    """Progress as plain lines (not a terminal, or Rich unwanted); silent with --quiet."""

    def __init__(self, quiet: bool) -> None:
        self.quiet, self.total, self.done = quiet, 0, 0

    def start(self, total: int) -> None:
        self.total = total

    def rendered(self, name: str) -> None:
        self.done += 1
        if not self.quiet:
            echo(f"rendered {name} ({self.done}/{self.total})", err=True)

    def note(self, message: str) -> None:
        if not self.quiet:
            echo(message, err=True)

    def stop(self) -> None:
        pass


class _Bar(_Plain):
    """A Rich progress bar on a terminal."""

    def __init__(self) -> None:
        super().__init__(quiet=False)
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.console = Console(stderr=True)
        self.bar = Progress(TextColumn("rendering"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.description}"), console=self.console, transient=True)
        self.task: Any = None

    def start(self, total: int) -> None:
        self.bar.start()
        self.task = self.bar.add_task("", total=total)

    def rendered(self, name: str) -> None:
        if self.task is not None:
            self.bar.update(self.task, advance=1, description=name)

    def note(self, message: str) -> None:
        self.console.print(message, markup=False, highlight=False)

    def stop(self) -> None:
        self.bar.stop()


def _progress(quiet: bool) -> _Plain:
    if not quiet and sys.stderr is not None and sys.stderr.isatty():
        return _Bar()
    return _Plain(quiet)


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


def _load_schema() -> None:
    """Build the input schema with Ctrl-C and SIGTERM held back until it is whole.

    pydantic builds its validators in code that cannot pass a KeyboardInterrupt on: a signal
    landing there is printed as "Exception ignored" and leaves a broken validator that reports
    wrong errors. Held back, the signal arrives right after, where it unwinds as usual.
    """
    held = {signal.SIGINT, signal.SIGTERM}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        import reportgen.model  # noqa: F401  (the import builds the validators)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _run(args: list[str], debug: bool) -> int:
    """The command's exit status; every problem printed (as far as stderr allows)."""
    try:
        args = choose_language(args)
        if args and not {"--help", "-h", "--version"} & set(args):
            _load_schema()
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
