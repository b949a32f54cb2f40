"""Value patterns: the shape of a value with its letters and digits replaced by classes.

``9`` stands for a digit, ``A`` for an upper-case and ``a`` for a lower-case
Latin letter, ``汉`` for a Chinese character; full-width digits and letters
become ``９``, ``Ａ`` and ``ａ`` so they stay visible; everything else (spaces,
punctuation, other scripts) stays as it is. ``010-65521234`` has the pattern
``999-99999999`` and ``MAT-0012`` has ``AAA-9999``. Patterns longer than
:data:`MAX_PATTERN` characters are cut and end in ``…``.

Every replacement keeps the UTF-8 length of the character it replaces, so the
patterns are computed on the Arrow string buffer as bytes, in a few vectorized
passes, without decoding a single value in Python.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from migrate.profile.arrow import Tally, regroup, top_counts
from migrate.profile.model import Count

MAX_PATTERN = 24
ELLIPSIS = "…"

# (first byte, last byte) of an ASCII range -> the byte that stands for it.
_ASCII_CLASSES = ((0x30, 0x39, ord("9")), (0x41, 0x5A, ord("A")), (0x61, 0x7A, ord("a")))
# Lead bytes E4..E9 start the 3-byte UTF-8 sequences of U+4000..U+9FFF (CJK ideographs).
_HAN_LEADS = (0xE4, 0xE9)
_HAN = "汉".encode()
# Full-width forms are EF BC xx / EF BD xx: (second byte, third-byte range, replacement).
_FULLWIDTH: tuple[tuple[int, int, int, bytes], ...] = (
    (0xBC, 0x90, 0x99, "９".encode()),
    (0xBC, 0xA1, 0xBA, "Ａ".encode()),
    (0xBD, 0x81, 0x9A, "ａ".encode()),
)
_DIGIT_RUNS = re.compile("9+")


def value_patterns(array: pa.Array) -> pa.Array:
    """The pattern of every value of a (large) string array; nulls stay null."""
    if len(array) == 0:
        return array
    validity, offsets, data = array.buffers()
    if data is None:
        return array
    raw = np.frombuffer(data, dtype=np.uint8)
    mapped = raw.copy()
    for low, high, replacement in _ASCII_CLASSES:
        mapped[(raw >= low) & (raw <= high)] = replacement
    _replace_three_byte(raw, mapped, _han_starts(raw), _HAN)
    for second, low, high, marker in _FULLWIDTH:
        _replace_three_byte(raw, mapped, _fullwidth_starts(raw, second, low, high), marker)
    buffers = [validity, offsets, pa.py_buffer(mapped.tobytes())]
    patterns = pa.Array.from_buffers(array.type, len(array), buffers, offset=array.offset)
    return _shorten(patterns)


def _han_starts(raw: np.ndarray) -> np.ndarray:
    starts = np.flatnonzero((raw >= _HAN_LEADS[0]) & (raw <= _HAN_LEADS[1]))
    return starts[starts + 2 < len(raw)]


def _fullwidth_starts(raw: np.ndarray, second: int, low: int, high: int) -> np.ndarray:
    starts = np.flatnonzero(raw[:-2] == 0xEF) if len(raw) > 2 else np.array([], dtype=np.int64)
    keep = (raw[starts + 1] == second) & (raw[starts + 2] >= low) & (raw[starts + 2] <= high)
    return starts[keep]


def _replace_three_byte(
    raw: np.ndarray, mapped: np.ndarray, starts: np.ndarray, replacement: bytes
) -> None:
    for position in range(3):
        mapped[starts + position] = replacement[position]


def _shorten(patterns: pa.Array) -> pa.Array:
    long = pc.greater(pc.utf8_length(patterns), MAX_PATTERN)
    if not pc.any(long).as_py():
        return patterns
    kind = patterns.type
    cut = pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(patterns, 0, MAX_PATTERN),
        pa.scalar(ELLIPSIS, kind),
        pa.scalar("", kind),
    )
    return pc.if_else(long, cut, patterns)


def pattern_counts(found: Tally, limit: int) -> tuple[tuple[Count, ...], int]:
    """The ``limit`` most frequent patterns among the rows, and how many patterns there are."""
    patterns = regroup(value_patterns(found.values), found.counts)
    return top_counts(patterns, limit), len(patterns.values)


def pattern_of(text: str) -> str:
    """The pattern of one value (the same classes as :func:`value_patterns`)."""
    return str(value_patterns(pa.array([text], type=pa.large_string()))[0].as_py())


def format_of(pattern: str) -> str:
    """A pattern with digit runs folded to one ``9``: ``9999/9/99`` and ``9999/99/9`` agree."""
    return _DIGIT_RUNS.sub("9", pattern)
