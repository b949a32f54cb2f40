"""Scope: cut a pilot batch out of the validated data, with its dependency closure.

A scope selects rows of some objects by a declarative condition (e.g. business
unit 1000). Every master record those rows reference comes along even when it
lies outside the condition, and the plan records which records came in that way
and why. Everything else is out of scope for this batch (not lost: counted).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pandas as pd

from migrate.keys import business_key
from migrate.spec.condition import Condition
from migrate.spec.loader import ObjectSpec, Project
from migrate.stages.base import RunContext, StageResult


@dataclass
class ScopePlan:
    """Golden keys in scope per object, and the records pulled in by references.

    An object in ``by_condition`` (streamed, referenced by nothing) is not listed
    by key: its rows are in scope when they meet the scope's condition.
    """

    name: str
    keys: dict[str, set[str]] = field(default_factory=dict)
    pulled_in: list[dict[str, str]] = field(default_factory=list)
    by_condition: dict[str, Condition | None] = field(default_factory=dict)

    def inside(self, frame: pd.DataFrame, obj: ObjectSpec) -> pd.Series:
        """Which rows of ``frame`` (rows of ``obj``) are in scope."""
        if obj.name in self.by_condition:
            condition = self.by_condition[obj.name]
            if condition is None:
                return pd.Series(False, index=frame.index)
            return condition.mask(frame).fillna(False).astype(bool)
        return business_key(frame, obj.mapping.key).isin(self.keys[obj.name])


Chunks = Callable[[], Iterator[pd.DataFrame]]


def plan(
    project: Project,
    frames: dict[str, pd.DataFrame],
    name: str,
    streamed: dict[str, Chunks] | None = None,
) -> ScopePlan:
    """Work out what scope ``name`` selects across all objects.

    ``streamed`` gives, for objects streamed chunk by chunk, their rows one chunk
    at a time (such an object is referenced by no other object).
    """
    scope = project.model.scopes[name]
    streamed = streamed or {}
    result = ScopePlan(name, {obj: set() for obj in project.objects})
    for obj_name in streamed:
        result.by_condition[obj_name] = scope.where if obj_name in scope.objects else None
    for obj_name in scope.objects:
        if obj_name in streamed:
            continue
        frame = frames[obj_name]
        keys = business_key(frame, project.objects[obj_name].mapping.key)
        result.keys[obj_name] |= set(keys[scope.where.mask(frame)])
    for obj in reversed(list(project.objects.values())):
        parts = streamed[obj.name]() if obj.name in streamed else iter([frames[obj.name]])
        pulled: dict[str, list[dict[str, str]]] = {ref.field: [] for ref in obj.model.references}
        for frame in parts:
            _pull_references(obj, frame, result, pulled)
        for found in pulled.values():
            result.pulled_in.extend(found)
    return result


def _pull_references(
    obj: ObjectSpec,
    frame: pd.DataFrame,
    result: ScopePlan,
    pulled: dict[str, list[dict[str, str]]],
) -> None:
    """Add the records that in-scope rows of ``obj`` reference to the plan."""
    chosen = frame[result.inside(frame, obj)]
    chosen_keys = business_key(chosen, obj.mapping.key)
    for ref in obj.model.references:
        referenced = chosen[ref.field].astype("str")
        new = referenced.notna() & ~referenced.isin(result.keys[ref.object])
        firsts = pd.DataFrame({"key": referenced[new], "by": chosen_keys[new]})
        firsts = firsts.drop_duplicates("key")
        for row in firsts.itertuples(index=False):
            pulled[ref.field].append(
                {
                    "object": ref.object,
                    "key": str(row.key),
                    "referenced_by": obj.name,
                    "by_key": str(row.by),
                    "field": ref.field,
                }
            )
        result.keys[ref.object] |= set(referenced[referenced.notna()])


def run(frame: pd.DataFrame, obj: ObjectSpec, ctx: RunContext) -> tuple[pd.DataFrame, StageResult]:
    """Keep the rows of ``obj`` in the run's scope plan; the rest are out of scope."""
    started = time.perf_counter()
    scope_plan: ScopePlan | None = ctx.extras.get("scope_plan")
    if scope_plan is None:
        return frame, StageResult("scope", obj.name, len(frame), len(frame), 0.0, {"scope": None})
    inside = scope_plan.inside(frame, obj)
    ctx.ledger.out_of_scope(obj.name, frame.loc[~inside, "_rid"], scope_plan.name)
    pulled = sum(1 for p in scope_plan.pulled_in if p["object"] == obj.name)
    return frame[inside], StageResult(
        "scope",
        obj.name,
        len(frame),
        int(inside.sum()),
        time.perf_counter() - started,
        {"scope": scope_plan.name, "pulled_in": pulled},
    )
