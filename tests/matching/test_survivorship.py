"""Survivorship rules, each with its tie-breaks, through the merge stage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from migrate.stages import merge
from tests.matching.helpers import make_context, make_frame, make_object

FIELDS = ["id", "name", "phone", "email", "address", "updated"]
RECORDS: list[dict[str, Any]] = [
    {
        "id": "E1",
        "name": "Acme",
        "phone": None,
        "email": "a@x.com",
        "address": "1 Main St",
        "updated": "2023-01-01",
        "_system": "ERP",
    },
    {
        "id": "C1",
        "name": "ACME Ltd",
        "phone": "555",
        "email": "b@x.com",
        "address": "1 Main Street",
        "updated": "2024-05-01",
        "_system": "CRM",
    },
    {
        "id": "C2",
        "name": "Acme",
        "phone": "555",
        "email": None,
        "address": None,
        "updated": None,
        "_system": "CRM",
    },
    {
        "id": "W1",
        "name": "Acme Trading",
        "phone": "777",
        "email": "b@x.com",
        "address": "1 Main St.",
        "updated": "2024-05-01",
        "_system": "WEB",
    },
    {
        "id": "E9",
        "name": "Other",
        "phone": "999",
        "email": None,
        "address": None,
        "updated": None,
        "_system": "ERP",
    },
]
CLUSTERS = [0, 0, 0, 0, 4]


def golden(
    tmp_path: Path,
    spec: dict[str, Any] | None,
    records: list[dict[str, Any]] = RECORDS,
    clusters: list[int] = CLUSTERS,
) -> tuple[pd.Series, pd.DataFrame]:
    """The golden row of cluster 0 (by field) and the lineage."""
    frame = make_frame(records, FIELDS)
    frame["_cluster"] = clusters
    ctx = make_context(tmp_path, frame)
    out, _ = merge.run(frame, make_object(FIELDS, key=["id"], merge=spec), ctx)
    lineage = ctx.extras["lineage:customer"]
    in_cluster_0 = [rid for rid, cluster in enumerate(clusters) if cluster == 0]
    rows = out.loc[out["_rid"].isin(in_cluster_0)]
    assert len(rows) == 1
    return rows.iloc[0], lineage


def source_of(lineage: pd.DataFrame, field: str) -> str:
    return str(lineage.set_index("field").loc[field, "_key"])


def test_defaults_earliest_rid_and_first_non_null(tmp_path: Path) -> None:
    row, lineage = golden(tmp_path, None)
    assert (row["_rid"], row["id"], row["_system"], row["_key"]) == (0, "E1", "ERP", "ERP-0")
    assert row[["name", "email", "address", "updated"]].tolist() == [
        "Acme",
        "a@x.com",
        "1 Main St",
        "2023-01-01",
    ]
    assert row["phone"] == "555"  # survivor has none: next in survivor-first order (rid 1)
    assert source_of(lineage, "phone") == "CRM-1"
    assert source_of(lineage, "id") == "ERP-0"


def test_survivor_source_priority(tmp_path: Path) -> None:
    row, _ = golden(tmp_path, {"survivor": {"rule": "source_priority", "order": ["CRM", "ERP"]}})
    assert row["id"] == "C1"  # both CRM rows rank first: earliest _rid wins
    row, _ = golden(tmp_path, {"survivor": {"order": ["WEB", "CRM"]}})
    assert row["id"] == "W1"
    row, _ = golden(tmp_path, {"survivor": {"order": ["SAP"]}})
    assert row["id"] == "E1"  # no listed system present: earliest _rid


def test_survivor_most_recent(tmp_path: Path) -> None:
    row, _ = golden(tmp_path, {"survivor": {"rule": "most_recent", "by": "updated"}})
    assert row["id"] == "C1"  # C1 and W1 tie on the date: earliest _rid
    spec = {"survivor": {"rule": "most_recent", "by": "updated", "order": ["WEB"]}}
    row, _ = golden(tmp_path, spec)
    assert row["id"] == "W1"  # tie broken by system order
    # a record without a date never beats one with a date
    records = [
        dict(r, updated=None) if r["id"] != "C2" else dict(r, updated="2020-01-01") for r in RECORDS
    ]
    row, _ = golden(tmp_path, {"survivor": {"rule": "most_recent", "by": "updated"}}, records)
    assert row["id"] == "C2"


def test_survivor_most_complete_longest_most_frequent(tmp_path: Path) -> None:
    row, _ = golden(tmp_path, {"survivor": {"rule": "most_complete"}})
    assert row["id"] == "C1"  # C1 and W1 fill all fields: earliest _rid
    row, _ = golden(tmp_path, {"survivor": {"rule": "most_complete", "order": ["WEB"]}})
    assert row["id"] == "W1"
    row, _ = golden(tmp_path, {"survivor": {"rule": "longest"}})
    assert row["id"] == "W1"  # most characters overall (42 against C1's 41)
    row, _ = golden(tmp_path, {"survivor": {"rule": "most_frequent"}})
    assert row["id"] == "C1"  # agrees with others on phone and email


def test_field_most_frequent_with_tie(tmp_path: Path) -> None:
    spec = {"default": {"rule": "most_frequent"}}
    row, lineage = golden(tmp_path, spec)
    assert row["email"] == "b@x.com" and source_of(lineage, "email") == "CRM-1"
    assert row["phone"] == "555" and source_of(lineage, "phone") == "CRM-1"
    assert row["name"] == "Acme" and source_of(lineage, "name") == "ERP-0"
    # every address differs: the survivor's value wins the tie
    assert row["address"] == "1 Main St" and source_of(lineage, "address") == "ERP-0"
    other: dict[str, Any] = {"survivor": {"order": ["WEB"]}, "default": {"rule": "most_frequent"}}
    row, lineage = golden(tmp_path, other)
    assert row["address"] == "1 Main St." and source_of(lineage, "address") == "WEB-3"
    assert row["email"] == "b@x.com" and source_of(lineage, "email") == "WEB-3"


def test_field_longest_with_tie(tmp_path: Path) -> None:
    row, lineage = golden(
        tmp_path, {"fields": {"address": {"rule": "longest"}, "email": {"rule": "longest"}}}
    )
    assert row["address"] == "1 Main Street" and source_of(lineage, "address") == "CRM-1"
    # all emails are 7 characters: survivor first
    assert row["email"] == "a@x.com" and source_of(lineage, "email") == "ERP-0"


def test_field_source_priority_and_first_non_null(tmp_path: Path) -> None:
    spec = {
        "fields": {
            "phone": {"rule": "source_priority", "order": ["WEB", "CRM"]},
            "name": {"rule": "source_priority", "order": ["CRM"]},
        },
        "default": {"rule": "first_non_null"},
    }
    row, lineage = golden(tmp_path, spec)
    assert row["phone"] == "777" and source_of(lineage, "phone") == "WEB-3"
    assert row["name"] == "ACME Ltd" and source_of(lineage, "name") == "CRM-1"  # CRM tie: rid
    assert row["email"] == "a@x.com"


def test_field_most_recent_and_most_complete(tmp_path: Path) -> None:
    spec = {
        "fields": {
            "phone": {"rule": "most_recent", "by": "updated"},
            "name": {"rule": "most_recent", "by": "updated", "order": ["WEB"]},
            "address": {"rule": "most_complete"},
        }
    }
    row, lineage = golden(tmp_path, spec)
    assert row["phone"] == "555" and source_of(lineage, "phone") == "CRM-1"  # tie: rid
    assert row["name"] == "Acme Trading" and source_of(lineage, "name") == "WEB-3"
    assert row["address"] == "1 Main Street" and source_of(lineage, "address") == "CRM-1"


def test_rules_apply_per_cluster(tmp_path: Path) -> None:
    records = [
        *RECORDS,
        {"id": "E5", "name": "Bolt", "phone": None, "_system": "ERP"},
        {"id": "C5", "name": "Bolt Motors", "phone": "123", "_system": "CRM"},
    ]
    frame = make_frame(records, FIELDS)
    frame["_cluster"] = [*CLUSTERS, 5, 5]
    spec = {"survivor": {"order": ["CRM"]}, "default": {"rule": "longest"}}
    out, result = merge.run(
        frame, make_object(FIELDS, key=["id"], merge=spec), make_context(tmp_path, frame)
    )
    assert out["id"].tolist() == ["C1", "E9", "C5"]
    assert out["_rid"].tolist() == out.index.tolist() == [1, 4, 6]
    assert out.loc[6, "name"] == "Bolt Motors" and out.loc[1, "name"] == "Acme Trading"
    assert result.metrics["clusters_merged"] == 2
