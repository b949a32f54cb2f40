"""The golden-key registry: which golden key each loaded legacy record went under.

One CSV per matched object (``<state>/<object>_golden_keys.csv``, UTF-8) with the
columns ``system, legacy_key, golden_key, first_run, last_run``: ``first_run`` is
the run that first loaded the record under that golden key, ``last_run`` the
latest run that confirmed it. No file means no run has loaded the object yet.

A run reads the registry before matching: records registered under the same
golden key stay together, two golden keys never merge without a reviewer, and the
golden record keeps its registered key (see ``migrate.matching.constraints`` and
``migrate.stages.merge``). At the end of the run every record that was loaded
(or merged into a loaded record) is recorded; records the run did not see, or
did not load, keep their entries.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

COLUMNS = ["system", "legacy_key", "golden_key", "first_run", "last_run"]
IDENTITY_JOIN = "\x1f"


def identity(systems: pd.Series | np.ndarray, keys: pd.Series | np.ndarray) -> pd.Index:
    """One text per record: its legacy system and key."""
    system = pd.Series(np.asarray(systems, dtype=object)).astype("str")
    key = pd.Series(np.asarray(keys, dtype=object)).astype("str")
    return pd.Index((system + IDENTITY_JOIN + key).to_numpy(dtype=object))


def empty() -> pd.DataFrame:
    """A registry with no entries."""
    return pd.DataFrame({name: pd.Series([], dtype="str") for name in COLUMNS})


def read_registry(path: Path | None) -> pd.DataFrame:
    """The registry at ``path`` (empty when there is none yet)."""
    if path is None or not path.exists():
        return empty()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: not a golden-key registry (missing {', '.join(missing)})")
    return frame[COLUMNS]


def write_registry(path: Path, frame: pd.DataFrame) -> Path:
    """Write ``frame`` sorted by system and key; replaced atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ordered = frame[COLUMNS].sort_values(["system", "legacy_key"], kind="stable")
    partial = path.with_name(path.name + ".tmp")
    ordered.to_csv(partial, index=False, encoding="utf-8", lineterminator="\n")
    os.replace(partial, path)
    return path


def labels(registry: pd.DataFrame, records: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """Per record (``identity`` order), the code of its registered golden key (-1: none).

    Returns the codes and the golden key of each code.
    """
    keyed = pd.Series(
        registry["golden_key"].to_numpy(dtype=object),
        index=identity(registry["system"], registry["legacy_key"]),
    )
    found = keyed.reindex(records)
    codes, names = pd.factorize(found, sort=True)
    return np.asarray(codes, dtype=np.int64), np.asarray(names, dtype=object)


def registered_links(codes: np.ndarray, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Links that keep each golden key's present records together: a star per key.

    The star's centre is the key's owner (the record whose own key it is) where
    present, else its first record.
    """
    labelled = np.flatnonzero(codes >= 0)
    if not len(labelled):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    frame = pd.DataFrame(
        {"code": codes[labelled], "owner": ~owners[labelled], "position": labelled}
    ).sort_values(["code", "owner", "position"], kind="stable")
    centre = frame.groupby("code")["position"].transform("first").to_numpy()
    position = frame["position"].to_numpy()
    spoke = position != centre
    return centre[spoke].astype(np.int64), position[spoke].astype(np.int64)


def record_run(
    registry: pd.DataFrame, loaded: pd.DataFrame, run_id: str
) -> tuple[pd.DataFrame, dict[str, int]]:
    """The registry after a run that loaded ``loaded`` (system, legacy_key, golden_key).

    Returns the new registry and counts of new, confirmed and re-keyed entries.
    """
    old = registry.set_index(identity(registry["system"], registry["legacy_key"]))
    new = pd.DataFrame(
        {
            "system": loaded["system"].astype("str").to_numpy(dtype=object),
            "legacy_key": loaded["legacy_key"].astype("str").to_numpy(dtype=object),
            "golden_key": loaded["golden_key"].astype("str").to_numpy(dtype=object),
        },
        index=identity(loaded["system"], loaded["legacy_key"]),
    )
    before = old["golden_key"].reindex(new.index)
    first = old["first_run"].reindex(new.index)
    same = (before == new["golden_key"]).fillna(False).to_numpy(dtype=bool)
    new["first_run"] = np.where(same, first.to_numpy(dtype=object), run_id)
    new["last_run"] = run_id
    counts = {
        "new": int(before.isna().sum()),
        "confirmed": int(same.sum()),
        "rekeyed": int((before.notna().to_numpy() & ~same).sum()),
    }
    kept = old[~old.index.isin(new.index)]
    merged = pd.concat([kept, new[COLUMNS]])
    return merged.reset_index(drop=True)[COLUMNS], counts
