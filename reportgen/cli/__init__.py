"""The command line: parse arguments, call a command (reportgen.commands), print, exit code.

No report logic lives here. Errors print as `file:line:column: error: what` with a hint line.
arguments.py parses and checks the values given; authoring.py prints what `check` and `new`
found; importing.py prints what `import` found and asks before writing.
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
from reportgen.cli.arguments import (
    PDF_VARIANTS,
    check_areas,
    folder_options,
    parse_area,
    parse_formats,
    parse_period,
)
from reportgen.cli.helptext import Group, option
from reportgen.cli.language import choose_language
from reportgen.errors import (
    ExitCode,
    ReportgenError,
    ReportgenErrors,
    UsageError,
    format_problem,
)
from reportgen.messages import LANGUAGES, N_, _
from reportgen.period import Period, parse_epoch
from reportgen.project import DEFAULT_INPUTS, DEFAULT_OUT, default_templates, display_path
from reportgen.render import DEFAULT_FORMATS, DEFAULT_PDF_VARIANT
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


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]},
             help=N_("Render a municipality's tertial report from YAML to DOCX, PDF and HTML."))
@click.version_option(__version__, "--version", prog_name="reportgen")
@option("--debug", is_flag=True,
        help=N_("Show tracebacks of internal errors (anywhere on the line)."))
@option("--lang", type=click.Choice(LANGUAGES), default=None,
        help=N_("The language of the messages: nb, nn or en (anywhere on the line)."
                " Default: from LANGUAGE, LC_ALL, LC_MESSAGES or LANG; English otherwise."))
def cli(debug: bool, lang: str | None) -> None:
    """The command line (its help is given above, in the user's language)."""


@cli.command(short_help=N_("Render areas (or `all` and the whole report) to DOCX, PDF and HTML."),
             help=N_(
    "Render AREA... (two-digit codes, or `all`) for PERIOD (such as 2017-T1).\n\n"
    "A final document never holds a placeholder (FYLL UT) or text that `reportgen new`\n"
    "copied and nobody reviewed: render refuses such an area, naming each place. --draft\n"
    "renders it anyway, marked UTKAST; `all --draft` renders the whole report from the areas\n"
    "that are ready and names those it leaves out."),
             examples=(("reportgen render 08 2017-T1", None),
                       ("reportgen render 01 08 2017-T1 --format docx,html", None),
                       ("reportgen render all 2017-T1        ",
                        N_("(every area and the whole report)")),
                       ("reportgen render all 2017-T1 --format site   ", N_("(the web site)")),
                       ("reportgen render all 2017-T2 --draft", None)))
@click.argument("areas", nargs=-1, required=True)
@click.argument("period", callback=parse_period)
@folder_options
@option("--out", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
        help=N_("Output folder; documents go to <OUT>/<PERIOD>/."))
@option("--format", "formats", default=",".join(DEFAULT_FORMATS), callback=parse_formats,
        show_default=True,
        help=N_("Comma-separated formats to write; `site` (with `all`): the report as a web"
                " site in <OUT>/<PERIOD>/nettsted/."))
@option("--force", is_flag=True, help=N_("Render even outputs whose sources have not changed."))
@option("--quiet", "-q", is_flag=True, help=N_("Print only errors."))
@option("--pdf-variant", default=DEFAULT_PDF_VARIANT, show_default=True,
        type=click.Choice(PDF_VARIANTS),
        help=N_("PDF flavour: PDF/A-2a is tagged, accessible and archival; `plain` is none."))
@option("--jobs", "-j", type=click.IntRange(min=1), default=None,
        help=N_("PDF worker processes [default: one per core; 1 renders in one process]."))
@option("--draft", is_flag=True,
        help=N_("Render unfinished areas too, every document marked UTKAST (the PDF then"
                " PDF/UA, never PDF/A); `all` leaves out the areas with errors."))
def render(areas: tuple[str, ...], period: Period, inputs: Path, templates: Path | None,
           out: Path, formats: tuple[str, ...], force: bool, quiet: bool,
           pdf_variant: str | None, jobs: int | None, draft: bool) -> None:
    """`reportgen render` (its help is given above, in the user's language)."""
    from reportgen.commands.render import Options, render_reports

    variant = None if pdf_variant == "plain" else pdf_variant
    options = Options(inputs, templates or default_templates(), out, formats, force, variant, jobs,
                      _source_date_epoch(), draft)
    progress = render_progress(quiet)
    try:
        outcome = render_reports(check_areas(areas), period, options, progress)
    finally:
        progress.stop()
    if not quiet:
        _print_rendered(outcome.written, outcome.unchanged)


@cli.command(
    short_help=N_("Validate the inputs area by area and print every problem; writes nothing."),
    help=N_(
        "Validate the inputs of PERIOD (default: every period in --inputs), or only of the\n"
        "AREA codes named after it, and the templates; print every problem, area by area, and a"
        "\nsummary line; writes nothing.\n\n"
        "Errors (exit 1) stop a render. Warnings do not: areas of the register with no input,\n"
        "empty sections, very long sentences, figures that do not add up, files under inputs/\n"
        "that are not read. Unfinished work (placeholders left by `reportgen new`, text it"
        " copied\nthat is not yet reviewed) is a warning here; `render` refuses it, `render"
        " --draft` does\nnot. --strict makes warnings fail too."),
    examples=(("reportgen check 2017-T2", None),
              ("reportgen check 2017-T2 08        ", N_("(only area 08)")),
              ("reportgen check 2017-T2 --quiet   ", N_("(the summary line alone)"))))
@click.argument("period", callback=parse_period, required=False)
@click.argument("areas", nargs=-1)
@folder_options
@option("--strict", is_flag=True, help=N_("Fail (exit 1) on warnings too, for CI."))
@option("--quiet", "-q", is_flag=True, help=N_("Print only the summary line."))
def check(period: Period | None, areas: tuple[str, ...], inputs: Path, templates: Path | None,
          strict: bool, quiet: bool) -> int:
    """`reportgen check` (its help is given above, in the user's language)."""
    from reportgen.commands.check import check_inputs, periods_with_input

    if areas and period is None:
        raise click.UsageError(_("name the period before the areas, such as: check 2017-T2 08"))
    from reportgen.cli.authoring import print_check

    failed = False
    for each in [period] if period else periods_with_input(inputs):
        found = check_inputs(each, inputs, templates or default_templates(), check_areas(areas))
        failed = print_check(found, quiet, strict) or failed
    return ExitCode.USER_ERROR if failed else ExitCode.OK


@cli.command(short_help=N_("One line per area: missing, errors, placeholders, ready, rendered …"),
             help=N_(
    "Show where PERIOD stands: one line per area of the register with its state (missing,\n"
    "errors, edited DOCX waiting for import, placeholders left, rendered and up to date,\n"
    "warnings, ready), its counts, its documents in --out and when its input last changed;\n"
    "then rapport.yaml and the whole report, and a summary. Writes nothing.\n\n"
    "\"Rendered, up to date\" means every format, rendered final (the default PDF variant)\n"
    "from the inputs as they are now. \"Edited DOCX\" means the area's DOCX in --out was\n"
    "changed after reportgen wrote it: bring the edits in with `reportgen import`."))
@click.argument("period", callback=parse_period)
@folder_options
@option("--out", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
        help=N_("Output folder whose documents are compared with the inputs."))
@option("--json", "as_json", is_flag=True, help=N_("Print JSON, for scripts."))
def status(period: Period, inputs: Path, templates: Path | None, out: Path,
           as_json: bool) -> None:
    """`reportgen status` (its help is given above, in the user's language)."""
    from reportgen.commands.status import as_json as json_text
    from reportgen.commands.status import period_status, table

    found = period_status(period, inputs, templates or default_templates(), out,
                          _source_date_epoch())
    for line in [json_text(found)] if as_json else table(found):
        echo(line)


@cli.command(name="new", short_help=N_("Start a period's input file from the previous period's."),
             help=N_(
    "Create inputs/PERIOD/AREA.yaml from the area's file of the previous period.\n\n"
    "Structure, sub-headings, Andre forhold and the figure rows' names carry over; Fakta,\n"
    "Vurdering, Konklusjon and the amounts are marked FYLL UT for you to fill in. The texts\n"
    "that carry over (the ingress, Investeringer, Andre forhold, tables) are kept under a\n"
    "line `# UTKAST: uendret fra <PERIOD>`: read them, change what no longer holds, then\n"
    "delete that line. `check` reports both until you do; `render` refuses them (`--draft`\n"
    "renders them). \"per april\" becomes \"per august\". `all` makes every area that has a"
    " file\nin the earlier period, and rapport.yaml the same way. An existing file is never\n"
    "overwritten."))
@click.argument("areas", nargs=-1, required=True)
@click.argument("period", callback=parse_period)
@option("--from", "source", callback=parse_period, default=None, metavar="PERIOD",
        help=N_("The period to start from [default: the tertial before PERIOD]."))
@option("--inputs", type=click.Path(path_type=Path), default=DEFAULT_INPUTS,
        show_default=True, help=N_("Folder with kommune.yaml and <PERIOD>/<AREA>.yaml."))
def new(areas: tuple[str, ...], period: Period, source: Period | None, inputs: Path) -> None:
    """`reportgen new` (its help is given above, in the user's language)."""
    from reportgen.cli.authoring import print_new
    from reportgen.commands.new import new_areas

    old, outcome = new_areas(check_areas(areas), period, source, inputs)
    print_new(period, old, outcome)


@cli.command(short_help=N_("Preview a period in the browser, reloading as the inputs change."),
             help=N_(
    "Serve the HTML of PERIOD's areas and whole report on http://127.0.0.1:PORT/ and\n"
    "reload the browser whenever an input or template is saved; writes nothing.\n\n"
    "Problems in the inputs show in the browser until they are fixed; here, each save\n"
    "prints only what changed: the problems that are new, and those that are fixed. The index"
    "\npage shows each area's state, as `reportgen status` does. Only this computer can\n"
    "connect. Ctrl-C stops."))
@click.argument("period", callback=parse_period)
@folder_options
@option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
        help=N_("Port on 127.0.0.1; 0 picks a free one."))
