"""Text ops: whitespace, case, control characters, full-width forms, regexes, padding."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pydantic
import pytest

from migrate.ops import get_op, parse_params

LONG = "x" * 100_000
NULLS = [None, np.nan, pd.NA]


def test_trim(run) -> None:
    ran = run("trim", ["  a b  ", "\u3000全角\u3000", "\xa0nbsp\t", "", "   ", *NULLS])
    assert ran.out == ["a b", "全角", "nbsp", "", "", None, None, None]


def test_trim_mixed_long_non_bmp(run) -> None:
    ran = run("trim", [12, 3.5, 7.0, f" {LONG} ", " 𠀀😀 ", "ＡＢＣ "])
    assert ran.out == ["12", "3.5", "7", LONG, "𠀀😀", "ＡＢＣ"]


def test_trim_keeps_str_column_dtype(run) -> None:
    ran = run("trim", pd.Series([" a ", None], dtype="str"))
    assert ran.result.values.dtype == "str"
    assert ran.out == ["a", None]


def test_collapse_whitespace(run) -> None:
    ran = run("collapse_whitespace", [" a \t\n b ", "x\u3000\u3000y", "", None, 5, "𠀀  😀"])
    assert ran.out == ["a b", "x y", "", None, "5", "𠀀 😀"]
    assert run("collapse_whitespace", [f"{LONG}   {LONG}"]).out == [f"{LONG} {LONG}"]


def test_upper_lower(run) -> None:
    values = ["Straße", "ｂｅｉｊｉｎｇ", "北京abc", "", None, 12, 1.5, "𠀀é😀"]
    assert run("upper", values).out == [
        "STRAẞE",
        "ＢＥＩＪＩＮＧ",
        "北京ABC",
        "",
        None,
        "12",
        "1.5",
        "𠀀É😀",
    ]
    assert run("lower", ["ÄBC", "ＡＢＣ", "", pd.NA, 3, "𠀀X"]).out == [
        "äbc",
        "ａｂｃ",
        "",
        None,
        "3",
        "𠀀x",
    ]
    assert run("upper", [LONG]).out == [LONG.upper()]


def test_remove_control(run) -> None:
    values = ["a\x00b\x1fc\x7f", "zero\u200bwidth\u200c\u200d\ufeff\u2060", "line\r\nbreak\ttab"]
    ran = run("remove_control", [*values, "", None, 7, "𠀀\x01😀", "ＡＢ\x02", LONG + "\x00"])
    assert ran.out == [
        "abc",
        "zerowidth",
        "line break tab",
        "",
        None,
        "7",
        "𠀀😀",
        "ＡＢ",
        LONG,
    ]


def test_remove_control_can_keep_newlines(run) -> None:
    ran = run("remove_control", ["a\nb\tc\x00"], keep_newlines=True)
    assert ran.out == ["a\nb\tc"]


def test_fullwidth_to_halfwidth_is_targeted(run) -> None:
    values = [
        "ＡＢＣ１２３",
        "１２．５％",
        "Ｔｅｌ：０１０，北京。",
        "\u3000x",
        "（北京）",
        "ｶﾀｶﾅ",
        "①",
    ]
    ran = run("fullwidth_to_halfwidth", [*values, "", None, 12, "𠀀😀"])
    assert ran.out == [
        "ABC123",
        "12.5%",
        "Tel：010，北京。",
        " x",
        "（北京）",
        "ｶﾀｶﾅ",
        "①",
        "",
        None,
        "12",
        "𠀀😀",
    ]


def test_fullwidth_to_halfwidth_punctuation(run) -> None:
    values = ["（北京）有限公司，地址：", "【注意】；是！？", "“引号”、《书名》。"]
    ran = run("fullwidth_to_halfwidth", values, punctuation=True)
    assert ran.out == ["(北京)有限公司,地址:", "[注意];是!?", '"引号",<书名>.']
    assert run("fullwidth_to_halfwidth", ["Ａ" * 100_000]).out == ["A" * 100_000]


def test_regex_replace(run) -> None:
    ran = run(
        "regex_replace",
        ["TEL: 010-1234", "no digits", "", None, 12345, "𠀀12😀", "１２"],
        pattern=r"(\d+)-(\d+)",
        replacement=r"\1\2",
    )
    assert ran.out == ["TEL: 0101234", "no digits", "", None, "12345", "𠀀12😀", "１２"]


def test_regex_replace_uses_python_regex_semantics(run) -> None:
    ran = run("regex_replace", ["价格 100 元", "a1"], pattern=r"(?<=\s)\w+(?=\s)", replacement="#")
    assert ran.out == ["价格 # 元", "a1"]
    assert run("regex_replace", [LONG], pattern="x+", replacement="y").out == ["y"]


@pytest.mark.parametrize("replacement", [r"\2", r"\g<name>", "\\"])
def test_regex_replace_rejects_bad_replacement(replacement: str) -> None:
    with pytest.raises(pydantic.ValidationError, match="replacement"):
        parse_params(get_op("regex_replace"), {"pattern": "(a)", "replacement": replacement})


def test_regex_extract(run) -> None:
    values = ["Order No. 4711", "none here", "", None, 4711, 12.5, "𠀀#99😀", "No. １２"]
    ran = run("regex_extract", values, pattern=r"(\d+)")
    assert ran.out == ["4711", None, None, None, "4711", "12", "99", "１２"]
    assert ran.failed == [False] * len(values)


def test_regex_extract_required_fails_without_match(run) -> None:
    values = ["MAT-12", "nothing", "", None, LONG]
    ran = run("regex_extract", values, pattern=r"MAT-([0-9]+)", required=True)
    assert ran.out == ["12", "nothing", "", None, LONG]
    assert ran.failed == [False, True, True, False, True]
    assert ran.reasons[1] == "no match for pattern MAT-([0-9]+)"


def test_regex_extract_needs_exactly_one_group() -> None:
    with pytest.raises(pydantic.ValidationError, match="exactly one capturing group"):
        parse_params(get_op("regex_extract"), {"pattern": r"(\d)(\d)"})
    with pytest.raises(pydantic.ValidationError, match="exactly one capturing group"):
        parse_params(get_op("regex_extract"), {"pattern": r"\d+"})


def test_pad_zeros(run) -> None:
    ran = run("pad_zeros", ["12", "123456", "1234567", "", None, 12, 7.0, "𠀀", "１２"], width=6)
    assert ran.out == [
        "000012",
        "123456",
        "1234567",
        "",
        None,
        "000012",
        "000007",
        "00000𠀀",
        "0000１２",
    ]
    assert run("pad_zeros", [LONG], width=6).out == [LONG]


def test_strip_zeros(run) -> None:
    ran = run("strip_zeros", ["000123", "000", "0", "100", "", None, 12, 0, "0𠀀", "０１"])
    assert ran.out == ["123", "0", "0", "100", "", None, "12", "0", "𠀀", "０１"]
    assert run("strip_zeros", ["0" * 100_000 + "7"]).out == ["7"]


def test_truncate_reports_cut_rows(run) -> None:
    values = ["abcdef", "abc", "", None, 1234567, 1.5, "𠀀😀𠀀😀", "ＡＢＣＤＥＦ", LONG]
    ran = run("truncate", values, length=4)
    assert ran.out == ["abcd", "abc", "", None, "1234", "1.5", "𠀀😀𠀀😀", "ＡＢＣＤ", "xxxx"]
    assert ran.failed == [True, False, False, False, True, False, False, True, True]
    assert ran.reasons[0] == "cut from 6 to 4 characters"
    assert ran.reasons[-1] == "cut from 100000 to 4 characters"


def test_default_fills_missing_and_blank(run) -> None:
    values = ["keep", "", "   ", None, np.nan, pd.NA, 0, 2.5, "𠀀", "\u3000", LONG]
    ran = run("default", values, value="N/A")
    assert ran.out == ["keep", "N/A", "N/A", "N/A", "N/A", "N/A", "0", "2.5", "𠀀", "N/A", LONG]


def test_default_value_from_yaml_scalars(run) -> None:
    assert run("default", [None], value=0).out == ["0"]
    assert run("default", [None], value=False).out == ["false"]
