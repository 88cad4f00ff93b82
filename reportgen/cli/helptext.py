"""The command line's help (`--help`) in the messages' language. Part of the command line.

click keeps each command's and option's help from the moment the command line is defined,
on import, before `--lang` and the locale are read; the classes here look the text up in the
catalogs each time it is shown. The texts are marked with `N_()` where they are written. A
command's examples are kept apart from its text: the commands to type are never translated,
only the note after each.
"""

from __future__ import annotations

import functools
from typing import Any

import click

from reportgen.messages import _


def _translated(name: str) -> property:
    """An attribute (`help`, `short_help`) kept as written and read in the user's language."""
    kept = f"_{name}_as_written"

    def read(self: Any) -> str | None:
        value = getattr(self, kept, None)
        return _(value) if value else value

    def write(self: Any, value: str | None) -> None:
        setattr(self, kept, value)

    return property(read, write)


class Command(click.Command):
    """A command whose help and short help follow the messages' language; its examples
    (`examples=`: each a command to type and a note, or None) follow its text."""

    help = _translated("help")  # type: ignore[assignment]
    short_help = _translated("short_help")  # type: ignore[assignment]

    def __init__(self, *args: Any, examples: tuple[tuple[str, str | None], ...] = (),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.examples = examples

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The text, then the examples as they are typed (click does not rewrap them)."""
        if not self.examples:
            super().format_help_text(ctx, formatter)
            return
        lines = ["  " + command + (_(note) if note else "") for command, note in self.examples]
        heading = _("Examples:")
        text = f"{self.help}\n\n\b\n{heading}\n" + "\n".join(lines)
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(text)


class Group(click.Group):
    """The command line's group: its help and its commands' follow the messages' language."""

    command_class = Command
    help = _translated("help")  # type: ignore[assignment]
    short_help = _translated("short_help")  # type: ignore[assignment]


class Option(click.Option):
    """An option whose help follows the messages' language."""

    help = _translated("help")  # type: ignore[assignment]


option = functools.partial(click.option, cls=Option)
