"""`--lang nb|nn|en` anywhere on the command line, else the locale variables: the language of
reportgen's messages (reportgen.messages), chosen before anything is printed."""

from __future__ import annotations

import gettext
import os

from reportgen import messages
from reportgen.errors import UsageError
from reportgen.messages import _

OPTION = "--lang"


def choose_language(args: list[str]) -> list[str]:
    """Set the messages' language from `--lang X` / `--lang=X` or the environment; the
    arguments without the option. A language reportgen does not have is a usage error."""
    rest, wanted = _without_option(args)
    code = messages.language_from_environment() if wanted is None else wanted
    if code not in messages.LANGUAGES:
        raise UsageError(_("--lang {value!r}: reportgen's messages are in {choices}").format(
            value=code, choices=", ".join(messages.LANGUAGES)),
            hint=_("write --lang nb (bokmål), --lang nn (nynorsk) or --lang en (English)"))
    messages.use_language(code)
    # click's own messages ("Usage:", "Missing argument") come from gettext's global domain.
    os.environ["LANGUAGE"] = code
    gettext.bindtextdomain(messages.DOMAIN, str(messages.LOCALE_DIR))
    gettext.textdomain(messages.DOMAIN)
    return rest


def _without_option(args: list[str]) -> tuple[list[str], str | None]:
    rest: list[str] = []
    wanted: str | None = None
    items = iter(args)
    for arg in items:
        if arg == "--":
            rest += [arg, *items]
            break
        if arg == OPTION:
            wanted = next(items, "")
        elif arg.startswith(OPTION + "="):
            wanted = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    return rest, wanted
