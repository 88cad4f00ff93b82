"""The languages of the documents, in one table: code -> Babel locale, BCP 47 tag, month names
and the wording of a period. Standard library only.

A new language for the documents is one row here plus its block in templates/labels.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Language:
    """One language the documents can be written in."""

    code: str  # as in kommune.yaml's `språk:` and labels.yaml's top-level keys
    name: str  # in the language itself, for messages
    babel_locale: str  # numbers and dates (Babel)
    tag: str  # BCP 47, for documents' metadata: lang="nb", w:lang="nb-NO", /Lang (nb-NO)
    months: tuple[str, ...]  # January to December, lower case
    period_label: str = "{tertial}. tertial {year}"  # '1. tertial 2017'
    search: str = ""  # the code the site's search (Pagefind) stems words by; "": none


_MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
           "september", "oktober", "november", "desember")

LANGUAGES: dict[str, Language] = {
    language.code: language for language in (
        # Pagefind's Norwegian (Snowball) stemmer takes both codes.
        Language("nb", "bokmål", "nb_NO", "nb-NO", _MONTHS, search="nb"),
        Language("nn", "nynorsk", "nn_NO", "nn-NO", _MONTHS, search="nn"),
    )
}
DEFAULT_LANGUAGE = "nb"
# The model's type for a language code, made from the table (pydantic lists the choices).
LanguageCode = Literal[tuple(LANGUAGES)]  # type: ignore[valid-type]


def language(code: str) -> Language:
    """The row of a language code (the default language for an unknown one)."""
    return LANGUAGES.get(code, LANGUAGES[DEFAULT_LANGUAGE])


def month_name(month: int, code: str = DEFAULT_LANGUAGE) -> str:
    """'april' for 4."""
    return language(code).months[month - 1]
