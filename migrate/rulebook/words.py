"""Plain words for the rule book: ops with their arguments, conditions, constraints, matching.

Every phrase is built from the spec itself, so the book a business owner signs says
exactly what the run does. Explicit tables map spec names to words; anything not in
a table is shown as it is written in the YAML.
"""

from __future__ import annotations

from typing import Any

from migrate.spec.condition import Condition
from migrate.spec.mapping import Compare, FieldSource, TargetField
from migrate.spec.match import BlockingKeyPart, Comparison, MatchSpec, MergeSpec, SurvivorRule
from migrate.spec.rules import Step

TYPE_WORDS = {
    "string": "text",
    "integer": "whole number",
    "decimal": "number",
    "date": "date",
    "boolean": "yes/no",
}
COMPARE_OPS = {
    "==": "equals",
    "!=": "differs from",
    "<": "is before / less than",
    "<=": "is at most",
    ">": "is after / more than",
    ">=": "is at least",
}
METHODS = {
    "exact": "equal values",
    "jaro_winkler": "Jaro-Winkler name similarity",
    "levenshtein": "edit-distance similarity",
    "token_set": "same words in any order",
    "partial": "best partial match",
    "numeric": "numeric closeness",
    "date": "closeness in days",
}
TRANSFORMS = {
    "exact": "{field}",
    "prefix": "the first {length} characters of {field}",
    "suffix": "the last {length} characters of {field}",
    "digits": "the digits of {field}",
    "sorted_tokens": "the words of {field} in sorted order",
}
SURVIVOR_RULES = {
    "source_priority": "by system priority",
    "first_non_null": "the first filled value",
    "most_recent": "the most recent value",
    "most_complete": "the most complete record's value",
    "most_frequent": "the value most records agree on",
    "longest": "the longest value",
}
MATCH_MODES = {
    "weights": "a weighted average of the field similarities",
    "fellegi_sunter": "Fellegi-Sunter match weights learned from the data",
}


def value(item: Any) -> str:
    """One argument value as a reader expects it."""
    if isinstance(item, bool):
        return "yes" if item else "no"
    if isinstance(item, dict):
        return ", ".join(f"{value(k)} → {value(v)}" for k, v in item.items())
    if isinstance(item, list | tuple):
        return ", ".join(value(v) for v in item)
    if isinstance(item, str):
        return f"'{item}'" if item.strip() != item or item == "" else item
    return str(item)


def args(arguments: dict[str, Any]) -> str:
    """``{default_region: CN, dayfirst: false}`` -> ``default region: CN; dayfirst: no``."""
    return "; ".join(f"{name.replace('_', ' ')}: {value(v)}" for name, v in arguments.items())


def step(rule: Step, description: str) -> str:
    """What a step does: the op's description, its arguments, and where it writes."""
    text = f"{rule.op}: {description.rstrip('.')}"
    if rule.args:
        text += f" ({args(rule.args)})"
    if rule.into is not None:
        text += f"; writes {', '.join(rule.writes())}"
    return text


def condition(cond: Condition) -> str:
    """A `when` / `where` condition in words."""
    if cond.all is not None:
        return "(" + " and ".join(condition(c) for c in cond.all) + ")"
    if cond.any is not None:
        return "(" + " or ".join(condition(c) for c in cond.any) + ")"
    if cond.not_ is not None:
        return f"not {condition(cond.not_)}"
    if cond.is_null is not None:
        return f"{cond.field} is {'empty' if cond.is_null else 'filled'}"
    if cond.matches is not None:
        return f"{cond.field} matches the pattern {cond.matches}"
    if cond.in_ is not None:
        return f"{cond.field} is one of {', '.join(repr(str(v)) for v in cond.in_)}"
    return f"{cond.field} is {str(cond.equals)!r}"


def compare(check: Compare) -> str:
    """A compare check: ``changed_on is at least created_on``."""
    other = check.other if check.other is not None else repr(str(check.value))
    return f"{check.field} {COMPARE_OPS[check.op]} {other}"


def source(spec: FieldSource | None, written_by: list[str] | None = None) -> str:
    """Where one source fills a field from (or which rule steps write it)."""
    if spec is None and written_by:
        return f"not mapped; written by rule {', '.join(written_by)}"
    if spec is None:
        return "not filled by this source"
    if spec.const is not None:
        return f"always {spec.const!r}"
    text = f"column {spec.column}"
    if spec.map is not None:
        text += f", translated by value map {spec.map}"
    if spec.default is not None:
        text += f"; {spec.default!r} where empty"
    return text


