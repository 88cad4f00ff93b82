"""Value types for the command line and the model: tertial periods, area codes and the
SOURCE_DATE_EPOCH that dates the documents.

Standard library, languages and messages only, so the command line can parse arguments
without loading the model.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from reportgen.languages import DEFAULT_LANGUAGE, language, month_name
from reportgen.messages import _

# [0-9], not \d: \d also matches other scripts' digits (٠٨), which no file name or register uses.
AREA_CODE = re.compile(r"[0-9]{2}")
PERIOD_FORM = re.compile(r"([0-9]{4})-[Tt]([123])")  # 2017-t2 is 2017-T2
PERIOD_ENDS = {1: (4, 30), 2: (8, 31), 3: (12, 31)}  # tertial: (month, day) it ends on
LATEST_EPOCH = 253_402_300_799  # 9999-12-31 23:59:59 UTC, the last second a date can hold


def parse_epoch(text: str) -> int:
    """A SOURCE_DATE_EPOCH: whole seconds since 1970-01-01 00:00 UTC, ASCII digits only (as
    `date +%s` prints them), up to the year 9999. ValueError says what is wrong."""
    if not (text.isascii() and text.isdigit()):
        raise ValueError(_("{text!r} is not a whole number of seconds").format(text=text[:40]))
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(LATEST_EPOCH)) or int(digits) > LATEST_EPOCH:
        raise ValueError(_("{text} seconds is after the year 9999").format(text=text[:40]))
    return int(digits)


@dataclass(frozen=True, order=True)
class Period:
    """A tertial: `2017-T1` is January–April 2017."""

    year: int
    tertial: int

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse `YYYY-T1`..`YYYY-T3` (the T in either case); ValueError names the accepted
        form."""
        match = PERIOD_FORM.fullmatch(text)
        if not match or int(match.group(1)) < 1:  # a date has no year 0
            raise ValueError(_("{text!r} is not a period; write YEAR-T1, YEAR-T2 or YEAR-T3,"
                               " such as 2017-T1").format(text=text))
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.year:04d}-T{self.tertial}"  # as parsed: 0999-T1 stays 0999-T1

    @property
    def label(self) -> str:
        """'1. tertial 2017'."""
        return self.label_in(DEFAULT_LANGUAGE)

    def label_in(self, lang: str) -> str:
        """The period's name in a language of the languages table."""
        return language(lang).period_label.format(tertial=self.tertial, year=self.year)

    @property
    def month(self) -> str:
        """The month the tertial ends in, lower case: 'april'."""
        return self.month_in(DEFAULT_LANGUAGE)

    def month_in(self, lang: str) -> str:
        """The month the tertial ends in, in a language of the languages table."""
        return month_name(PERIOD_ENDS[self.tertial][0], lang)

    @property
    def end(self) -> dt.date:
        """The last day of the tertial."""
        month, day = PERIOD_ENDS[self.tertial]
        return dt.date(self.year, month, day)

    def previous(self) -> Period:
        """The tertial before this one."""
        if self.tertial == 1:
            return Period(self.year - 1, 3)
        return Period(self.year, self.tertial - 1)
