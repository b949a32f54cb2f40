"""The count funnel and rejects by rule, from a run's ledger (``report/ledger.csv``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from migrate.errors import SourceError
from migrate.reconcile.model import FunnelLine, RuleLine

LEDGER = "report/ledger.csv"
FATES = ("loaded", "merged", "rejected", "out_of_scope")


def read_ledger(out_dir: Path) -> pd.DataFrame:
    """The run's ledger: one row per legacy row with its object, system and fate."""
    path = Path(out_dir) / LEDGER
    if not path.exists():
        raise SourceError(str(path), "the run's ledger is missing")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def funnel_lines(ledger: pd.DataFrame, scope: str | None) -> tuple[FunnelLine, ...]:
    """Per object and source system: extracted, mapped, then each fate."""
    lines = []
    for (obj, system), rows in ledger.groupby(["object", "_system"], sort=False):
        fate = rows["fate"]
        counts = {name: int((fate == name).sum()) for name in FATES}
        rejected_in_map = int(((fate == "rejected") & (rows["stage"] == "map")).sum())
        lines.append(
            FunnelLine(
                object=str(obj),
                system=str(system),
                scope=scope or "everything",
                extracted=len(rows),
                mapped=len(rows) - rejected_in_map,
                unaccounted=int((~fate.isin(FATES)).sum()),
                **counts,
            )
        )
    return tuple(lines)


def rule_lines(ledger: pd.DataFrame) -> tuple[RuleLine, ...]:
    """Rows rejected per object and rule (the rule that gave each row its fate)."""
    rejected = ledger[ledger["fate"] == "rejected"]
    counts = rejected.groupby(["object", "rule"], sort=True).size()
    return tuple(
        RuleLine(str(index[0]), str(index[1]), int(n))  # type: ignore[index]
        for index, n in counts.items()
    )


def loaded_counts(ledger: pd.DataFrame) -> dict[str, int]:
    """Rows the ledger says were loaded, per object."""
    loaded = ledger[ledger["fate"] == "loaded"]
    return {str(obj): int(n) for obj, n in loaded.groupby("object").size().items()}
