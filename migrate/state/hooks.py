"""Read the project's state into a run, and record the run in it at the end.

At the start (``load_state``), for every object with a ``match`` section, the
reviewers' decisions and the golden-key registry go into the run context as
``ctx.extras["decisions:<object>"]`` and ``ctx.extras["golden_keys:<object>"]``.
At the end (``save_state``), the registry of each such object is updated with the
records this run loaded or merged into a loaded record. A project without a
registry (``state.golden_keys: null``) reads and writes none.
"""

from __future__ import annotations

import pandas as pd

from migrate.errors import SpecError
from migrate.review.decisions import read_decisions
from migrate.stages.base import RunContext
from migrate.state.paths import decisions_file, registry_file
from migrate.state.registry import read_registry, record_run, write_registry

LOADED_FATES = ("loaded", "merged")


def _matched(ctx: RunContext) -> list[str]:
    return [name for name, obj in ctx.project.objects.items() if obj.rules.match is not None]


def load_state(ctx: RunContext) -> None:
    """Put each matched object's decisions and registered golden keys into ``ctx.extras``."""
    root, state = ctx.project.root, ctx.project.model.state
    try:
        for name in _matched(ctx):
            ctx.extras[f"decisions:{name}"] = read_decisions(decisions_file(root, state, name))
            ctx.extras[f"golden_keys:{name}"] = read_registry(registry_file(root, state, name))
    except ValueError as error:
        raise SpecError("migration.yaml", "state", str(error)) from None


def save_state(ctx: RunContext) -> dict[str, dict[str, int]]:
    """Record the golden keys of every loaded record; returns counts per object."""
    root, state = ctx.project.root, ctx.project.model.state
    counts: dict[str, dict[str, int]] = {}
    for name in _matched(ctx):
        path = registry_file(root, state, name)
        xref = ctx.xref.get(name)
        if path is None or xref is None:
            continue
        loaded = _loaded(ctx, name, xref)
        registry = ctx.extras.get(f"golden_keys:{name}")
        if registry is None:
            registry = read_registry(path)
        updated, counts[name] = record_run(registry, loaded, ctx.run_id)
        write_registry(path, updated)
    return counts


def _loaded(ctx: RunContext, name: str, xref: pd.DataFrame) -> pd.DataFrame:
    """The cross-reference rows of records that were loaded or merged into a loaded one."""
    rows = ctx.ledger.rows(name)
    fates = rows.set_index(["_system", "_key"])["fate"]
    fates = fates[~fates.index.duplicated(keep="first")]
    keyed = pd.MultiIndex.from_arrays([xref["_system"], xref["_key"]])
    fate = fates.reindex(keyed).to_numpy(dtype=object)
    chosen = xref[pd.Series(fate).isin(LOADED_FATES).to_numpy()]
    return pd.DataFrame(
        {
            "system": chosen["_system"].to_numpy(),
            "legacy_key": chosen["_key"].to_numpy(),
            "golden_key": chosen["golden_key"].to_numpy(),
        }
    )