@option("--out", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
        help=N_("Output folder whose documents the index compares with the inputs."))
def serve(period: Period, inputs: Path, templates: Path | None, port: int, out: Path) -> None:
    """`reportgen serve` (its help is given above, in the user's language)."""
    from reportgen.commands.serve import serve as run

    run(period, inputs, templates or default_templates(), port, say=echo,
        log=lambda line: quietly(echo, line, err=True), epoch=_source_date_epoch(), out=out)


@cli.command(name="import",
             short_help=N_("Carry a DOCX (an area, or a whole report), or a ledger export's"
                           " amounts, into the YAML."),
             help=N_(
    "Read a DOCX into the input files so the next render gives its text: an area\n"
    "document reportgen rendered (and Word or LibreOffice saved), one written by hand, or a\n"
    "whole tertial report (an area file each, kommune.yaml's register, rapport.yaml). Or\n"
    "write an accounting export's amounts (.xlsx, .ods, .csv, with --period) into every\n"
    "area's figures.\n\n"
    "A document reportgen did not write is placed by --area and --period, or by its title\n"
    "(\"Programområde 06 …\") and the tertial its text names. Shows what cannot be carried"
    " over\nand the change to each file, then asks; parts the YAML has and the document lacks"
    " are\nkept unless --remove-missing. Files are written all or none."),
             examples=(("reportgen import build/2017-T1/08.docx", None),
                       ("reportgen import 06-kultur.docx --area 06 --period 2017-T1", None),
                       ("reportgen import tertialrapport-2017-1.docx --period 2017-T1 --yes",
                        None),
                       ("reportgen import regnskap-april.xlsx --period 2017-T1", None)))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False),
                metavar="FILE.docx|FILE.xlsx|FILE.csv")
