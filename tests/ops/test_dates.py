"""parse_date: many written forms to ISO YYYY-MM-DD."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pydantic
import pytest

from migrate.ops import get_op, parse_params

LONG = "x" * 100_000
NULLS = [None, np.nan, pd.NA, pd.NaT]


@pytest.mark.parametrize(
    "value",
    [
        "2023/1/5",
        "2023-01-05",
        "2023.01.05",
        "05.01.2023",
        "5.1.2023",
        "20230105",
        "2023年1月5日",
        "2023年01月05号",
        "2023 年 1 月 5 日",
        "44931",
        "44931.75",
        44931,
        44931.0,
        "2023-01-05T10:30:00",
        "2023-01-05T10:30:00Z",
        "2023-01-05 10:30:00+08:00",
        "2023-01-05 10:30",
        "2023/1/5 9:05:33",
        "01/05/2023",
        "１/５/２０２３",
        "２０２３年１月５日",
        "２０２３－０１－０５",
        20230105,
        dt.date(2023, 1, 5),
        dt.datetime(2023, 1, 5, 23, 59),
        pd.Timestamp("2023-01-05 08:00"),
        pd.Timestamp("2023-01-05", tz="Asia/Shanghai"),
    ],
)
def test_parse_date_forms(run, value: object) -> None:
    ran = run("parse_date", [value])
    assert ran.out == ["2023-01-05"]
    assert ran.failed == [False]


def test_parse_date_slash_resolved_by_dayfirst(run) -> None:
    assert run("parse_date", ["03/04/2023", "03-04-2023"]).out == ["2023-03-04"] * 2
    assert run("parse_date", ["03/04/2023", "03-04-2023"], dayfirst=True).out == ["2023-04-03"] * 2


def test_parse_date_dotted_is_always_day_first(run) -> None:
    assert run("parse_date", ["03.04.2023"]).out == ["2023-04-03"]
    assert run("parse_date", ["03.04.2023"], dayfirst=False).out == ["2023-04-03"]


def test_parse_date_no_auto_swap(run) -> None:
    ran = run("parse_date", ["13/01/2023"])
    assert ran.failed == [True]
    assert ran.reasons == ["impossible date: there is no month 13"]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2019-02-30", "impossible date: 2019-02 has no day 30"),
        ("2023-02-29", "impossible date: 2023-02 has no day 29"),
        ("2023-13-01", "impossible date: there is no month 13"),
        ("2023-00-10", "impossible date: there is no month 0"),
        ("2023-04-31", "impossible date: 2023-04 has no day 31"),
        ("20231301", "impossible date: there is no month 13"),
        ("32.01.2023", "impossible date: 2023-01 has no day 32"),
        ("2023年2月30日", "impossible date: 2023-02 has no day 30"),
        ("00000000", "impossible date: there is no year 0"),
        ("2023-01-05 25:00", "not a recognisable date"),
        ("yesterday", "not a recognisable date"),
        ("2023/01", "not a recognisable date"),
        ("2023-1-5-6", "not a recognisable date"),
        ("2023-01/05", "not a recognisable date"),
        ("123456", "not a recognisable date"),
        ("60", "Excel serial 60 is 1900-02-29, which does not exist"),
        ("0", "Excel serial 0 is not a date"),
        ("2023", "a year only, no month or day"),
        (-5, "not a recognisable date"),
        ("𠀀😀", "not a recognisable date"),
        (LONG, "not a recognisable date"),
    ],
)
def test_parse_date_failures(run, value: object, reason: str) -> None:
    ran = run("parse_date", [value])
    assert ran.failed == [True]
    assert ran.reasons == [reason]
    assert ran.out == [value if isinstance(value, str) else str(value)]


def test_parse_date_leap_years_and_extremes(run) -> None:
    ran = run("parse_date", ["2024-02-29", "2000-02-29", "1900-02-28", "9999-12-31", "0001-01-01"])
    assert ran.out == ["2024-02-29", "2000-02-29", "1900-02-28", "9999-12-31", "0001-01-01"]
    assert run("parse_date", ["1900-02-29"]).failed == [True]


def test_parse_date_excel_serial_edges(run) -> None:
    ran = run("parse_date", [1, 59, 61, 3000, 99999, 999999])
    assert ran.out == [
        "1900-01-01",
        "1900-02-28",
        "1900-03-01",
        "1908-03-18",
        "2173-10-13",
        "999999",
    ]
    assert ran.failed == [False] * 5 + [True]


def test_parse_date_missing(run) -> None:
    ran = run("parse_date", ["", "  ", *NULLS])
    assert ran.out == [None] * 6
    assert ran.failed == [False] * 6


def test_parse_date_mixed_object_column(run) -> None:
    values = ["2023-01-05", 44931, 44931.5, dt.date(2023, 1, 6), None, "bad", 3.25]
    ran = run("parse_date", values)
    assert ran.out == [
        "2023-01-05",
        "2023-01-05",
        "2023-01-05",
        "2023-01-06",
        None,
        "bad",
        "1900-01-03",
    ]
    assert ran.failed == [False, False, False, False, False, True, False]


def test_parse_date_datetime_column(run) -> None:
    column = pd.Series(pd.to_datetime(["2023-01-05 10:00", None, "1999-12-31 00:00"]))
    ran = run("parse_date", column)
    assert ran.out == ["2023-01-05", None, "1999-12-31"]
    assert ran.failed == [False, False, False]


def test_parse_date_extra_formats_tried_first(run) -> None:
    values = ["5 Jan 2023", "05-Jan-23", "2023-01-05", "Jan 5th"]
    ran = run("parse_date", values, formats=["%d %b %Y", "%d-%b-%y"])
    assert ran.out == ["2023-01-05", "2023-01-05", "2023-01-05", "Jan 5th"]
    assert ran.failed == [False, False, False, True]


def test_parse_date_extra_format_overrides_builtin(run) -> None:
    assert run("parse_date", ["20230501"], formats=["%Y%d%m"]).out == ["2023-01-05"]


def test_parse_date_formats_must_be_usable() -> None:
    op = get_op("parse_date")
    with pytest.raises(pydantic.ValidationError, match="no % directive"):
        parse_params(op, {"formats": ["YYYY-MM-DD"]})
    with pytest.raises(pydantic.ValidationError):
        parse_params(op, {"formats": "%Y"})
    with pytest.raises(pydantic.ValidationError):
        parse_params(op, {"dayfirst": "perhaps"})


def test_parse_date_repeated_values_share_results(run) -> None:
    column = pd.Series(["2023/1/5", "2019-02-30"] * 500 + [None])
    ran = run("parse_date", column)
    assert ran.out[:2] == ["2023-01-05", "2019-02-30"] and ran.out[-1] is None
    assert sum(ran.failed) == 500


def test_ambiguous_dates_are_findings_when_asked(run) -> None:
    values = ["03/04/2023", "13/04/2023", "04/04/2023", "2023-03-04", "3-4-2023", None, "x"]
    ran = run("parse_date", values, ambiguous="flag")
    assert ran.out[:5] == ["2023-03-04", "13/04/2023", "2023-04-04", "2023-03-04", "2023-03-04"]
    assert ran.failed == [True, True, False, False, True, False, True]
    assert ran.reasons[0] == (
        "ambiguous date '03/04/2023': read as 2023-03-04 (month first); "
        "set dayfirst: true if it is the other way round"
    )
    assert ran.reasons[1] is not None and ran.reasons[1].startswith("impossible date")
    flipped = run("parse_date", ["03/04/2023", "13/04/2023"], ambiguous="flag", dayfirst=True)
    assert flipped.out == ["2023-04-03", "2023-04-13"] and flipped.failed == [True, False]
    assert "(day first); set dayfirst: false" in str(flipped.reasons[0])
    quiet = run("parse_date", ["03/04/2023"])
    assert quiet.out == ["2023-03-04"] and quiet.failed == [False]
