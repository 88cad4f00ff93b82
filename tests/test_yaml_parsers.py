"""The inputs are read by libyaml's parser when PyYAML has it, and by PyYAML's own parser
otherwise or when libyaml cannot read a file: both give the same values, positions and
texts, and every message is the one PyYAML's parser gives."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from helpers import INPUTS
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.errors import InputError
from reportgen.yamlsource import SourceFile, parse_yaml

EXAMPLES = sorted(INPUTS.rglob("*.yaml"))
pytestmark = pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML without libyaml")


def _fields(source: SourceFile) -> tuple[Any, ...]:
    return source.data, source.value_marks, source.key_marks, source.scalar_texts


def _python_only(text: str) -> SourceFile | str:
    """The file as PyYAML's own parser reads it (or its message)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delattr(yaml, "CSafeLoader")
        return _read(text)


def _read(text: str) -> SourceFile | str:
    try:
        return parse_yaml(text, "x.yaml")
    except InputError as exc:
        return f"{exc.location}: {exc}"


class _Refused(yaml.SafeLoader):
    def __init__(self, text: str) -> None:
        raise AssertionError("PyYAML's parser was used for a file libyaml reads")


def test_the_examples_are_read_by_libyaml_as_pyyaml_reads_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(EXAMPLES) >= 14
    for path in EXAMPLES:
        text = path.read_text(encoding="utf-8")
        slow = _python_only(text)
        with monkeypatch.context() as patch:
            patch.setattr(yaml, "SafeLoader", _Refused)
            fast = _read(text)
        assert isinstance(fast, SourceFile) and isinstance(slow, SourceFile), path
        assert _fields(fast) == _fields(slow), path


@pytest.mark.parametrize("text", [
    "tittel: Oppvekst\ningress:\tTekst\n",  # a tab: libyaml takes it, PyYAML does not
    "tittel: Oppvekst\ningress Tekst\nandre: x\n",  # a missing colon
    "tittel: a\ntittel: b\n",  # a duplicate key (the walker's message)
    "tittel: \"open quote\n",
    "a: " + "[" * 1200 + "]" * 1200 + "\n",  # deeper than libyaml's 1000 levels
    "a: " + "[" * 30 + "]" * 30 + "\n",  # deeper than the walker's 20
    "dato: 2017-02-30\n",
    "x: !!python/object:os.system ls\n",
])
def test_messages_are_pyyaml_parsers(text: str) -> None:
    message = _read(text)
    assert isinstance(message, str), "the broken file was read"
    assert message == _python_only(text)


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30)
_VALUES = st.recursive(
    st.one_of(_TEXT, st.integers(), st.floats(allow_nan=False, allow_infinity=False),
              st.booleans(), st.none()),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(_TEXT, inner, max_size=4)),
    max_leaves=15)


@settings(max_examples=150, deadline=None)
@given(value=_VALUES, flow=st.booleans())
def test_written_yaml_is_read_the_same_by_both(value: Any, flow: bool) -> None:
    text = yaml.safe_dump({"verdi": value}, allow_unicode=True, default_flow_style=flow)
    slow = _python_only(text)
    fast = _read(text)
    if isinstance(slow, SourceFile):
        assert isinstance(fast, SourceFile) and _fields(fast) == _fields(slow)
    else:
        assert fast == slow
