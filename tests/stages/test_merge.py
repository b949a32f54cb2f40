"""The merge stage: golden records, members, cross-reference, lineage, metrics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from migrate.stages import match, merge
from tests.matching.helpers import make_context, make_frame, make_object

FIELDS = ["code", "branch", "name", "phone"]
RECORDS: list[dict[str, Any]] = [
    {"code": "E1", "branch": "SH", "name": "Acme", "phone": None, "_system": "ERP"},  # 0
    {"code": "C7", "branch": "SH", "name": "Acme Ltd", "phone": "555", "_system": "CRM"},  # 1
    {"code": "Z1", "branch": "BJ", "name": "Zeta", "phone": "111", "_system": "ERP"},  # 2
    {"code": "C8", "branch": None, "name": "Acme", "phone": "556", "_system": "CRM"},  # 3
    {"code": "B1", "branch": "GZ", "name": "Bolt", "phone": None, "_system": "ERP"},  # 4
    {"code": "B2", "branch": "GZ", "name": "Bolt Motors", "phone": "777", "_system": "CRM"},  # 5
]
CLUSTERS = [0, 0, 2, 0, 4, 4]
SPEC = {"survivor": {"order": ["CRM", "ERP"]}, "fields": {"name": {"rule": "longest"}}}


def _run(tmp_path: Path, spec: dict[str, Any] | None = SPEC) -> tuple[pd.DataFrame, Any, Any]:
    frame = make_frame(RECORDS, FIELDS)
    frame["_cluster"] = CLUSTERS
    ctx = make_context(tmp_path, frame)
    obj = make_object(FIELDS, key=["code", "branch"], merge=spec)
    out, result = merge.run(frame, obj, ctx)
    return out, result, ctx


def test_golden_rows_and_singletons(tmp_path: Path) -> None:
    out, result, _ = _run(tmp_path)
    frame = make_frame(RECORDS, FIELDS)
    assert out.index.tolist() == out["_rid"].tolist() == [1, 2, 5]
    assert "_cluster" not in out.columns
    assert list(out.columns) == list(frame.columns)
    assert out.loc[[2]].equals(frame.loc[[2]])  # singleton unchanged
    acme = out.loc[1]
    assert (acme["_system"], acme["_key"], acme["code"], acme["branch"]) == (
        "CRM",
        "CRM-1",
        "C7",
        "SH",
    )
    assert (acme["name"], acme["phone"]) == ("Acme Ltd", "555")
    bolt = out.loc[5]
    assert (bolt["code"], bolt["name"], bolt["phone"]) == ("B2", "Bolt Motors", "777")
    assert out.dtypes.equals(frame.dtypes)
    assert (result.rows_in, result.rows_out) == (6, 3)


def test_members_xref_and_lineage(tmp_path: Path) -> None:
    _, _, ctx = _run(tmp_path)
    members = ctx.ledger.members("customer")
    assert members.to_dict("list") == {
        "_rid": [0, 3, 4],
        "survivor_rid": [1, 1, 5],
        "golden_key": ["C7|SH", "C7|SH", "B2|GZ"],
    }
    xref = ctx.xref["customer"]
    assert list(xref.columns) == ["_system", "_key", "golden_key"]
    assert len(xref) == len(RECORDS)
    assert xref["golden_key"].tolist() == ["C7|SH", "C7|SH", "Z1|BJ", "C7|SH", "B2|GZ", "B2|GZ"]
    assert xref["_key"].tolist() == [f"{r['_system']}-{i}" for i, r in enumerate(RECORDS)]
    lineage = ctx.extras["lineage:customer"]
    assert list(lineage.columns) == ["golden_key", "field", "_system", "_key"]
    rows = set(lineage.itertuples(index=False, name=None))
    assert rows == {
        ("C7|SH", "code", "CRM", "CRM-1"),
        ("C7|SH", "branch", "CRM", "CRM-1"),
        ("C7|SH", "name", "CRM", "CRM-1"),
        ("C7|SH", "phone", "CRM", "CRM-1"),
        ("B2|GZ", "code", "CRM", "CRM-5"),
        ("B2|GZ", "branch", "CRM", "CRM-5"),
        ("B2|GZ", "name", "CRM", "CRM-5"),
        ("B2|GZ", "phone", "CRM", "CRM-5"),
    }


def test_defaults_without_merge_spec(tmp_path: Path) -> None:
    out, result, ctx = _run(tmp_path, None)
    acme = out.loc[0]
    assert (acme["code"], acme["name"], acme["phone"]) == ("E1", "Acme", "555")
    lineage = ctx.extras["lineage:customer"].set_index(["golden_key", "field"])
    assert lineage.loc[("E1|SH", "phone"), "_key"] == "CRM-1"
    m = result.metrics
    assert (m["clusters_merged"], m["rows_merged_away"]) == (2, 3)
    assert m["fields_from_non_survivor"] == 2  # Acme's and Bolt's phone
    assert m["fields_from_non_survivor_by_field"] == {"phone": 2}


def test_no_clusters(tmp_path: Path) -> None:
    frame = make_frame(RECORDS, FIELDS)
    ctx = make_context(tmp_path, frame)
    out, result = merge.run(frame, make_object(FIELDS, key=["code"]), ctx)
    assert out.equals(frame)
    assert ctx.ledger.members("customer").empty
    assert ctx.xref["customer"]["golden_key"].tolist() == [r["code"] for r in RECORDS]
    assert ctx.extras["lineage:customer"].empty
    assert result.metrics["clusters_merged"] == 0


def test_deterministic(tmp_path: Path) -> None:
    first = _run(tmp_path / "a")
    second = _run(tmp_path / "b")
    assert first[0].equals(second[0])
    assert first[2].xref["customer"].equals(second[2].xref["customer"])
    lineage = "lineage:customer"
    assert first[2].extras[lineage].equals(second[2].extras[lineage])


def test_match_then_merge(tmp_path: Path) -> None:
    fields = ["code", "name", "phone"]
    records = [
        {"code": "1", "name": "Acme Trading", "phone": "555"},
        {"code": "2", "name": "Acme Trading Co", "phone": "555", "_system": "CRM"},
        {"code": "3", "name": "Zeta", "phone": "999"},
    ]
    frame = make_frame(records, fields)
    spec = {
        "blocking": [{"name": "phone", "key": [{"field": "phone"}]}],
        "compare": [
            {"field": "name", "method": "token_set"},
            {"field": "phone", "method": "exact"},
        ],
        "thresholds": {"auto_merge": 0.9, "review": 0.7},
    }
    obj = make_object(fields, key=["code"], match=spec, merge={"default": {"rule": "longest"}})
    ctx = make_context(tmp_path, frame)
    clustered, _ = match.run(frame, obj, ctx)
    out, _ = merge.run(clustered, obj, ctx)
    assert out["code"].tolist() == ["1", "3"]
    assert out.loc[0, "name"] == "Acme Trading Co"
    assert ctx.xref["customer"]["golden_key"].tolist() == ["1", "1", "3"]


def test_empty_frame(tmp_path: Path) -> None:
    frame = make_frame([], FIELDS)
    frame["_cluster"] = frame["_rid"]
    ctx = make_context(tmp_path, frame)
    out, result = merge.run(frame, make_object(FIELDS, key=["code"]), ctx)
    assert out.empty and ctx.xref["customer"].empty
    assert result.metrics["clusters_merged"] == 0


def _registered(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["system", "legacy_key", "golden_key"])
    return frame.assign(first_run="r1", last_run="r1")


def _run_registered(
    tmp_path: Path, registry: pd.DataFrame, clusters: list[int] = CLUSTERS
) -> tuple[pd.DataFrame, Any, Any]:
    frame = make_frame(RECORDS, FIELDS)
    frame["_cluster"] = clusters
    ctx = make_context(tmp_path, frame)
    ctx.extras["golden_keys:customer"] = registry
    obj = make_object(FIELDS, key=["code", "branch"], merge=SPEC)
    out, result = merge.run(frame, obj, ctx)
    return out, result, ctx


def test_registered_golden_key_is_kept_and_its_owner_survives(tmp_path: Path) -> None:
    # CRM comes first in the survivor order, but the cluster was loaded under ERP's key.
    registry = _registered([("ERP", "ERP-0", "E1|SH"), ("CRM", "CRM-1", "E1|SH")])
    out, result, ctx = _run_registered(tmp_path, registry)
    assert out.index.tolist() == [0, 2, 5]
    assert (out.loc[0, "code"], out.loc[0, "branch"], out.loc[0, "name"]) == (
        "E1",
        "SH",
        "Acme Ltd",
    )
    xref = ctx.xref["customer"].set_index("_key")["golden_key"]
    assert xref[["ERP-0", "CRM-1", "CRM-3"]].tolist() == ["E1|SH"] * 3  # CRM-3 is new: joins
    assert result.metrics["golden_keys"]["kept_from_registry"] == 1


def test_registered_key_without_its_owner_is_written_into_the_key_fields(tmp_path: Path) -> None:
    registry = _registered([("CRM", "CRM-1", "X9|PD"), ("ERP", "ERP-2", "Z1|BJ")])
    out, _, ctx = _run_registered(tmp_path, registry)
    assert (out.loc[1, "code"], out.loc[1, "branch"]) == ("X9", "PD")
    assert ctx.xref["customer"].set_index("_key").loc["ERP-0", "golden_key"] == "X9|PD"


def test_a_split_gives_the_split_off_record_its_own_key_back(tmp_path: Path) -> None:
    # B1 and B2 were loaded as one golden record; this run (a reviewer's no-match) splits them.
    registry = _registered([("ERP", "ERP-4", "B1|GZ"), ("CRM", "CRM-5", "B1|GZ")])
    out, result, ctx = _run_registered(tmp_path, registry, [0, 0, 2, 0, 4, 5])
    xref = ctx.xref["customer"].set_index("_key")["golden_key"]
    assert (xref["ERP-4"], xref["CRM-5"]) == ("B1|GZ", "B2|GZ")
    assert (out.loc[5, "code"], out.loc[5, "branch"]) == ("B2", "GZ")
    keys = result.metrics["golden_keys"]
    assert keys["records_split_off"] == 1 and keys["split"][0]["golden_key"] == "B1|GZ"


def test_without_clusters_rows_pass_through_as_the_full_merge_leaves_them(
    tmp_path: Path, monkeypatch: Any
) -> None:
    def run(fast: bool, folder: Path) -> tuple[pd.DataFrame, Any, Any]:
        frame = make_frame(RECORDS, FIELDS).iloc[::-1]  # out of _rid order
        frame["_cluster"] = frame["_rid"]
        ctx = make_context(folder, frame)
        obj = make_object(FIELDS, key=["code", "branch"])
        if not fast:
            monkeypatch.setattr(merge, "_nothing_to_merge", lambda *args: False)
        out, result = merge.run(frame, obj, ctx)
        monkeypatch.undo()
        return out, result, ctx

    fast_out, fast, fast_ctx = run(True, tmp_path / "fast")
    full_out, full, full_ctx = run(False, tmp_path / "full")
    pd.testing.assert_frame_equal(fast_out, full_out)
    assert fast.metrics == full.metrics
    assert fast.metrics["golden_keys"]["new"] == len(RECORDS)
    pd.testing.assert_frame_equal(fast_ctx.xref["customer"], full_ctx.xref["customer"])
    assert fast_ctx.ledger.members("customer").empty and full_ctx.ledger.members("customer").empty
    fast_lineage, full_lineage = (c.extras["lineage:customer"] for c in (fast_ctx, full_ctx))
    assert fast_lineage.empty and list(fast_lineage.columns) == list(full_lineage.columns)
