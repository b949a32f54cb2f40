"""Cross-field checks (a mapping's ``checks:``): their reasons and their pandera checks.

A check either ``require``s a condition or ``compare``s a field with another
field or a constant, on the rows matching ``when`` (all rows without it). It
runs on the frame in its declared types, so dates compare as dates and numbers
as numbers; a row where a compared value is missing passes. Each compiles to a
dataframe-level pandera check with one boolean per row, so every failure names
its row.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import pandas as pd
import pandera.pandas as pa

from migrate.errors import SpecError
from migrate.schema.coerce import parse_allowed
from migrate.spec.condition import Condition
from migrate.spec.mapping import Compare, CrossCheck, FieldType, Mapping

COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
PHRASES = {
    "==": "must equal",
    "!=": "must differ from",
    "<": "must be less than",
    "<=": "must be at most",
    ">": "must be greater than",
    ">=": "must be at least",
}
DATE_PHRASES = {
    **PHRASES,
    "<": "must be before",
    "<=": "must not be after",
    ">": "must be after",
    ">=": "must not be before",
}
_FAMILY: dict[FieldType, str] = {
    "string": "text",
    "integer": "number",
    "decimal": "number",
    "date": "date",
    "boolean": "boolean",
}


def check_fields(check: CrossCheck, mapping: Mapping) -> tuple[str, ...]:
    """The fields a finding of ``check`` names: the compared fields, or those required."""
    if check.compare is not None:
        other = (check.compare.other,) if check.compare.other else ()
        return (check.compare.field, *other)
    assert check.require is not None
    wanted = check.require.fields()
    return tuple(name for name in mapping.fields if name in wanted)


def check_template(check: CrossCheck, mapping: Mapping) -> str:
    """The reason template of ``check`` (only ``{value}`` is filled in per row)."""
    if check.reason is not None:
        return _escape(check.reason).replace("{{value}}", "{value}")
    if check.compare is not None:
        text = _compare_text(check.compare, mapping)
    else:
        assert check.require is not None
        text = describe(check.require, must=True)
    if check.when is not None:
        text += f" when {describe(check.when)}"
    text = _escape(text)
    shows_value = check.compare is not None or not _is_null_leaf(check.require)
    return text + " (found '{value}')" if shows_value else text


def describe(condition: Condition, *, must: bool = False) -> str:
    """A condition in words: ``country is 'CN'``, or ``tax_id must be filled`` with ``must``."""
    if condition.all is not None:
        return " and ".join(describe(part, must=must) for part in condition.all)
    if condition.any is not None:
        parts = " or ".join(describe(part) for part in condition.any)
        return f"one of these must hold: {parts}" if must else f"({parts})"
    if condition.not_ is not None:
        inner = describe(condition.not_)
        return f"this must not hold: {inner}" if must else f"not ({inner})"
    return _leaf(condition, must)


def _leaf(condition: Condition, must: bool) -> str:
    name = condition.field
    be, match = ("must be", "must match") if must else ("is", "matches")
    if condition.is_null is not None:
        return f"{name} {be} {'empty' if condition.is_null else 'filled'}"
    if condition.matches is not None:
        return f"{name} {match} {condition.matches}"
    if condition.in_ is not None:
        return f"{name} {be} one of {', '.join(str(v) for v in condition.in_)}"
    return f"{name} {be} '{condition.equals}'"


def _compare_text(compare: Compare, mapping: Mapping) -> str:
    kind = mapping.fields[compare.field].type
    phrase = (DATE_PHRASES if kind == "date" else PHRASES)[compare.op]
    other = compare.other if compare.other is not None else _constant_text(compare.value)
    return f"{compare.field} {phrase} {other}"


def frame_check(index: int, check: CrossCheck, mapping: Mapping) -> pa.Check:
    """The pandera check of ``check`` (declared at ``checks[index]``), titled with its id."""
    holds = _compare_holds(index, check.compare, mapping) if check.compare else None
    when, require = check.when, check.require

    def passes(frame: pd.DataFrame) -> pd.Series:
        ok = holds(frame) if holds is not None else _mask(require, frame)
        if when is not None:
            ok = ok | ~_mask(when, frame)
        return ok

    return pa.Check(passes, name=check.id, title=check.id, description=check.description)


def _mask(condition: Condition | None, frame: pd.DataFrame) -> pd.Series:
    assert condition is not None
    return condition.mask(frame).astype(bool)


def _compare_holds(
    index: int, compare: Compare, mapping: Mapping
) -> Callable[[pd.DataFrame], pd.Series]:
    """Rows where the comparison holds or a compared value is missing."""
    where = f"checks[{index}].compare"
    kind = mapping.fields[compare.field].type
    constant = _constant(compare, kind, mapping, where)
    if compare.other is not None:
        other_kind = mapping.fields[compare.other].type
        if _FAMILY[kind] != _FAMILY[other_kind]:
            problem = f"cannot compare {compare.field} ({kind}) with {compare.other} ({other_kind})"
            raise SpecError(_file(mapping), where, problem)
    test = COMPARE[compare.op]

    def holds(frame: pd.DataFrame) -> pd.Series:
        left = frame[compare.field]
        right = frame[compare.other] if compare.other is not None else constant
        missing = left.isna() | (right.isna() if isinstance(right, pd.Series) else False)
        result = pd.Series(test(left, right), index=frame.index).astype("boolean")
        return (result.fillna(False) | missing).astype(bool)

    return holds


def _constant(compare: Compare, kind: FieldType, mapping: Mapping, where: str) -> object:
    if compare.value is None:
        return None
    try:
        return parse_allowed([_constant_text(compare.value)], kind)[0]
    except (ValueError, IndexError):
        problem = f"value {compare.value!r} is not of the type of {compare.field} ({kind})"
        raise SpecError(_file(mapping), f"{where}.value", problem) from None


def _constant_text(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _is_null_leaf(condition: Condition | None) -> bool:
    return condition is not None and condition.is_null is not None


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _file(mapping: Mapping) -> str:
    return f"mappings/{mapping.object}.yaml"
