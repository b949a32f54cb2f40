"""parse_decimal: amounts with currency, thousands separators and decimal commas."""

from __future__ import annotations

import re

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


@pytest.mark.parametrize("value", ["1e999999999", "1e-999999999", "-2.5E101"])
def test_an_exponent_beyond_any_target_type_is_unclear_not_written_out(run, value: str) -> None:
    ran = run("parse_decimal", [value])  # written out, the first would be a gigabyte of zeros
    assert ran.failed == [True]
    assert ran.reasons == [UNCLEAR]
    assert ran.out == [value]


@pytest.mark.parametrize(
    ("value", "expected"), [("1e100", "1" + "0" * 100), ("1e-100", "0." + "0" * 99 + "1")]
)
def test_an_exponent_at_the_limit_is_written_out(run, value: str, expected: str) -> None:
    ran = run("parse_decimal", [value])
    assert ran.failed == [False]
    assert ran.out == [expected]


SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2009\u200a\u2028\u2029\u202f\u205f"


def test_every_whitespace_python_knows_separates_thousands(run) -> None:
    """The patterns run in Arrow's RE2, whose \\s is narrower than Python's."""
    values = [f"1{space}250,5" for space in SPACES]
    ran = run("parse_decimal", values)
    assert ran.out == ["1250.5"] * len(values)


@pytest.mark.parametrize("code", ["RMB", "rmb", "Cny", "uSd", "HKD", "hkd", "h\u212ad", "u\u017fd"])
def test_currency_codes_in_any_case(run, code: str) -> None:
    """Without re's IGNORECASE; its case folding includes the Kelvin sign and long s."""
    ran = run("parse_decimal", [f"{code} 1,250.50", f"1250{code}"])
    assert ran.out == ["1250.5", "1250"]


def test_arrow_run_patterns_read_what_python_re_reads() -> None:
    """``_extract`` (Arrow) against pandas' own extract (Python's re) on awkward bodies."""
    from migrate.ops.numbers import _NUMBER, _NUMBER_OPTIONAL, _extract

    texts = ["(12)", "-3.5", "12-", "+1e5", "1e5-", "(1,2.3)", "", "abc", "1.2e", "((1))", "5"]
    values = pd.Series([*texts, None], dtype="str")
    arrow = _extract(values, _NUMBER, optional=_NUMBER_OPTIONAL)
    python = values.astype(object).str.extract(re.compile(_NUMBER))
    for name in arrow.columns:
        expected = python[name].where(python[name] != "")
        assert arrow[name].tolist() == expected.astype("str").tolist(), name
