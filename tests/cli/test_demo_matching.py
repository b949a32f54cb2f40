"""The demo's duplicate matching against the generator's truth, and golden keys over runs."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from migrate.cli.main import cli
from tests.cli.demo_project import copy_demo

ERP_CUSTOMERS = "samples/legacy/erp/customers.csv"


def _run(project: Path, out: Path) -> None:
    args = ["run", "--project", str(project), "--out", str(out), "--all", "--quiet", "--no-target"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output


def _ledger(out: Path, obj: str) -> pd.DataFrame:
    ledger = pd.read_csv(out / "report/ledger.csv", dtype=str, keep_default_na=False)
    return ledger[(ledger["object"] == obj) & (ledger["fate"] != "rejected")]


def _pairs(groups: pd.Series) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for _, members in groups.groupby(groups):
        found.update(itertools.combinations(sorted(members.index), 2))
    return found


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    project = copy_demo(tmp_path_factory.mktemp("demo_matching"))
    _run(project, project / "out")
    return project, project / "out"


def test_material_duplicates_match_the_ground_truth(full: tuple[Path, Path]) -> None:
    project, out = full
    materials = _ledger(out, "material")
    found = _pairs(pd.Series(materials["target_key"].to_numpy(), index=materials["_key"]))
    truth = pd.read_csv(project / "samples/truth/material_entities.csv", dtype=str)
    truth = truth[truth["legacy_key"].isin(set(materials["_key"]))]
    expected = _pairs(pd.Series(truth["entity_id"].to_numpy(), index=truth["legacy_key"]))
    hits = len(found & expected)
    precision, recall = hits / max(len(found), 1), hits / max(len(expected), 1)
    assert len(expected) > 30
    assert 2 * precision * recall / (precision + recall) >= 0.99, (precision, recall)


def test_no_hard_negative_pair_is_merged(full: tuple[Path, Path]) -> None:
    project, out = full
    negatives = pd.read_csv(project / "samples/truth/hard_negatives.csv", dtype=str)
    assert set(negatives["object"]) == {"customer", "material"}
    for obj, pairs in negatives.groupby("object"):
        key = _ledger(out, str(obj)).set_index(["_system", "_key"])["target_key"]
        for row in pairs.itertuples():
            a, b = (row.system_a, row.legacy_key_a), (row.system_b, row.legacy_key_b)
            if a in key.index and b in key.index:
                assert key[a] != key[b], (obj, a, b)


def test_a_second_extract_keeps_every_golden_key(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "p")
    whole = (project / ERP_CUSTOMERS).read_bytes()
    lines = whole.split(b"\r\n")
    (project / ERP_CUSTOMERS).write_bytes(b"\r\n".join(lines[:600]) + b"\r\n")
    _run(project, tmp_path / "out1")
    registry = pd.read_csv(project / "state/customer_golden_keys.csv", dtype=str)
    first_keys = _ledger(tmp_path / "out1", "customer").set_index(["_system", "_key"])["target_key"]
    (project / ERP_CUSTOMERS).write_bytes(whole)  # the next extract has every ERP customer
    _run(project, tmp_path / "out2")
    second_keys = _ledger(tmp_path / "out2", "customer").set_index(["_system", "_key"])[
        "target_key"
    ]
    again = first_keys.index.intersection(second_keys.index)
    assert len(again) == len(first_keys) > 500
    assert (second_keys[again] == first_keys[again]).all()
    new = second_keys.index.difference(first_keys.index)
    assert len(new) > 150
    # a new record is keyed by its own key, or joins a golden record (old or new)
    own = set(new.get_level_values(1))
    assert set(second_keys[new]) <= own | set(first_keys)
    assert set(second_keys[new]) & set(first_keys)  # some new records joined old golden records
    after = pd.read_csv(project / "state/customer_golden_keys.csv", dtype=str)
    after = after.set_index(["system", "legacy_key"])
    old = registry.set_index(["system", "legacy_key"])
    assert (after.loc[old.index, "golden_key"] == old["golden_key"]).all()
    assert (after.loc[old.index, "first_run"] == old["first_run"]).all()
    report = json.loads((tmp_path / "out2/report/report.json").read_text("utf-8"))
    customer = next(o for o in report["objects"] if o["name"] == "customer")
    stages = {s["stage"]: s["metrics"] for s in customer["stages"]}
    rekey = stages["match"]["would_rekey"]
    assert stages["merge"]["golden_keys"]["kept_from_registry"] > 500
    review = pd.read_csv(
        tmp_path / "out2/review/customer_review.csv", dtype=str, keep_default_na=False
    )
    assert (review["note"] == "would re-key").sum() == rekey["pairs"]


def test_lineage_names_the_legacy_record_of_each_golden_value(full: tuple[Path, Path]) -> None:
    _, out = full
    lineage = pd.read_csv(out / "load/customer_lineage.csv", dtype=str, keep_default_na=False)
    xref = pd.read_csv(out / "load/customer_xref.csv", dtype=str, keep_default_na=False)
    assert list(lineage.columns) == ["golden_key", "field", "legacy_system", "legacy_key"]
    merged = xref.groupby("golden_key").size()
    merged_keys = set(merged[merged > 1].index)
    assert set(lineage["golden_key"]) == merged_keys  # every merged golden record, nothing else
    columns = ["golden_key", "legacy_system", "legacy_key"]
    members = set(xref[columns].itertuples(index=False, name=None))
    sources = lineage[columns].itertuples(index=False, name=None)
    assert all(source in members for source in sources)  # each value from one of its records
    from_other = lineage.groupby("golden_key")["legacy_key"].nunique()
    assert (from_other > 1).any()  # some golden records take fields from a non-survivor
    manifest = json.loads((out / "load/manifest.json").read_text(encoding="utf-8"))
    assert "load/customer_lineage.csv" in {f["path"] for f in manifest["files"]}
