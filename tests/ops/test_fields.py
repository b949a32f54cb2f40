"""split and join: one field into several, several fields into one."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pydantic
import pytest

from migrate.ops import OpResult, get_op, parse_params

NASTY = [None, np.nan, pd.NA, "", "   ", 12, 3.5, "x" * 100_000, "𠀀😀", "ＡＢ，ＣＤ"]


def _split(values: list[Any], outputs: int, **args: Any) -> OpResult:
    op = get_op("split")
    column = pd.Series(values, dtype=object, index=range(10, 10 + len(values)))
    result = op.func(column, parse_params(op, args), column.to_frame("v"), outputs)
    assert len(result.parts) == outputs
    for part in (*result.parts, result.values):
        assert part.index.equals(column.index)
    return result


def _parts(result: OpResult) -> list[list[Any]]:
    return [[None if pd.isna(v) else v for v in part] for part in result.parts]


def _join(columns: dict[str, list[Any]], **args: Any) -> list[Any]:
    op = get_op("join")
    frame = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in columns.items()})
    frame.index = range(5, 5 + len(frame))
    result = op.func(frame, parse_params(op, args), frame)
    assert result.values.index.equals(frame.index)
    return [None if pd.isna(v) else v for v in result.values]


def test_split_at_a_separator_the_last_field_keeps_the_rest() -> None:
    result = _split(["北京, 朝阳区, 建国路88号", "上海,浦东", "广州", "a,b,c,d"], 3, separator=",")
    assert _parts(result) == [
        ["北京", "上海", "广州", "a"],
        ["朝阳区", "浦东", None, "b"],
        ["建国路88号", None, None, "c,d"],
    ]
    assert result.failed is not None and not result.failed.any()


def test_split_leaves_the_source_field_as_it_was() -> None:
    result = _split([" a , b "], 2, separator=",")
    assert result.values.tolist() == [" a , b "]
    assert _parts(_split([" a , b "], 2, separator=",", strip=False)) == [[" a "], [" b "]]


def test_split_require_all_fails_rows_with_too_few_parts() -> None:
    result = _split(["a-b", "a", None, ""], 2, separator="-", require_all=True)
    assert result.failed is not None
    assert result.failed.tolist() == [False, True, False, False]
    assert isinstance(result.reason, pd.Series)
    assert result.reason.iloc[1] == "has 1 parts, 2 expected"


def test_split_by_pattern_groups() -> None:
    pattern = r"^(.*?)\s*(\d{6})$"
    result = _split(["北京市朝阳区 100020", "no code here", None], 2, pattern=pattern)
    assert _parts(result) == [["北京市朝阳区", None, None], ["100020", None, None]]
    assert result.failed is not None and result.failed.tolist() == [False, True, False]
    assert isinstance(result.reason, pd.Series)
    assert "does not match the pattern" in str(result.reason.iloc[1])


def test_split_survives_nasty_values() -> None:
    result = _split(NASTY, 2, separator=",")
    parts = _parts(result)
    assert parts[0][:5] == [None] * 5 and parts[1][:5] == [None] * 5
    assert parts[0][5:7] == ["12", "3.5"]
    assert parts[0][7] == "x" * 100_000 and parts[0][8] == "𠀀😀"
    assert parts[0][9] == "ＡＢ，ＣＤ"  # a full-width comma is not the separator
    assert result.failed is not None and not result.failed.any()


def test_split_of_an_empty_column() -> None:
    result = _split([], 3, separator=",")
    assert all(len(part) == 0 for part in result.parts)


def test_split_params_need_exactly_one_way_and_a_matching_pattern() -> None:
    op = get_op("split")
    with pytest.raises(pydantic.ValidationError, match="exactly one"):
        parse_params(op, {})
    with pytest.raises(pydantic.ValidationError, match="exactly one"):
        parse_params(op, {"separator": ",", "pattern": "(a)"})
    with pytest.raises(pydantic.ValidationError, match="regular expression"):
        parse_params(op, {"pattern": "(a"})
    params = parse_params(op, {"pattern": "(a)(b)"})
    assert params.step_problem(["x"], ["p", "q"]) is None
    assert params.step_problem(["x"], ["p", "q", "r"]) == (
        "the pattern has 2 groups but 'into' lists 3 fields"
    )


def test_join_skips_missing_and_blank_parts() -> None:
    joined = _join(
        {
            "street": ["建国路88号", None, "  ", None],
            "city": ["北京", "上海", "广州", None],
            "zip": ["100020", "200000", "", ""],
        },
        separator=", ",
    )
    assert joined == ["建国路88号, 北京, 100020", "上海, 200000", "广州", None]


def test_join_keeps_blank_parts_when_asked() -> None:
    columns = {"a": ["x", None], "b": [None, None], "c": ["z", None]}
    joined = _join(columns, separator="|", skip_blank=False)
    assert joined == ["x||z", None]


def test_join_without_separator_and_mixed_types() -> None:
    joined = _join({"a": ["北京市", 12, 3.5], "b": ["朝阳区", 7.0, "𠀀"]}, separator="")
    assert joined == ["北京市朝阳区", "127", "3.5𠀀"]


def test_join_survives_nasty_values() -> None:
    joined = _join({"a": NASTY, "b": list(reversed(NASTY))}, separator=" ")
    long, wide = "x" * 100_000, "ＡＢ，ＣＤ"
    assert joined == [wide, "𠀀😀", long, "3.5", "12", "12", "3.5", long, "𠀀😀", wide]
    assert _join({"a": [], "b": []}) == []


def test_split_and_join_say_their_shape() -> None:
    assert get_op("split").shape == "split" and get_op("join").shape == "join"
    assert get_op("split").can_fail and not get_op("join").can_fail
