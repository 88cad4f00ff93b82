"""The language of reportgen's own messages: bokmål, nynorsk or English (the fallback).

Every message and hint the user reads is written in English in the code, marked with `_()`
(a text with `{named}` fields filled by `.format` after translation), and translated from the
catalogs in reportgen/locale/<language>/LC_MESSAGES/reportgen.po (compiled to .mo beside them
by scripts/catalogs, which also extracts the texts with Babel). The language is chosen once
per run: `--lang`, else the usual locale variables, as GNU gettext reads them.

The language of the documents is another matter: kommune.yaml's `språk` (languages.py).
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "reportgen"
LOCALE_DIR = Path(__file__).parent / "locale"
CATALOG_LANGUAGES = ("nb", "nn")  # the languages with a catalog; English needs none
LANGUAGES = ("en", *CATALOG_LANGUAGES)  # the choices of --lang
ENGLISH = LANGUAGES[0]
# Locale names that stand for a language of ours ("no" is Norwegian, written as bokmål).
_ALIASES = {"nb": "nb", "no": "nb", "nn": "nn", "en": "en"}
_PLAIN = ("C", "POSIX")  # the locale without a language: messages in English

_current: gettext.NullTranslations = gettext.NullTranslations()
_language = ENGLISH


def _(message: str) -> str:
    """`message` in the chosen language (unchanged in English or when not translated)."""
    return _current.gettext(message) if message else message


def N_(message: str) -> str:  # noqa: N802 (gettext's name for it)
    """`message` as it is: marks a text for the catalogs where it is stored before the
    language is chosen (the command line's help); `_()` translates it where it is shown."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count`, in the chosen language."""
    return _current.ngettext(singular, plural, count)


def language() -> str:
    """The language messages are in now: "en", "nb" or "nn"."""
    return _language


def use_language(code: str) -> None:
    """Show messages in `code` ("en", "nb" or "nn") from now on."""
    global _current, _language
    if code == ENGLISH:
        _current, _language = gettext.NullTranslations(), ENGLISH
        return
    _current = gettext.translation(DOMAIN, LOCALE_DIR, languages=[code])
    _language = code


def language_of(name: str) -> str | None:
    """Our language for a locale name such as "nb_NO.UTF-8", "nn", "no_NO" or "en_GB";
    None for a language without a catalog (its speakers get the next choice)."""
    base = name.split(".", 1)[0].split("@", 1)[0].replace("-", "_").split("_", 1)[0].lower()
    return _ALIASES.get(base)


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The messages' language from LANGUAGE, LC_ALL, LC_MESSAGES and LANG, as gettext reads
    them: the first of LC_ALL, LC_MESSAGES, LANG that is set is the locale; when it is C or
    POSIX, English; otherwise LANGUAGE's list (a:b:c) comes first, then the locale itself."""
    env = os.environ if environ is None else environ
    locale = next((env[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(k)), "")
    if locale in _PLAIN:
        return ENGLISH
    wanted = [*env.get("LANGUAGE", "").split(":"), locale]
    return next((found for name in wanted if name and (found := language_of(name))), ENGLISH)
