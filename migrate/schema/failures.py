"""Running a compiled schema lazily and naming the rule and row of every failure.

Pandera reports failures as a long table (``SchemaErrors.failure_cases``:
``schema_context, column, check, check_number, failure_case, index``). A check
of ours is found by its position (``check_number``) and carries its rule id in
its title; pandera's own checks are named by their ``check`` text.
"""

from __future__ import annotations

import math
import numbers

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from migrate.schema.rules import rule_id

_BUILTIN = {"not_nullable": "required", "field_uniqueness": "unique"}


def schema_failures(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    """Validate ``frame`` lazily: one row per (rule, index) that failed, no duplicates.

    The frame should already be in the schema's types (see ``coerce_frame``): a
    column pandera cannot coerce fails its checks as a whole, which is raised.
    """
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as errors:
        return _by_rule(schema, errors.failure_cases)
    return pd.DataFrame({"rule": pd.Series([], dtype="str"), "index": frame.index[:0]})


def _by_rule(schema: pa.DataFrameSchema, cases: pd.DataFrame) -> pd.DataFrame:
    whole = cases[cases["index"].isna()]
    if not whole.empty:
        first = whole.iloc[0]
        raise RuntimeError(
            f"column {first['column']!r} failed {first['check']!r} as a whole: "
            f"{first['failure_case']}"
        )
    keys = ["schema_context", "column", "check", "check_number"]
    parts = []
    for (context, column, check, number), group in cases.groupby(keys, dropna=False, sort=False):
        rule = _rule(schema, str(context), str(column), str(check), number)
        parts.append(pd.DataFrame({"rule": rule, "index": group["index"].to_numpy()}))
    found = pd.concat(parts, ignore_index=True)
    return found.drop_duplicates(ignore_index=True)


def _rule(schema: pa.DataFrameSchema, context: str, column: str, check: str, number: object) -> str:
    if isinstance(number, numbers.Real) and not math.isnan(number):
        owner = schema.checks if context == "DataFrameSchema" else schema.columns[column].checks
        title = owner[int(float(number))].title
        if title:
            return str(title)
    if check in _BUILTIN:
        return rule_id(column, _BUILTIN[check])
    if check.startswith(("dtype(", "coerce_dtype(")):
        return rule_id(column, "type")
    raise RuntimeError(f"unexpected schema failure {check!r} on column {column!r}")
