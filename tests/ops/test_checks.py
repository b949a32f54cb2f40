"""Check ops: values unchanged, failing rows marked with a reason."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pydantic
import pytest

from migrate.ops import get_op, parse_params

LONG = "x" * 100_000
NULLS = [None, np.nan, pd.NA]


def test_flag_duplicates(run) -> None:
    values = ["FG-000012", "FG-000013", "FG-000012", " FG-000012 ", "", "", *NULLS, None]
    ran = run("flag_duplicates", values)
    assert ran.failed == [True, False, True, True] + [False] * 6
    assert ran.reasons[0] == "value 'FG-000012' appears 3 times"
    assert ran.result.values is not None and ran.out == [
        "FG-000012",
        "FG-000013",
        "FG-000012",
        " FG-000012 ",
        "",
        "",
        None,
        None,
        None,
        None,
    ]


def test_flag_duplicates_mixed_types_long_and_non_bmp(run) -> None:
    values = [12, "12", 12.0, 3.5, LONG, LONG, "𠀀😀", "𠀀😀", "ＡＢ", "AB"]
    ran = run("flag_duplicates", values)
    assert ran.failed == [True, True, True, False, True, True, True, True, False, False]
    assert ran.reasons[4] == "value '" + "x" * 40 + "…' appears 2 times"
    assert ran.out[:3] == [12, "12", 12.0]


def test_flag_duplicates_ignore_case(run) -> None:
    assert run("flag_duplicates", ["Ab", "aB", "c"], ignore_case=True).failed == [True, True, False]
    assert run("flag_duplicates", ["Ab", "aB", "c"]).failed == [False, False, False]


def test_not_blank(run) -> None:
    ran = run("not_blank", ["a", "", "  ", "\u3000", *NULLS, 0, 0.0, LONG, "𠀀", "ＡＢ"])
    assert ran.failed == [
        False,
        True,
        True,
        True,
        True,
        True,
        True,
        False,
        False,
        False,
        False,
        False,
    ]
    assert ran.reasons[1] == "value is blank" and ran.reasons[4] == "value is missing"
    assert ran.out[-1] == "ＡＢ" and ran.out[7] == 0


def test_matches(run) -> None:
    values = ["FG-000012", "fg-12", "", None, 12, 3.5, "𠀀", "ＦＧ-000012", LONG]
    ran = run("matches", values, pattern=r"[A-Z]{2}-\d{6}")
    assert ran.failed == [False, True, False, False, True, True, True, True, True]
    assert ran.reasons[1] == r"does not match the pattern [A-Z]{2}-\d{6}"
    assert ran.out[4] == 12


def test_matches_anywhere_and_unicode_classes(run) -> None:
    ran = run("matches", ["abc北京", "北京", "x"], pattern=r"北京", full=False)
    assert ran.failed == [False, False, True]
    assert run("matches", ["北京", "𠀀", "😀"], pattern=r"\w+").failed == [False, False, True]


def test_matches_custom_message(run) -> None:
    ran = run("matches", ["x"], pattern="[0-9]+", message="Material group must be numeric")
    assert ran.reasons == ["Material group must be numeric"]


def test_in_set(run) -> None:
    values = ["FERT", " HALB ", "fert", "DIEN", "", *NULLS, 1, 1.0, "𠀀", "ＦＥＲＴ", LONG]
    ran = run("in_set", values, values=["FERT", "HALB", "ROH", 1])
    assert ran.failed == [
        False,
        False,
        True,
        True,
        False,
        False,
        False,
        False,
        False,
        False,
        True,
        True,
        True,
    ]
    assert ran.reasons[3] == "'DIEN' is not one of: FERT, HALB, ROH, 1"
    assert ran.out[1] == " HALB "


def test_in_set_ignore_case(run) -> None:
    assert run("in_set", ["fert", "Roh"], values=["FERT", "ROH"], ignore_case=True).failed == [
        False,
        False,
    ]


def test_in_set_rejects_yaml_booleans_and_empty_lists() -> None:
    op = get_op("in_set")
    with pytest.raises(pydantic.ValidationError, match="quote"):
        parse_params(op, {"values": ["Y", True]})
    with pytest.raises(pydantic.ValidationError):
        parse_params(op, {"values": []})


def test_max_length(run) -> None:
    values = ["abcd", "abcde", "", *NULLS, 123456, 1.25, "𠀀😀𠀀😀", "ＡＢＣＤＥ", LONG]
    ran = run("max_length", values, length=4)
    assert ran.failed == [False, True, False, False, False, False, True, False, False, True, True]
    assert ran.reasons[1] == "5 characters, more than the maximum of 4"
    assert ran.reasons[-1] == "100000 characters, more than the maximum of 4"
    assert ran.out[1] == "abcde" and ran.out[6] == 123456
