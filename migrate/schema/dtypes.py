"""Pandera data types of the target field types, coercing text the way ``coerce`` does.

Each type parses with ``coerce_values``, so a schema coerces exactly as the
validate stage does, and reports every value not of its type as a failure
case (index and value) instead of giving up on the whole column. Dates are
held at microseconds: pandera's own datetime is fixed to nanoseconds, which
cannot hold the 9999-12-31 "open end" dates legacy systems are full of.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd
from pandera import errors
from pandera.dtypes import immutable
from pandera.engines import numpy_engine, pandas_engine

from migrate.schema.coerce import DATE_DTYPE, DTYPES, coerce_values
from migrate.spec.mapping import FieldType


class _Parsed:
    """Coercion and dtype check of one target field type."""

    kind: ClassVar[FieldType]

    def coerce(self, data_container: Any) -> Any:
        """Values in the type; values not of it become missing."""
        return coerce_values(data_container, self.kind)[0]

    def try_coerce(self, data_container: Any) -> Any:
        """Values in the type; raises a ParserError listing every value not of it."""
        values, failed = coerce_values(data_container, self.kind)
        if failed.any():
            bad = data_container[failed.to_numpy(dtype=bool)]
            cases = pd.DataFrame({"index": bad.index, "failure_case": bad.to_numpy()})
            raise errors.ParserError(f"values not of type {self.kind}", failure_cases=cases)
        return values

    def check(
        self, pandera_dtype: Any, data_container: pd.Series | pd.DataFrame | None = None
    ) -> Any:
        """Compare the column's own dtype (pandera's engine would lose a date's unit)."""
        if isinstance(data_container, pd.Series):
            return str(data_container.dtype) == DTYPES[self.kind]
        return super().check(pandera_dtype)  # type: ignore[misc]

    def __str__(self) -> str:
        return self.kind


@immutable
class TextType(_Parsed, pandas_engine.STRING):
    """Text (pandas ``str``); blank text is missing."""

    kind = "string"


@immutable
class IntegerType(_Parsed, pandas_engine.INT64):
    """Whole numbers (nullable ``Int64``); ``+5`` and ``2.0`` are accepted."""

    kind = "integer"


@immutable
class DecimalType(_Parsed, numpy_engine.Float64):
    """Finite numbers (``float64``)."""

    kind = "decimal"


@immutable
class DateType(_Parsed, pandas_engine.DateTime):
    """Dates from ISO text ``YYYY-MM-DD``, held as ``datetime64[us]``."""

    kind = "date"

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", np.dtype(DATE_DTYPE))


@immutable
class BooleanType(_Parsed, pandas_engine.BOOL):
    """Yes/no values (nullable ``boolean``) from true/false, yes/no, y/n, t/f, 1/0."""

    kind = "boolean"


_TYPES: dict[FieldType, type[_Parsed]] = {
    "string": TextType,
    "integer": IntegerType,
    "decimal": DecimalType,
    "date": DateType,
    "boolean": BooleanType,
}


def pandera_dtype(kind: FieldType) -> Any:
    """The pandera data type a column of ``kind`` is coerced to."""
    return _TYPES[kind]()
