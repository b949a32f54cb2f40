"""Rule suggestions: what the profile found, turned into the op that deals with it.

Each entry of :data:`COLUMN_SUGGESTERS` looks at one column profile and may
suggest one step (an op of the registry with its args) or give advice where
no op applies (mojibake is fixed at the source, codes need a value map).
:func:`source_suggestions` adds what concerns the whole source: its key and
its duplicates. Every op named here is registered (a test checks it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from migrate.profile.model import ColumnProfile, Duplicates, KeyCandidate, Suggestion
from migrate.profile.patterns import format_of

MOSTLY = 0.8
VALUE_MAP_MAX_CODES = 30
SHOWN = 3
_PHONE_NAME = re.compile(r"phone|tel|mobile|fax|电话|手机", re.IGNORECASE)
_EMAIL_NAME = re.compile(r"mail|邮箱", re.IGNORECASE)

Suggester = Callable[[ColumnProfile], Suggestion | None]


def _share(column: ColumnProfile, count: int) -> float:
    return count / column.filled if column.filled > 0 else 0.0


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:SHOWN])
    return shown + (", …" if len(items) > SHOWN else "")


def _step(column: ColumnProfile, op: str, message: str, **args: object) -> Suggestion:
    severity = "reject" if op in ("uscc", "parse_date", "parse_decimal") else "warn"
    return Suggestion(column.name, op, f"{column.name}: {message}", dict(args), severity)


def _advice(column: ColumnProfile, message: str) -> Suggestion:
    return Suggestion(column.name, None, f"{column.name}: {message}", {})


def _count(column: ColumnProfile, kind: str) -> int:
    found = column.finding(kind)
    return found.count if found else 0


def _control(column: ColumnProfile) -> Suggestion | None:
    count = _count(column, "control") + _count(column, "line_break")
    if not count:
        return None
    return _step(
        column,
        "remove_control",
        f"{count:,} values hold control characters, tabs or line breaks: suggest remove_control",
    )


def _fullwidth(column: ColumnProfile) -> Suggestion | None:
    count = _count(column, "fullwidth")
    if not count:
        return None
    return _step(
        column,
        "fullwidth_to_halfwidth",
        f"{count:,} values hold full-width characters: suggest fullwidth_to_halfwidth",
    )


def _spaces(column: ColumnProfile) -> Suggestion | None:
    edges, inner = _count(column, "edge_space"), _count(column, "double_space")
    if inner:
        return _step(
            column,
            "collapse_whitespace",
            f"{inner:,} values hold runs of spaces "
            f"({edges:,} leading/trailing): suggest collapse_whitespace",
        )
    if edges:
        return _step(
            column, "trim", f"{edges:,} values have leading or trailing spaces: suggest trim"
        )
    return None


def _phone(column: ColumnProfile) -> Suggestion | None:
    share = _share(column, column.shapes.get("phone", 0))
    named = _PHONE_NAME.search(column.name) is not None
    formats = _formats(column)
    phone_like = column.inferred_type == "string" and (share >= MOSTLY or (named and share >= 0.5))
    if not phone_like or (len(formats) < 2 and not named):
        return None
    return _step(
        column,
        "phone_e164",
        f"{len(formats)} formats seen ({_listed(formats)}): "
        "suggest the phone normalizer (phone_e164)",
        default_region="CN",
    )


def _email(column: ColumnProfile) -> Suggestion | None:
    loose = column.shapes.get("email", 0)
    if _share(column, loose) < 0.5 and _EMAIL_NAME.search(column.name) is None:
        return None
    invalid = column.filled - column.shapes.get("email_valid", 0)
    return _step(
        column, "email", f"e-mail addresses, {invalid:,} not well-formed: suggest the email check"
    )


def _uscc(column: ColumnProfile) -> Suggestion | None:
    if _share(column, column.shapes.get("uscc", 0)) < MOSTLY:
        return None
    return _step(
        column, "uscc", "unified social credit codes: suggest the uscc check (check digit)"
    )


def _parsed(column: ColumnProfile) -> Suggestion | None:
    if column.parse_op is None:
        return None
    formats = _formats(column)
    what = "date" if column.parse_op == "parse_date" else "number"
    return _step(
        column,
        column.parse_op,
        f"{len(formats)} {what} formats seen ({_listed(formats)}): suggest {column.parse_op}",
    )


def _case(column: ColumnProfile) -> Suggestion | None:
    variants = column.shapes.get("case_variants", 0)
    if not variants or not _is_code(column):
        return None
    return _step(column, "upper", f"{variants} codes differ only in letter case: suggest upper")


def _value_map(column: ColumnProfile) -> Suggestion | None:
    if not _is_code(column) or column.inferred_type != "string":
        return None
    codes = [c.value for c in column.top_values]
    return _advice(
        column,
        f"{column.distinct} distinct values ({_listed(codes)}): if they are "
        "codes, declare a value map from them to the target's codes",
    )


def _code_formats(column: ColumnProfile) -> Suggestion | None:
    formats = _formats(column)
    short = column.lengths is not None and column.lengths.max <= 20
    if column.inferred_type != "string" or column.uniqueness < 0.5 or len(formats) < 3:
        return None
    contact = max(column.shapes.get(shape, 0) for shape in ("phone", "email", "uscc"))
    if not short or _share(column, contact) >= 0.5 or any("汉" in f for f in formats):
        return None
    return _advice(
        column,
        f"one code written {len(formats)} ways ({_listed(formats)}): "
        "standardize it (e.g. material_code, pad_zeros, strip_zeros, upper)",
    )


def _mojibake(column: ColumnProfile) -> Suggestion | None:
    count = _count(column, "mojibake")
    if not count:
        return None
    return _advice(
        column,
        f"{count:,} values look garbled by a wrong encoding: re-extract "
        "with the right encoding or fix them at the source",
    )


def _mixed_script(column: ColumnProfile) -> Suggestion | None:
    count = _count(column, "mixed_script")
    if not count:
        return None
    return _advice(
        column,
        f"{count:,} values mix Latin letters with Cyrillic or Greek "
        "look-alikes: check them at the source",
    )


def _formats(column: ColumnProfile) -> list[str]:
    """One pattern per format (patterns that differ only in how many digits a run has)."""
    first: dict[str, str] = {}
    for pattern in column.patterns:
        first.setdefault(format_of(pattern.value), pattern.value)
    return list(first.values())


def _is_code(column: ColumnProfile) -> bool:
    short = column.lengths is not None and column.lengths.max <= 12
    few = 1 < column.distinct <= VALUE_MAP_MAX_CODES and column.distinct * 20 <= column.filled
    return short and few


COLUMN_SUGGESTERS: dict[str, Suggester] = {
    "control": _control,
    "fullwidth": _fullwidth,
    "spaces": _spaces,
    "phone": _phone,
    "email": _email,
    "uscc": _uscc,
    "parse": _parsed,
    "case": _case,
    "value_map": _value_map,
    "code_formats": _code_formats,
    "mojibake": _mojibake,
    "mixed_script": _mixed_script,
}


def column_suggestions(column: ColumnProfile) -> list[Suggestion]:
    """Every suggestion for one column, in the order of :data:`COLUMN_SUGGESTERS`."""
    found = ((kind, suggest(column)) for kind, suggest in COLUMN_SUGGESTERS.items())
    return [replace(s, kind=kind) for kind, s in found if s is not None]


def source_suggestions(
    keys: tuple[KeyCandidate, ...], duplicates: Duplicates | None, rows: int
) -> list[Suggestion]:
    """Suggestions about the whole source: its key and its duplicate records."""
    found = []
    usable = next((k for k in keys if k.usable), None)
    if usable is None and rows:
        best = " + ".join(keys[0].columns) if keys else "none"
        found.append(
            Suggestion(
                None,
                None,
                "no column identifies every row on its own "
                f"(best candidate: {best}); choose the legacy key",
                {},
                kind="key",
            )
        )
    if duplicates and duplicates.exact_duplicate_rows:
        found.append(
            Suggestion(
                None,
                None,
                f"{duplicates.exact_duplicate_rows:,} rows repeat "
                "another row in every column but the key",
                {},
                kind="exact_duplicates",
            )
        )
    if duplicates and duplicates.near_duplicate_share >= 0.01:
        found.append(Suggestion(None, None, _match_advice(duplicates), {}, kind="match"))
    return found


def _match_advice(found: Duplicates) -> str:
    return (
        f"about {found.estimated_records:,} records ({found.near_duplicate_share:.1%}) look "
        f"like near-duplicates: configure match, blocking on {', '.join(found.blocking)} and "
        f"comparing {', '.join(found.compared)}"
    )
