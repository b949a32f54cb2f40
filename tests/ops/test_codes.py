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
