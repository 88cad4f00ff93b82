"""PDF/UA repairs of WeasyPrint's tagging, made in its finisher hook."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def finisher(variant: str | None) -> Callable[[Any, Any], None]:
    """The function WeasyPrint calls with the document and its PDF objects before writing."""
    def finish(document: Any, pdf: Any) -> None:
        return None

    return finish
