"""Type inference: the target type a column fits, and the op its legacy forms need."""

from __future__ import annotations

import pyarrow as pa
import pytest

from migrate.profile.infer import infer_type


def _infer(values: list[str | None]) -> tuple[str, str | None]:
    found = infer_type(pa.array(values, type=pa.large_string()))
    return found.type, found.parse_op


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["2020-01-05", "2021-12-31", None], ("date", None)),
        (
            ["2020-01-05", "2020/1/5", "20200105", "05.01.2020", "2020年1月5日"],
            ("date", "parse_date"),
        ),
        (["1", "-20", "300", "4000"], ("integer", None)),
        (["1.5", "20", "-3.25"], ("decimal", None)),
        (["12,345.50", "8800.00", "¥1,200"], ("decimal", "parse_decimal")),
        (["yes", "no", "Y", "N"], ("boolean", None)),
        (["Zhang", "Li", "12"], ("string", None)),
        ([None, "  "], ("string", None)),
    ],
)
def test_types(values: list[str | None], expected: tuple[str, str | None]) -> None:
    assert _infer(values) == expected


def test_fixed_width_digit_codes_are_text() -> None:
    assert _infer(["100000", "200333", "518205"]) == ("string", None)
    assert _infer(["0000100001", "0000100002"]) == ("string", None)


def test_a_type_needs_95_percent_of_the_values() -> None:
    dates = ["2020-01-05"] * 94 + ["unknown"] * 6
    assert _infer(dates) == ("string", None)
    assert _infer(["2020-01-05"] * 96 + ["unknown"] * 4)[0] == "date"
