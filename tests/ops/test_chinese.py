"""Chinese ops: Traditional to Simplified, company-name keys, pinyin keys."""

from __future__ import annotations

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

LONG = "x" * 100_000
NULLS = [None, np.nan, pd.NA]


def test_to_simplified(run) -> None:
    values = ["北京恆通精密機械有限責任公司", "頭髮", "已是简体", "ABC", "", *NULLS, 12, 1.5]
    ran = run("to_simplified", values)
    assert ran.out == [
        "北京恒通精密机械有限责任公司",
        "头发",
        "已是简体",
        "ABC",
        "",
        None,
        None,
        None,
        "12",
        "1.5",
    ]


def test_to_simplified_long_non_bmp_fullwidth(run) -> None:
    ran = run("to_simplified", ["𠀀😀機", "ＡＢＣ機械", "機" * 100_000])
    assert ran.out == ["𠀀😀机", "ＡＢＣ机械", "机" * 100_000]


def test_to_simplified_maps_repeated_values_consistently(run) -> None:
    ran = run("to_simplified", ["機械", None, "機械", "機械"])
    assert ran.out == ["机械", None, "机械", "机械"]


def test_company_name_key_traditional_and_suffix_variants_meet(run) -> None:
    ran = run(
        "company_name_key",
        [
            "北京恒通精密机械有限公司",
            "北京恆通精密機械有限責任公司",
            "北京恒通精密机械股份有限公司",
            "北京恒通精密机械集团有限公司",
        ],
    )
    assert ran.out == ["北京恒通精密机械"] * 4


def test_company_name_key_drops_bracketed_region(run) -> None:
    ran = run(
        "company_name_key",
        [
            "恒通精密机械(北京)有限公司",
            "恒通精密机械（上海）有限公司",
            "恒通精密机械【深圳】有限公司",
        ],
    )
    assert ran.out == ["恒通精密机械"] * 3


def test_company_name_key_region_prefix_compares_well(run) -> None:
    plain, bracketed = run(
        "company_name_key", ["北京恒通精密机械有限公司", "恒通精密机械(北京)有限公司"]
    ).out
    assert fuzz.ratio(plain, bracketed) >= 85
    assert fuzz.partial_ratio(plain, bracketed) == 100


def test_company_name_key_strip_region_prefix(run) -> None:
    values = [
        "北京恒通精密机械有限公司",
        "北京市恒通精密机械有限公司",
        "恒通精密机械(北京)有限公司",
        "Beijing Hengtong Precision Machinery Co., Ltd.",
        "上海汽车集团股份有限公司",
    ]
    ran = run("company_name_key", values, strip_region_prefix=True)
    assert ran.out == ["恒通精密机械"] * 3 + ["hengtongprecisionmachinery", "上海汽车"]


def test_company_name_key_english(run) -> None:
    values = [
        "Beijing Hengtong Precision Machinery Co., Ltd.",
        "BEIJING HENGTONG PRECISION MACHINERY CO LTD",
        "Beijing Hengtong Precision Machinery Company Limited",
        "Hengtong (Beijing) Precision Machinery Corp.",
        "Acme GmbH",
        "Acme Inc.",
        "Acme LLC",
        "Acme Group PLC",
        "Zinc Inc.",
        "Costco",
    ]
    ran = run("company_name_key", values)
    assert ran.out == ["beijinghengtongprecisionmachinery"] * 3 + [
        "hengtongprecisionmachinery",
        "acme",
        "acme",
        "acme",
        "acme",
        "zinc",
        "costco",
    ]


def test_company_name_key_fullwidth_and_punctuation(run) -> None:
    ran = run(
        "company_name_key",
        ["ＡＢＣ　Ｃｏ．，Ｌｔｄ．", "A.B.C. 有限公司", "恒通·精密 机械有限公司"],
    )
    assert ran.out == ["abc", "abc", "恒通精密机械"]


def test_company_name_key_edge_values(run) -> None:
    values = ["有限公司", "Limited", "", "  ", *NULLS, 12, 3.5, "𠀀😀公司", LONG + " Ltd"]
    ran = run("company_name_key", values)
    assert ran.out == ["有限公司", "limited", "", "", None, None, None, "12", "35", "𠀀", LONG]


def test_company_name_key_keeps_branch_offices_apart(run) -> None:
    ran = run("company_name_key", ["恒通有限公司北京分公司", "恒通有限公司"])
    assert ran.out == ["恒通有限公司北京分公司", "恒通"]


def test_pinyin_key_names_meet(run) -> None:
    ran = run(
        "pinyin_key", ["张伟", "張偉", "Zhang Wei", "ZHANG  wei", "zhang-wei", "ｚｈａｎｇ　ｗｅｉ"]
    )
    assert ran.out == ["zhangwei"] * 6


def test_pinyin_key_edge_values(run) -> None:
    ran = run("pinyin_key", ["重庆", "吕", "", *NULLS, 123, 4.5, "😀", "李😀", "a" * 100_000])
    assert ran.out == [
        "chongqing",
        "lv",
        "",
        None,
        None,
        None,
        "123",
        "45",
        "",
        "li",
        "a" * 100_000,
    ]


def test_pinyin_key_non_bmp_cjk_is_kept_or_spelled(run) -> None:
    (key,) = run("pinyin_key", ["𠀀"]).out
    assert (key and key.isascii()) or key == "𠀀"
