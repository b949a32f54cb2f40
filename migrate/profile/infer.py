"""Inferring a column's type from its values, in the target types a mapping declares.

Each type in :data:`TYPE_TESTS` has a *plain* form, which the validate stage
casts as it is, and a *loose* form, which needs a cleansing op first (dates in
legacy formats need ``parse_date``, amounts with thousands separators or a
currency sign need ``parse_decimal``). The first type, in table order, whose
loose form fits at least :data:`FIT` of the values wins; ``parse_op`` is set
when some values are only in the loose form. Digit strings of one fixed width
(postal codes, sales organisations, zero-padded numbers) are codes, so text.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

FIT = 0.95

_ISO_DATE = r"(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_LOOSE_DATE = "|".join(
    (
        _ISO_DATE,
        r"(19|20)\d\d[-/.](0?[1-9]|1[0-2])[-/.](0?[1-9]|[12]\d|3[01])",
        r"(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])",
        r"(0?[1-9]|[12]\d|3[01])[./](0?[1-9]|1[0-2])[./](19|20)\d\d",
        r"(19|20)\d\d年(0?[1-9]|1[0-2])月(0?[1-9]|[12]\d|3[01])日",
    )
)
_PLAIN_DECIMAL = r"[+-]?(0|[1-9]\d{0,14})(\.\d+)?"
_LOOSE_DECIMAL = "|".join(
    (
        _PLAIN_DECIMAL,
        r"[¥$€£]?\s*[+-]?\d{1,3}(,\d{3})+(\.\d+)?",
        r"[+-]?\d{1,3}(\.\d{3})*,\d+",
        r"[¥$€£]\s*[+-]?\d+(\.\d+)?",
        r"\(?\d+(\.\d+)?\)?-",
    )
)
_BOOLEAN = r"(?i)(true|false|yes|no|y|n|t|f)"
_NUMBERS = ("integer", "decimal")


@dataclass(frozen=True)
class TypeTest:
    """One target type: the regexes of its plain and loose forms, and the op the loose needs."""

    type: str
    plain: str
    loose: str
    parse_op: str | None


TYPE_TESTS: dict[str, TypeTest] = {
    "boolean": TypeTest("boolean", _BOOLEAN, _BOOLEAN, None),
    "date": TypeTest("date", _ISO_DATE, _LOOSE_DATE, "parse_date"),
    "integer": TypeTest("integer", r"[+-]?(0|[1-9]\d{0,8})", r"[+-]?(0|[1-9]\d{0,8})", None),
    "decimal": TypeTest("decimal", _PLAIN_DECIMAL, _LOOSE_DECIMAL, "parse_decimal"),
}


@dataclass(frozen=True)
class Inferred:
    """The inferred type, the share of values that fit it, and the op that parses them."""

    type: str
    share: float
    parse_op: str | None


TEXT = Inferred("string", 1.0, None)


def infer_type(values: pa.Array) -> Inferred:
    """The type of a column from (a sample of) its non-null values."""
    stripped = pc.utf8_trim_whitespace(pc.drop_null(values))
    stripped = pc.filter(stripped, pc.greater(pc.utf8_length(stripped), 0))
    total = len(stripped)
    if total == 0:
        return TEXT
    for test in TYPE_TESTS.values():
        loose = _share(stripped, test.loose)
        if loose < FIT:
            continue
        if test.type in _NUMBERS and _fixed_width(stripped):
            return TEXT
        plain = loose if test.plain == test.loose else _share(stripped, test.plain)
        return Inferred(test.type, round(loose, 4), test.parse_op if plain < loose else None)
    return TEXT


def _share(values: pa.Array, pattern: str) -> float:
    matched = pc.match_substring_regex(values, f"^(?:{pattern})$")
    return int(pc.sum(matched).as_py() or 0) / len(values)


def _fixed_width(values: pa.Array) -> bool:
    lengths = pc.utf8_length(values)
    bounds = pc.min_max(lengths)
    low, high = bounds["min"].as_py(), bounds["max"].as_py()
    return bool(low == high and low >= 3 and len(values) > 1)
