"""material_code: legacy material numbers to the prefix-and-padded-number standard."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pydantic
import pytest

from migrate.errors import SpecError
from migrate.ops import get_op, parse_params

PREFIXES = {"FERT": "FG", "HALB": "SF", "ROH": "RM"}


def _frame(codes: list[object], types: list[object]) -> pd.DataFrame:
    return pd.DataFrame({"code": pd.Series(codes, dtype=object), "MTART": types})


def test_material_code_legacy_variants(run) -> None:
    codes = [
        "mat-12",
        "MAT0012",
        "M 000012",
        "000012",
        "MAT-000012",
        "ＭＡＴ－１２",
        "ｍａｔ１２",
        12,
        12.0,
        "FG-000012",
        "mat_12",
        "#12",
    ]
    frame = _frame(codes, ["FERT"] * len(codes))
    ran = run("material_code", frame["code"], frame, category_field="MTART", prefixes=PREFIXES)
    assert ran.out == ["FG-000012"] * len(codes)
    assert not any(ran.failed)


def test_material_code_prefix_by_category(run) -> None:
    frame = _frame(["1", "2", "3", "4"], ["FERT", "halb", " ROH ", "DIEN"])
    ran = run(
        "material_code",
        frame["code"],
        frame,
        category_field="MTART",
        prefixes=PREFIXES,
        default_prefix="OT",
    )
    assert ran.out == ["FG-000001", "SF-000002", "RM-000003", "OT-000004"]


def test_material_code_failures(run) -> None:
    codes = ["X12Y", "1234567", "mat-13", "mat-14", "12-34", "𠀀", "x" * 100_000, "😀12"]
    frame = _frame(codes, ["FERT", "FERT", "DIEN", None, "FERT", "FERT", "FERT", "FERT"])
    ran = run("material_code", frame["code"], frame, category_field="MTART", prefixes=PREFIXES)
    assert ran.failed == [True] * len(codes)
    assert ran.out == codes
    assert ran.reasons == [
        "no material number found",
        "number 1234567 has more than 6 digits",
        "no prefix for category 'DIEN'",
        "no category",
        "no material number found",
        "no material number found",
        "no material number found",
        "no material number found",
    ]


def test_material_code_max_length(run) -> None:
    frame = _frame(["123456"], ["FERT"])
    ran = run(
        "material_code",
        frame["code"],
        frame,
        category_field="MTART",
        prefixes={"FERT": "FINISHED"},
        max_length=12,
    )
    assert ran.failed == [True]
    assert ran.reasons == ["code 'FINISHED-123456' is longer than 12 characters"]


def test_material_code_missing_and_blank(run) -> None:
    frame = _frame(["", "  ", None, np.nan, pd.NA], ["FERT"] * 5)
    ran = run("material_code", frame["code"], frame, category_field="MTART", prefixes=PREFIXES)
    assert ran.out == [None] * 5
    assert ran.failed == [False] * 5


def test_material_code_without_category(run) -> None:
    ran = run(
        "material_code", ["mat-7", "0000000000042"], default_prefix="m", separator="", digits=8
    )
    assert ran.out == ["M00000007", "M00000042"]
    ran = run("material_code", ["mat-7"], default_prefix="", digits=4)
    assert ran.out == ["0007"]
    ran = run("material_code", ["7"], default_prefix="mat", uppercase=False)
    assert ran.out == ["mat-000007"]


def test_material_code_params_need_a_prefix_source() -> None:
    op = get_op("material_code")
    with pytest.raises(pydantic.ValidationError, match="default_prefix"):
        parse_params(op, {})
    with pytest.raises(pydantic.ValidationError, match="category_field"):
        parse_params(op, {"prefixes": PREFIXES, "default_prefix": "X"})
    with pytest.raises(pydantic.ValidationError):
        parse_params(op, {"default_prefix": "X", "digits": 0})


def test_material_code_missing_category_column_is_a_spec_error(run) -> None:
    frame = _frame(["1"], ["FERT"])
    with pytest.raises(SpecError, match="MATTYPE") as caught:
        run("material_code", frame["code"], frame, category_field="MATTYPE", prefixes=PREFIXES)
    assert caught.value.choices == ["MTART", "code"]


def test_gs1_check_digit_is_appended_and_valid(run) -> None:
    from stdnum import ean

    ran = run(
        "material_code",
        ["400638133393", "mat-12", "9638507", None, ""],
        default_prefix="",
        separator="",
        digits=12,
        check_digit="gs1",
    )
    assert ran.out[:3] == ["4006381333931", "0000000000123", "0000096385074"]
    assert all(ean.is_valid(code) for code in ran.out[:3])
    assert ran.out[3:] == [None, None] and not any(ran.failed)


def test_gs1_check_digit_with_prefix_and_separator(run) -> None:
    frame = _frame(["mat-12", "M 000013"], ["FERT", "ROH"])
    ran = run(
        "material_code",
        frame["code"],
        frame,
        category_field="MTART",
        prefixes=PREFIXES,
        check_digit="gs1",
    )
    assert ran.out == ["FG-0000123", "RM-0000130"]


def test_legacy_gs1_check_digit_is_verified_and_kept(run) -> None:
    ran = run(
        "material_code",
        ["4006381333931", "4006381333932", "7", "07", "x"],
        default_prefix="",
        separator="",
        digits=12,
        check_digit="gs1",
        legacy_check_digit=True,
    )
    assert ran.out == ["4006381333931", "4006381333932", "7", "07", "x"]
    assert ran.failed == [False, True, True, True, True]
    assert ran.reasons[1:4] == [
        "wrong GS1 check digit 2, expected 1",
        "no check digit after the material number",
        "wrong GS1 check digit 7, expected 0",
    ]


def test_gs1_check_digits_match_python_stdnum() -> None:
    from stdnum import ean

    from migrate.ops.codes import gs1_check_digits

    numbers = [str(n) for n in range(0, 200_000, 7919)] + ["400638133393", "9" * 12, None]
    digits = gs1_check_digits(pd.Series(numbers, dtype="str"), 12)
    expected = [ean.calc_check_digit(n.zfill(12)) if n else None for n in numbers]
    assert [None if pd.isna(d) else d for d in digits] == expected
    too_long = gs1_check_digits(pd.Series(["1" * 13], dtype="str"), 12)
    assert too_long.isna().all()


def test_legacy_check_digit_needs_check_digit() -> None:
    with pytest.raises(pydantic.ValidationError, match="legacy_check_digit"):
        parse_params(get_op("material_code"), {"default_prefix": "", "legacy_check_digit": True})
    with pytest.raises(pydantic.ValidationError):
        parse_params(get_op("material_code"), {"default_prefix": "", "check_digit": "luhn"})