@folder_options
@option("--period", callback=parse_period, default=None, metavar="PERIOD",
        help=N_("The period the file is for (such as 2017-T1): needed for a ledger"
                " export, and for a document that does not name its tertial."))
@option("--area", callback=parse_area, default=None, metavar="AREA",
        help=N_("The area a document made without reportgen is for (such as 06); with a"
                " whole report, import only this area."))
@option("--remove-missing", is_flag=True,
        help=N_("Remove what the YAML has and the document lacks (tall, investeringer, an"
                " Andre forhold item, a sub-heading, a chapter) instead of keeping it."))
@option("--out", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
        help=N_("Output folder whose manifest notes that an edited document was imported."))
@option("--yes", "-y", is_flag=True, help=N_("Write the YAML without asking."))
def import_(file: Path, inputs: Path, templates: Path | None, period: Period | None,
            area: str | None, remove_missing: bool, out: Path, yes: bool) -> None:
    """`reportgen import` (its help is given above, in the user's language)."""
    from reportgen.cli.importing import import_document, import_ledger
    from reportgen.commands.importer import LEDGER_SUFFIXES

    if file.suffix.lower() in LEDGER_SUFFIXES:
        if period is None:
            raise click.UsageError(_("a ledger export needs --period, such as --period 2017-T1"))
        if area is not None or remove_missing:
            raise click.UsageError(_("--area and --remove-missing are for a document (.docx)"))
        import_ledger(file, inputs, period, yes)
    else:
        import_document(file, inputs, templates or default_templates(), period, area,
                        remove_missing, out, yes)


def _print_rendered(written: list[Path], unchanged: list[Path]) -> None:
    """The files a render wrote, and those it found up to date."""
    for path in written:
        echo(_("wrote {file}").format(file=display_path(path)))
    if unchanged:
        folder = display_path(unchanged[0].parent)
        names = ", ".join(p.name for p in unchanged[:6])
        more = len(unchanged) - 6
        echo(_("up to date in {folder} (sources unchanged): {names} and {more} more").format(
            folder=folder, names=names, more=more) if more > 0 else
            _("up to date in {folder} (sources unchanged): {names}").format(
                folder=folder, names=names))
        if not written:
            echo(_("nothing rendered; add --force to render anyway"))


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
        raise UsageError(_("SOURCE_DATE_EPOCH: {problem}").format(problem=exc), hint=_(
            "set it to the seconds since 1970-01-01 UTC, as `date +%s` prints them, or unset it"
        )) from exc


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
        args = choose_language(args)
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
        quietly(echo, _("interrupted; earlier outputs are untouched"), err=True)
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
    quietly(echo, _("reportgen: internal error (a bug in reportgen, not in your files). Please"
                    " report it with the output of the same command run with --debug."),
            err=True)
    return ExitCode.INTERNAL
