"""Shared helpers: reading cells as text, full-width folding, per-unique mapping."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd

from migrate.ops import OpResult
from migrate.ops._common import apply_unique, halfwidth, is_blank, preview, to_text


def test_to_text_object_column() -> None:
    values = [
        1,
        2.0,
        2.5,
        "x",
        None,
        np.nan,
        pd.NA,
        pd.NaT,
        Decimal("1E+2"),
        b"caf\xc3\xa9",
        dt.date(2023, 1, 5),
        pd.Timestamp("2023-01-05 10:00"),
        np.int64(7),
        1e20,
        "𠀀",
    ]
    assert to_text(pd.Series(values, dtype=object)).tolist()[:4] == ["1", "2", "2.5", "x"]
    text = to_text(pd.Series(values, dtype=object))
    assert text.isna().tolist()[4:8] == [True] * 4
    assert text.tolist()[8:] == [
        "100",
        "café",
        "2023-01-05",
        "2023-01-05 10:00:00",
        "7",
        "1e+20",
        "𠀀",
    ]
    assert text.dtype == "str"


def test_to_text_keeps_bools_and_ones_apart() -> None:
    text = to_text(pd.Series([1, True, 1.0, "1", False, 0, None], dtype=object))
    assert text.tolist()[:6] == ["1", "True", "1", "1", "False", "0"]


def test_to_text_typed_columns() -> None:
    assert to_text(pd.Series([1.0, np.nan, 2.5, -0.0])).tolist()[2:] == ["2.5", "0"]
    assert to_text(pd.Series([1, None], dtype="Int64")).isna().tolist() == [False, True]
    assert to_text(pd.Series([3, 4])).tolist() == ["3", "4"]
    assert to_text(pd.Series(["a", None], dtype="category")).tolist()[0] == "a"
    assert to_text(pd.Series([[1], [2]], dtype=object)).tolist() == ["[1]", "[2]"]


def test_halfwidth() -> None:
    text = pd.Series(["ＡＢＣ１２３", "，。（北京）", "plain", None], dtype="str")
    assert halfwidth(text).tolist()[:3] == ["ABC123", "，。（北京）", "plain"]
    assert halfwidth(text, punctuation=True).tolist()[:3] == ["ABC123", ",.(北京)", "plain"]


def test_is_blank_and_preview() -> None:
    text = pd.Series(["", " ", "\u3000", "a", None], dtype="str")
    assert is_blank(text).tolist() == [True, True, True, False, True]
    assert preview(pd.Series(["abc", "x" * 50], dtype="str"), width=5).tolist() == ["abc", "xxxxx…"]


def test_apply_unique_calls_once_per_value_and_survives_errors() -> None:
    calls: list[str] = []

    def shout(value: str) -> tuple[str | None, str | None]:
        calls.append(value)
        if value == "boom":
            raise RuntimeError("library choked")
        return value.upper(), ("no b allowed" if "b" in value else None)

    text = pd.Series(["a", "b", "a", None, "boom", "a"], dtype="str", index=[5, 5, 6, 7, 8, 9])
    result: OpResult = apply_unique(text, shout)
    assert sorted(calls) == ["a", "b", "boom"]
    assert result.values.tolist()[:3] == ["A", "b", "A"]
    assert result.failed is not None
    assert result.failed.tolist() == [False, True, False, False, True, False]
    assert isinstance(result.reason, pd.Series)
    assert result.reason.tolist()[1] == "no b allowed"
    assert result.reason.tolist()[4] == "could not be processed (RuntimeError)"
    assert list(result.values.index) == [5, 5, 6, 7, 8, 9]


def test_spaces_are_what_python_regex_calls_whitespace() -> None:
    import re
    import sys

    from migrate.ops._common import SPACES

    every = {chr(c) for c in range(sys.maxunicode + 1) if re.fullmatch(r"\s", chr(c))}
    assert set(SPACES) == every


def test_rewrite_touches_only_rows_with_the_pattern() -> None:
    from migrate.ops._common import char_class, rewrite

    text = pd.Series(["a\tb", "plain", None, "x\u3000y", "\x00"], dtype="str", index=[5] * 5)
    calls: list[list[str]] = []

    def upper(rows: pd.Series) -> pd.Series:
        calls.append(rows.tolist())
        return rows.str.upper()

    out = rewrite(text, char_class("\t\u3000\x00"), upper)
    assert calls == [["a\tb", "x\u3000y", "\x00"]]
    assert out.tolist()[:2] == ["A\tB", "plain"] and pd.isna(out.iloc[2])
    assert list(out.index) == [5] * 5
    assert rewrite(text, "zzz", upper) is text


def test_ascii_matrix_reads_fixed_width_values() -> None:
    import numpy as np
    import pytest

    from migrate.ops._common import ascii_matrix

    text = pd.Series(["xx", "ab", "cd", "ef"], dtype="str").iloc[1:]  # a sliced array
    assert ascii_matrix(text, 2).tolist() == [[97, 98], [99, 100], [101, 102]]
    assert ascii_matrix(pd.Series([], dtype="str"), 3).shape == (0, 3)
    with pytest.raises(ValueError, match="not all 2"):
        ascii_matrix(pd.Series(["abc", "d"], dtype="str"), 2)
    assert isinstance(ascii_matrix(text, 2), np.ndarray)
