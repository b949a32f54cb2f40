"""Named operations that rule files refer to (``op: phone_e164``).

Importing this package registers every built-in op through :func:`register_op`,
the same decorator a user extension uses, so ``OPS`` lists them all.
"""

from migrate.ops import (  # noqa: F401  (imported to register their ops)
    checks,
    chinese,
    codes,
    contact,
    crossfield,
    dates,
    fields,
    identifiers,
    numbers,
    text,
    units,
)
from migrate.ops.registry import (
    OPS,
    SHAPES,
    OpFunc,
    OpInfo,
    OpParams,
    OpResult,
    UnknownOpError,
    get_op,
    parse_params,
    register_op,
    shape_problem,
)

__all__ = [
    "OPS",
    "SHAPES",
    "OpFunc",
    "OpInfo",
    "OpParams",
    "OpResult",
    "UnknownOpError",
    "get_op",
    "parse_params",
    "register_op",
    "shape_problem",
]
