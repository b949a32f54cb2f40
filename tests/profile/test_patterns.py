"""Value patterns: letters and digits by class, Chinese characters, full-width forms, cuts."""

from __future__ import annotations

import pyarrow as pa
import pytest

from migrate.profile.arrow import text_tally
from migrate.profile.patterns import (
    MAX_PATTERN,
    format_of,
    pattern_counts,
    pattern_of,
    value_patterns,
)


@pytest.mark.parametrize(
    ("value", "pattern"),
    [
        ("MAT-0012", "AAA-9999"),
        ("138 1234 5678", "999 9999 9999"),
        ("+86 (10) 6552-1234", "+99 (99) 9999-9999"),
        ("Zhang Wei", "Aaaaa Aaa"),
        ("北京华为(分公司)", "汉汉汉汉(汉汉汉)"),
        ("０１０－６５５２", "９９９－９９９９"),
        ("ＡＢｃ", "ＡＡａ"),
        ("Müller 3", "Aüaaaa 9"),
    ],
)
def test_pattern_classes(value: str, pattern: str) -> None:
    assert pattern_of(value) == pattern


def test_nulls_stay_null_and_offsets_are_respected() -> None:
    array = pa.array(["x1", None, "Y22", "汉z"], type=pa.large_string()).slice(1)
    assert value_patterns(array).to_pylist() == [None, "A99", "汉a"]


def test_long_patterns_are_cut() -> None:
    pattern = pattern_of("a" * (MAX_PATTERN + 10))
    assert pattern == "a" * MAX_PATTERN + "…"


def test_pattern_counts_rank_by_frequency_and_count_all_patterns() -> None:
    values = text_tally(["A1", "B2", "C3", "11", None, "xy", "B2"])
    top, total = pattern_counts(values, limit=2)
    assert [(c.value, c.count) for c in top] == [("A9", 4), ("99", 1)]
    assert total == 3


def test_format_folds_digit_runs() -> None:
    assert format_of("9999/9/99") == format_of("9999/99/9") == "9/9/9"
    assert format_of("999-99999999") != format_of("999 9999 9999")
