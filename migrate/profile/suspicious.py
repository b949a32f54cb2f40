"""Suspicious content: characters and shapes that a cleansing rule usually has to deal with.

Each check in :data:`CHECKS` is a regular expression (RE2 syntax, run by Arrow
over every distinct value, counts weighted by rows, so they are exact); one
pass of all of them together first picks the few values worth checking one by
one. Mojibake, text decoded with the wrong encoding somewhere in the legacy
system's past, needs a round trip per value and is checked separately
(:func:`mojibake`): on every distinct non-ASCII value up to
:data:`MOJIBAKE_LIMIT`, above that on a random sample, said so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from migrate.profile.arrow import Tally, first_values, matches, sample
from migrate.profile.model import Suspicious

EXAMPLES = 3
MOJIBAKE_LIMIT = 50_000
_SPACE = r"[\s\x{00A0}\x{3000}]"


@dataclass(frozen=True)
class Check:
    """One kind of suspicious content: a label, the regex that finds it, and whether only
    non-ASCII text can have it (then an all-ASCII column is not scanned)."""

    label: str
    regex: str
    non_ascii: bool = False


CHECKS: dict[str, Check] = {
    "control": Check(
        "control or zero-width characters",
        r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\x{200B}-\x{200F}\x{2060}\x{FEFF}]",
    ),
    "line_break": Check("tabs or line breaks inside the value", r"[\t\r\n]"),
    "fullwidth": Check(
        "full-width letters, digits or symbols", r"[\x{FF01}-\x{FF5E}\x{3000}]", True
    ),
    "edge_space": Check("leading or trailing spaces", f"^{_SPACE}|{_SPACE}$"),
    "double_space": Check("runs of several spaces inside", f"\\S{_SPACE}{{2,}}\\S"),
    "mixed_script": Check(
        "Latin letters mixed with Cyrillic or Greek look-alikes",
        r"\p{Latin}[\p{Cyrillic}\p{Greek}]|[\p{Cyrillic}\p{Greek}]\p{Latin}",
        True,
    ),
}
ANY_CHECK = "|".join(f"(?:{check.regex})" for check in CHECKS.values())
MOJIBAKE_LABEL = "mojibake (text decoded with the wrong encoding)"
_LOST = ("\ufffd", "锟斤拷", "烫烫烫", "屯屯屯")
_LATIN1_RUN = re.compile("[\u0080-\u00ff]")
_WESTERN = "".join(sorted(set(bytes(range(0x80, 0x100)).decode("cp1252", "ignore"))))
_WESTERN_RUN = re.compile(f"[\u0080-\u00ff{re.escape(_WESTERN)}]{{2,}}")
_CJK = re.compile("[\u4e00-\u9fff]")
_VISIBLE = {"\t": "\\t", "\r": "\\r", "\n": "\\n"}
_EDGE = re.compile(r"^[\s\u00a0\u3000]+|[\s\u00a0\u3000]+$")
_INVISIBLE = re.compile("[\x00-\x1f\x7f\u200b-\u200f\u2060\ufeff]")


def suspicious_content(found: Tally) -> tuple[Suspicious, ...]:
    """Every kind of suspicious content found among the values, counted per row."""
    if len(found.values) == 0:
        return ()
    ascii_only = bool(pc.all(pc.string_is_ascii(found.values)).as_py())
    odd = found.where(matches(found.values, ANY_CHECK))
    results = []
    for kind, check in CHECKS.items():
        if check.non_ascii and ascii_only:
            continue
        hit = matches(odd.values, check.regex)
        count = odd.weight(hit)
        if count:
            examples = first_values(pc.filter(odd.values, hit), EXAMPLES)
            results.append(Suspicious(kind, check.label, count, tuple(map(visible, examples))))
    garbled = None if ascii_only else mojibake(found)
    return (*results, garbled) if garbled is not None else tuple(results)


def mojibake(found: Tally) -> Suspicious | None:
    """Values that look like text decoded with the wrong encoding (counted per row)."""
    candidates = found.where(pc.invert(pc.string_is_ascii(found.values)))
    tested = _sampled(candidates)
    bad = pa.array([looks_garbled(text) for text in tested.values.to_pylist()], pa.bool_())
    count = tested.weight(bad)
    if not count:
        return None
    sampled = len(tested.values) < len(candidates.values)
    if sampled:
        count = round(count * candidates.rows / tested.rows)
    examples = tuple(visible(t) for t in first_values(pc.filter(tested.values, bad), EXAMPLES))
    return Suspicious("mojibake", MOJIBAKE_LABEL, count, examples, sampled)


def _sampled(candidates: Tally) -> Tally:
    if len(candidates.values) <= MOJIBAKE_LIMIT:
        return candidates
    picked = sample(pa.array(np.arange(len(candidates.values))), MOJIBAKE_LIMIT)
    return Tally(pc.take(candidates.values, picked), pc.take(candidates.counts, picked))


def looks_garbled(text: str) -> bool:
    """``text`` holds lost characters, or a run of it reads as real text once re-decoded.

    A run of Latin-1/cp1252 characters that decodes as UTF-8 (``åŒ—äº¬`` is 北京)
    or, four or more of them, as GB18030 Chinese (``±±¾©`` is 北京); or a Chinese
    value whose GBK bytes are valid UTF-8 (``鍖椾含`` is 北京).
    """
    if any(mark in text for mark in _LOST):
        return True
    for run in _WESTERN_RUN.findall(text):
        if _utf8_ok(run):
            return True
        if len(run) >= 4 and _redecodes(run, "latin-1", "gb18030", cjk=True):
            return True
    return _CJK.search(text) is not None and _redecodes(text, "gbk", "utf-8", cjk=True)


def _western_bytes(run: str) -> bytes:
    """The bytes a run of western characters stood for (cp1252, else Latin-1, per character)."""
    out = bytearray()
    for char in run:
        try:
            out += char.encode("cp1252")
        except UnicodeEncodeError:
            out += char.encode("latin-1")
    return bytes(out)


def _utf8_ok(run: str) -> bool:
    try:
        fixed = _western_bytes(run).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False
    return fixed != run


def _redecodes(text: str, wrong: str, right: str, cjk: bool = False) -> bool:
    try:
        fixed = text.encode(wrong).decode(right)
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False
    if fixed == text:
        return False
    if cjk:
        return _CJK.search(fixed) is not None and not _LATIN1_RUN.search(fixed)
    return True


def visible(text: str) -> str:
    """``text`` with invisible characters escaped and edge spaces shown as ``␣``."""
    shown = _INVISIBLE.sub(lambda m: _VISIBLE.get(m.group(), f"\\u{ord(m.group()):04x}"), text)
    return _EDGE.sub(lambda m: "␣" * len(m.group()), shown)
