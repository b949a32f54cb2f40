"""parse_decimal: amounts with currency, thousands separators and decimal commas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pydantic
import pytest

from migrate.ops import get_op, parse_params

LONG = "1" * 100_000
NULLS = [None, np.nan, pd.NA]
UNCLEAR = "unclear number format (check thousands/decimal separators)"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1,250.50", "1250.5"),
        ("1.250,5", "1250.5"),
        ("1.250,50", "1250.5"),
        ("¥1,250", "1250"),
        ("￥1,250.00", "1250"),
        ("RMB 1 250.00", "1250"),
        ("rmb1250", "1250"),
        ("$ 12.5", "12.5"),
        ("€ 12,5", "12.5"),
        ("1,250", "1250"),
        ("1.250", "1.25"),
        ("1.250.000", "1250000"),
        ("1,25,000", "125000"),
        ("12,345,678.9", "12345678.9"),
        ("1.250.000,75", "1250000.75"),
        ("-5", "-5"),
        ("+3", "3"),
        ("5-", "-5"),
        ("(12)", "-12"),
        ("-¥1,250.50", "-1250.5"),
        (".5", "0.5"),
        ("5.", "5"),
        ("007", "7"),
        ("0.000", "0"),
        ("-0", "0"),
        ("1 250,5", "1250.5"),
        ("1'250.5", "1250.5"),
        ("１，２５０．５", "1250.5"),
        ("￥１２３", "123"),
        ("1250元", "1250"),
        ("1e+20", "100000000000000000000"),
        ("1.5E3", "1500"),
        ("1e-05", "0.00001"),
        (1250, "1250"),
        (1250.5, "1250.5"),
        (7.0, "7"),
        (1e20, "100000000000000000000"),
        (LONG, LONG),
    ],
)
def test_parse_decimal_auto(run, value: object, expected: str) -> None:
    ran = run("parse_decimal", [value])
    assert ran.out == [expected]
    assert ran.failed == [False]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("abc", "not a number"),
        ("12%", "not a number"),
        ("--3", "not a number"),
        ("(12", "not a number"),
        ("-5-", "not a number"),
        ("1 2 3 a", "not a number"),
        ("𠀀😀", "not a number"),
        ("x" * 100_000, "not a number"),
        ("1.2.3", UNCLEAR),
        ("1,250,5", UNCLEAR),
        ("1,5000", UNCLEAR),
        ("1.250,000", UNCLEAR),
        ("12,3456", UNCLEAR),
    ],
)
def test_parse_decimal_failures(run, value: str, reason: str) -> None:
    ran = run("parse_decimal", [value])
    assert ran.failed == [True]
    assert ran.reasons == [reason]
    assert ran.out == [value]


def test_parse_decimal_explicit_decimal_point(run) -> None:
    ran = run("parse_decimal", ["1,250.5", "1.250", "1.250,5", "12,5"], decimal=".")
    assert ran.out == ["1250.5", "1.25", "1.250,5", "12,5"]
    assert ran.failed == [False, False, True, True]


def test_parse_decimal_explicit_decimal_comma(run) -> None:
    ran = run("parse_decimal", ["1.250,5", "1.250", "1,250", "1,250.5", "1.234.567"], decimal=",")
    assert ran.out == ["1250.5", "1250", "1.25", "1,250.5", "1234567"]
    assert ran.failed == [False, False, False, True, False]


def test_parse_decimal_missing(run) -> None:
    ran = run("parse_decimal", ["", "  ", "¥", *NULLS])
    assert ran.out == [None] * 6
    assert ran.failed == [False] * 6


def test_parse_decimal_float_column(run) -> None:
    ran = run("parse_decimal", pd.Series([1.0, 2.5, np.nan, -0.1]))
    assert ran.out == ["1", "2.5", None, "-0.1"]


def test_parse_decimal_unknown_mode() -> None:
    with pytest.raises(pydantic.ValidationError):
        parse_params(get_op("parse_decimal"), {"decimal": ";"})


@pytest.mark.parametrize("mode", [".", ",", "auto"])
def test_plain_numbers_take_the_short_way_to_the_same_result(mode: str) -> None:
    from migrate.ops.numbers import _parse_general, _parse_unique

    texts = ["781.32", "6.0", "007", "-0.0", "-0.50", "1,250.5", "¥12", "abc", "1.250", "0"]
    texts += ["10", "-12.300", "(5)", "", "1e3", "0.000", "12.", ".5", "--1"]
    texts += ["4,291.23", "731,163.75", "-1,250", "12,345,678.90", "1,23", "1,2345", ",123"]
    values = pd.Series(texts, dtype="str")
    fast, full = _parse_unique(values, mode), _parse_general(values, mode)
    pd.testing.assert_series_equal(fast.values, full.values, check_dtype=False)
    assert fast.failed.tolist() == full.failed.tolist()
    failed = full.failed.to_numpy(dtype=bool)
    assert fast.reason[failed].tolist() == full.reason[failed].tolist()