def constraints(field: TargetField) -> str:
    """A target field's type and constraints: ``text, at most 70 characters, required``."""
    parts = [TYPE_WORDS[field.type]]
    if field.length is not None:
        parts.append(f"at most {field.length} characters")
    if field.precision is not None:
        parts.append(f"at most {field.precision} digits, {field.scale or 0} after the point")
    if field.required:
        parts.append("required")
    if field.unique:
        parts.append("unique")
    if field.pattern is not None:
        parts.append(f"format {field.pattern}")
    if field.allowed is not None:
        parts.append(f"one of {', '.join(field.allowed)}")
    if field.check_table is not None:
        parts.append(f"in the target's table {field.check_table.file}")
    if field.min is not None:
        parts.append(f"at least {field.min:g}")
    if field.max is not None:
        parts.append(f"at most {field.max:g}")
    return ", ".join(parts)


def target_check(check: str, field: TargetField | None, fields: tuple[str, ...]) -> str:
    """A check the validate stage makes against the target's declaration of a field."""
    if check == "unique":
        together = " and ".join(fields)
        return "must be unique" if len(fields) == 1 else f"{together} together must be unique"
    if field is None:
        return check
    phrases = {
        "type": f"must be a {TYPE_WORDS[field.type]}",
        "required": "must be filled",
        "length": f"at most {field.length} characters",
        "pattern": f"must have the format {field.pattern}",
        "allowed": f"must be one of {', '.join(field.allowed or [])}",
        "check_table": "must be in the target's table "
        + (field.check_table.file if field.check_table else ""),
        "range": _range(field),
        "precision": f"at most {field.precision} digits, {field.scale or 0} after the point",
    }
    return phrases.get(check, check)


def _range(field: TargetField) -> str:
    if field.min is not None and field.max is not None:
        return f"must be from {field.min:g} to {field.max:g}"
    if field.min is not None:
        return f"must be at least {field.min:g}"
    return f"must be at most {field.max:g}" if field.max is not None else "range"


def on_failure(severity: str, can_fail: bool) -> str:
    """What happens to a row the rule fails."""
    if not can_fail:
        return "never fails"
    return "row rejected" if severity == "reject" else "warning, row kept"


def policy(on_unmapped: str) -> str:
    """A value map's ``on_unmapped`` policy in words."""
    if on_unmapped == "reject":
        return "a value not in the map rejects the row"
    if on_unmapped == "keep":
        return "a value not in the map is kept as it is"
    return f"a value not in the map becomes {on_unmapped.removeprefix('default:')!r}"


def _key_part(part: BlockingKeyPart) -> str:
    return TRANSFORMS[part.transform].format(field=part.field, length=part.length)


def _comparison(item: Comparison) -> str:
    text = f"{item.field} by {METHODS[item.method]} (weight {item.weight:g})"
    if item.either_order_with:
        text += f", in either order with {item.either_order_with}"
    return text


def matching(match: MatchSpec) -> list[str]:
    """The match configuration as sentences."""
    lines = []
    for blocking in match.blocking:
        key = " and ".join(_key_part(part) for part in blocking.key)
        if blocking.window:
            lines.append(
                f"Blocking pass {blocking.name}: pairs records within {blocking.window} places "
                f"of each other when sorted by {key}."
            )
        else:
            lines.append(f"Blocking pass {blocking.name}: pairs records with the same {key}.")
    scored = "; ".join(_comparison(c) for c in match.compare)
    lines.append(f"Each candidate pair is scored by {MATCH_MODES[match.mode]} of: {scored}.")
    t = match.thresholds
    lines.append(
        f"Pairs scoring {t.auto_merge:g} or more merge automatically; pairs from {t.review:g} "
        f"up to {t.auto_merge:g} go to a reviewer; lower pairs stay apart."
    )
    if match.cluster_floor is not None:
        lines.append(f"A cluster whose weakest link scores below {match.cluster_floor:g} is split.")
    return lines


def survivor(rule: SurvivorRule) -> str:
    """How one survivorship rule picks a value."""
    order = ", then ".join(rule.order)
    if rule.rule == "source_priority" and order:
        return f"from {order} (the first of them that has a value)"
    text = SURVIVOR_RULES[rule.rule]
    if rule.by:
        text += f" (by {rule.by})"
    if order:
        text += f"; ties: {order}"
    return text


SURVIVOR_RECORDS = {
    "source_priority": "the record from the system first in priority",
    "first_non_null": "the first record",
    "most_recent": "the most recent record",
    "most_complete": "the record with the most fields filled",
    "most_frequent": "the record that agrees with most other members",
    "longest": "the record with the most characters",
}


def survivor_record(rule: SurvivorRule) -> str:
    """How the surviving record of a cluster is chosen."""
    text = SURVIVOR_RECORDS[rule.rule]
    if rule.by:
        text += f" (by {rule.by})"
    order = ", then ".join(rule.order)
    return text + (f"; systems in the order {order}" if order else "")


def merging(merge: MergeSpec) -> list[str]:
    """The merge (survivorship) configuration as sentences."""
    lines = [
        f"The surviving record of a cluster (its key is the golden key): "
        f"{survivor_record(merge.survivor)}.",
        f"Each field of the golden record, unless listed below: {survivor(merge.default)}.",
    ]
    lines.extend(f"{name}: {survivor(rule)}." for name, rule in merge.fields.items())
    return lines
