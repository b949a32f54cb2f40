"""Shapes: how many values look like a phone number, an e-mail address, a credit code ...

The counts are exact: one Arrow regex scan per shape over the distinct values a
cheap filter leaves (e-mail addresses need an ``@``, credit codes 18 characters).
They feed the rule suggestions; ``case_variants`` counts distinct values that
differ from another one only in letter case (``pcs`` and ``PCS``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from migrate.profile.arrow import Tally, count_matches

_DIGIT = r"[0-9\x{FF10}-\x{FF19}]"
_PHONE_PUNCT = r"[ ()\-.\x{3000}\x{FF08}\x{FF09}\x{FF0D}]"
_USCC_CHAR = "[0-9A-HJ-NPQRTUWXY]"


@dataclass(frozen=True)
class Shape:
    """A regex a value of the shape matches, and a cheap filter that picks the candidates."""

    regex: str
    candidates: Callable[[pa.Array], pa.Array]


def _any(values: pa.Array) -> pa.Array:
    return pc.is_valid(values)


def _with_at(values: pa.Array) -> pa.Array:
    return pc.match_substring(values, "@")


def _uscc_length(values: pa.Array) -> pa.Array:
    lengths = pc.utf8_length(values)
    return pc.and_(pc.greater_equal(lengths, 18), pc.less_equal(lengths, 22))


SHAPES: dict[str, Shape] = {
    "phone": Shape(
        rf"^\s*(\+|00|\x{{FF0B}})?{_DIGIT}(?:{_DIGIT}|{_PHONE_PUNCT}){{6,20}}\s*$", _any
    ),
    "email": Shape(r"^\s*[^@\s]+@[^@\s]+\s*$", _with_at),
    "email_valid": Shape(r"^\s*[^@\s]+@[^@\s.]+(\.[^@\s.]+)+\s*$", _with_at),
    "uscc": Shape(rf"^\s*{_USCC_CHAR}{{2}}\d{{6}}{_USCC_CHAR}{{10}}\s*$", _uscc_length),
}


def shapes(found: Tally) -> dict[str, int]:
    """Non-zero counts of the rows of each shape, and of case variants."""
    counts = {}
    for name, shape in SHAPES.items():
        picked = found.where(shape.candidates(found.values)) if len(found.values) else found
        counts[name] = count_matches(picked, shape.regex)
    counts["case_variants"] = case_variants(found.values)
    return {name: count for name, count in counts.items() if count}


def case_variants(distinct: pa.Array) -> int:
    """Distinct values that another distinct value equals once both are lower-cased."""
    if len(distinct) == 0:
        return 0
    return len(distinct) - len(pc.unique(pc.utf8_lower(distinct)))
