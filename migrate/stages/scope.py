"""Scope: cut a pilot batch out of the validated data, with its dependency closure.

A scope selects rows of some objects by a declarative condition (e.g. business
unit 1000). Every master record those rows reference comes along even when it
lies outside the condition, and the plan records which records came in that way
and why. Everything else is out of scope for this batch (not lost: counted).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pandas as pd

from migrate.spec.loader import ObjectSpec, Project
from migrate.stages.base import RunContext, StageResult
from migrate.stages.link import business_key


@dataclass
class ScopePlan:
    """Golden keys in scope per object, and the records pulled in by references."""

    name: str
    keys: dict[str, set[str]] = field(default_factory=dict)
    pulled_in: list[dict[str, str]] = field(default_factory=list)


def plan(project: Project, frames: dict[str, pd.DataFrame], name: str) -> ScopePlan:
    """Work out what scope ``name`` selects across all objects."""
    scope = project.model.scopes[name]
    result = ScopePlan(name, {obj: set() for obj in project.objects})
    for obj_name in scope.objects:
        frame = frames[obj_name]
        keys = business_key(frame, project.objects[obj_name].mapping.key)
        result.keys[obj_name] |= set(keys[scope.where.mask(frame)])
    for obj in reversed(list(project.objects.values())):
        _pull_references(obj, frames, result)
    return result


def _pull_references(obj: ObjectSpec, frames: dict[str, pd.DataFrame], result: ScopePlan) -> None:
    """Add the records that in-scope rows of ``obj`` reference to the plan."""
    frame = frames[obj.name]
    keys = business_key(frame, obj.mapping.key)
    chosen = frame[keys.isin(result.keys[obj.name])]
    chosen_keys = keys[chosen.index]
    for ref in obj.model.references:
        referenced = chosen[ref.field].astype("str")
        new = referenced.notna() & ~referenced.isin(result.keys[ref.object])
        firsts = pd.DataFrame({"key": referenced[new], "by": chosen_keys[new]})
        firsts = firsts.drop_duplicates("key")
        for row in firsts.itertuples(index=False):
            result.pulled_in.append(
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
    keys = business_key(frame, obj.mapping.key)
    inside = keys.isin(scope_plan.keys[obj.name])
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
