"""The message catalogs: extract reportgen's messages with Babel, update the bokmål and nynorsk
catalogs, compile them.

    python scripts/catalogs.py update    # new messages added (untranslated), gone ones dropped
    python scripts/catalogs.py compile   # reportgen/locale/<lang>/LC_MESSAGES/reportgen.mo

A message is a text in `_()` or `N_()` (or the first two arguments of `ngettext()`) in
reportgen/. The
.po files are the translators' files; the .mo files are compiled from them and committed, so
that an installed reportgen needs nothing more. tests/test_messages.py checks that every
message is translated in both catalogs with the same {fields}, and that the .mo files are the
compiled .po files.
"""

from __future__ import annotations

import datetime
import io
import sys
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "reportgen"
sys.path.insert(0, str(ROOT))

from reportgen.messages import CATALOG_LANGUAGES, DOMAIN, LOCALE_DIR  # noqa: E402

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
CLICK_MODULES = ("core.py", "exceptions.py", "parser.py", "formatting.py", "decorators.py",
                 "types.py")
EPOCH = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def extract() -> Catalog:
    """Every message of the code, with where it is used; and click's own messages (usage
    errors, --help), which click looks up in the same catalog (reportgen.cli.language)."""
    template = Catalog(project="reportgen", domain=DOMAIN)
    for filename, line, message, comments, context in extract_from_dir(
            str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
        template.add(message, None, [(f"reportgen/{filename}", line)],
                     auto_comments=comments, context=context)
    for name in CLICK_MODULES:  # without line numbers: they change with click's version
        path = Path(click.__file__).parent / name
        for _line, message, _comments, context in extract_from_file(
                "python", str(path), keywords=KEYWORDS):
            if message not in template:
                template.add(message, None, [(f"click/{name}", None)], context=context)
    return template


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(language: str) -> Catalog:
    """A language's catalog as it is on disk (an empty one when there is none yet)."""
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, project="reportgen", domain=DOMAIN)
    with path.open("rb") as file:
        return read_po(file, locale=language, domain=DOMAIN)


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False, ignore_obsolete=True,
             include_previous=False, sort_output=False)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    """The compiled catalog (translated messages only; fuzzy ones are left out)."""
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def update() -> None:
    template = extract()
    for language in CATALOG_LANGUAGES:
        catalog = read(language)
        catalog.update(template, no_fuzzy_matching=True)
        _header(catalog)
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(po_bytes(catalog))
        missing = [m.id for m in catalog if m.id and not m.string]
        print(f"{path.relative_to(ROOT)}: {len(catalog)} messages, {len(missing)} untranslated")


def _header(catalog: Catalog) -> None:
    """The catalog's header: who it is for, no clock (the files are reproducible)."""
    catalog.fuzzy = False
    catalog.header_comment = (f"# reportgen's messages in {catalog.locale.english_name}.\n"
                              "# Update with `python scripts/catalogs.py update`, translate,"
                              " then `python scripts/catalogs.py compile`.")
    catalog.project, catalog.version = "reportgen", ""
    catalog.copyright_holder = "the reportgen authors"
    catalog.msgid_bugs_address = catalog.last_translator = catalog.language_team = ""
    catalog.creation_date = catalog.revision_date = EPOCH


def compile_all() -> None:
    for language in CATALOG_LANGUAGES:
        path = po_path(language).with_suffix(".mo")
        path.write_bytes(mo_bytes(read(language)))
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    actions = {"update": update, "compile": compile_all}
    if len(sys.argv) != 2 or sys.argv[1] not in actions:
        sys.exit(f"usage: {sys.argv[0]} update|compile")
    actions[sys.argv[1]]()
