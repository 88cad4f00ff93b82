"""A file written right is read without pydantic (reportgen.modelread), any other by pydantic
(reportgen.modelschema): where modelread reads a value, pydantic reads the same value, of the
same type, with the same JSON (the area fingerprint); and a render of valid inputs never
imports pydantic."""

from __future__ import annotations

import copy
import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import INPUTS, paths
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.model import AreaInput, Kommune, Model, ReportInput, to_json
from reportgen.modelread import read_model
from reportgen.modelschema import schema, validated
from reportgen.yamlsource import load_yaml

PERIOD = INPUTS / "2017-T1"
EXAMPLES: list[tuple[type[Model], Path]] = [
    (Kommune, INPUTS / "kommune.yaml"), (ReportInput, PERIOD / "rapport.yaml"),
    *((AreaInput, path) for path in sorted(PERIOD.glob("[0-9][0-9].yaml")))]


def _data(path: Path) -> Any:
    return load_yaml(path, root=INPUTS).data


def _same_as_pydantic(model: type[Model], data: Any) -> Model | None:
    """modelread's value, after checking it against pydantic's (None: modelread left it)."""
    fast = read_model(model, data)
    slow, errors = validated(model, data)
    if fast is not None:
        assert errors == []
        assert repr(fast) == repr(slow)  # the same values, of the same types
        dumped = schema(model).model_validate(data).model_dump_json(by_alias=True)
        assert to_json(fast) == dumped
    return fast


@pytest.mark.parametrize(("model", "path"), EXAMPLES, ids=lambda x: getattr(x, "name", ""))
def test_the_examples_are_read_without_pydantic_as_pydantic_reads_them(
        model: type[Model], path: Path) -> None:
    assert _same_as_pydantic(model, _data(path)) is not None


_ODD_VALUES = st.one_of(
    st.text(max_size=6), st.just(""), st.just(" "), st.just("\ud800"), st.just("a\nb"),
    st.just("07"), st.just("7"), st.just("2017-04-30"), st.just("2017-04-30 10:00"),
    st.integers(-10, 10), st.integers(10**14, 10**24), st.booleans(), st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True, places=None),
    st.sampled_from([Decimal("1.123456789"), Decimal("1E+20"), Decimal("1.10000000000"),
                     Decimal("123456789012345.12345678"), Decimal("-0"), Decimal("0E-12")]),
    st.dates(), st.datetimes(), st.just(b"bytes"),
    st.sampled_from(["mill. kr", "1000 kr", "kr", "nb", "nn", "søyle", "linje", "tekst", "beløp"]),
    st.lists(st.integers(0, 3), max_size=2), st.dictionaries(st.text(max_size=3), st.none(),
                                                             max_size=2),
)


def _changed(data: Any, path: tuple[Any, ...], how: str, new: Any) -> Any:
    data = copy.deepcopy(data)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if how == "replace":
        parent[last] = new
    elif how == "delete":
        del parent[last]
    elif isinstance(parent, dict):  # a key the model does not have, or one in another type
        parent[new if isinstance(new, (str, int, bool)) or new is None else "ukjent"] = 1
    return data


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(example=st.sampled_from(EXAMPLES), choice=st.data(), how=st.sampled_from(
    ["replace", "replace", "replace", "delete", "add"]), new=_ODD_VALUES)
def test_changed_examples_are_read_as_pydantic_reads_them_or_left_to_it(
        example: tuple[type[Model], Path], choice: st.DataObject, how: str, new: Any) -> None:
    model, path = example
    data = _data(path)
    where = choice.draw(st.sampled_from(paths(data)[1:]))
    _same_as_pydantic(model, _changed(data, where, how, new))


@pytest.mark.parametrize(("value", "read"), [
    (Decimal("1.5"), True), (15, True), (1.5, True), ("1.5", False), (True, False),
    (float("inf"), False), (Decimal("1.123456789"), False), (dt.date(2017, 4, 30), False),
    (Decimal("1.0E+999999999"), False),
])
def test_an_amount_is_read_when_pydantic_would_keep_it_as_it_is(value: Any, read: bool) -> None:
    data = _data(PERIOD / "01.yaml")
    data["økonomisk_status"]["tall"]["rader"][0]["regnskap"] = value
    assert (_same_as_pydantic(AreaInput, data) is not None) == read


def test_a_render_of_valid_inputs_never_imports_pydantic(tmp_path: Path) -> None:
    code = ("import sys\nfrom reportgen.cli import main\n"
            "try:\n    main(['render', 'all', '2017-T1', '--format', 'docx,html', '--inputs',"
            f" {str(INPUTS)!r}, '--out', {str(tmp_path)!r}, '-q'])\n"
            "except SystemExit as exc:\n    assert exc.code == 0, exc.code\n"
            "assert 'pydantic' not in sys.modules, 'pydantic was imported'\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).parents[1])
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "2017-T1").glob("*.docx"))) == 15
