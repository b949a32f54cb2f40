"""The match stage: clusters, decisions, review file, pairs, metrics, determinism."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from migrate.stages import match
from tests.matching.helpers import make_context, make_frame, make_object

FIELDS = ["name", "phone", "city"]
RECORDS: list[dict[str, Any]] = [
    {"name": "Acme Trading Ltd", "phone": "0211234567", "city": "Shanghai"},  # 0
    {"name": "Acme Trading Ltd", "phone": "0211234567", "city": None, "_system": "CRM"},  # 1
    {"name": "Acme Trading", "phone": "0219999999", "city": "Shanghai", "_system": "CRM"},  # 2
    {"name": "Bolt Motors", "phone": "0105550000", "city": "Beijing"},  # 3
    {"name": "Bolt Motor", "phone": "0105550000", "city": "Beijing", "_system": "CRM"},  # 4
    {"name": "Zenith Foods", "phone": "0755111222", "city": "Shenzhen"},  # 5
]


def _spec(**overrides: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "blocking": [
            {"name": "phone", "key": [{"field": "phone", "transform": "digits"}]},
            {"name": "name3", "key": [{"field": "name", "transform": "prefix", "length": 3}]},
        ],
        "compare": [
            {"field": "name", "method": "jaro_winkler", "weight": 2},
            {"field": "phone", "method": "exact"},
            {"field": "city", "method": "exact"},
        ],
        "thresholds": {"auto_merge": 0.9, "review": 0.6},
    }
    spec.update(overrides)
    return spec


def _run(
    tmp_path: Path, records: list[dict[str, Any]] = RECORDS, **spec: Any
) -> tuple[pd.DataFrame, Any, Any]:
    frame = make_frame(records, FIELDS)
    obj = make_object(FIELDS, match=_spec(**spec))
    ctx = make_context(tmp_path, frame)
    out, result = match.run(frame, obj, ctx)
    return out, result, ctx


def test_without_match_spec_every_row_is_its_own_cluster(tmp_path: Path) -> None:
    frame = make_frame(RECORDS, FIELDS)
    out, result = match.run(frame, make_object(FIELDS), make_context(tmp_path, frame))
    assert out["_cluster"].tolist() == frame["_rid"].tolist()
    assert out["_cluster"].dtype == np.int64
    assert result.rows_in == result.rows_out == len(frame)
    assert result.metrics["clusters"] == 0
    assert not (tmp_path / "review").exists()


def test_clusters_decisions_and_metrics(tmp_path: Path) -> None:
    out, result, ctx = _run(tmp_path)
    assert out["_cluster"].tolist() == [0, 0, 2, 3, 3, 5]
    assert out.drop(columns="_cluster").equals(make_frame(RECORDS, FIELDS))
    pairs = ctx.extras["pairs:customer"]
    assert list(pairs.columns[:5]) == ["rid_a", "rid_b", "score", "decision", "passes"]
    decided = {(a, b): d for a, b, d in pairs[["rid_a", "rid_b", "decision"]].itertuples(False)}
    assert decided == {(0, 1): "match", (0, 2): "review", (1, 2): "review", (3, 4): "match"}
    by_pair = pairs.set_index(["rid_a", "rid_b"])
    # (0,1): name 1.0 (w2), phone 1.0, city missing -> (2 + 1) / 3
    assert by_pair.loc[(0, 1), "score"] == pytest.approx(1.0)
    assert np.isnan(by_pair.loc[(0, 1), "city_sim"])
    assert by_pair.loc[(0, 1), "passes"] == "phone|name3"
    assert by_pair.loc[(0, 2), "passes"] == "name3"
    m = result.metrics
    assert m["pairs_per_pass"] == {"phone": 2, "name3": 4}
    assert (m["candidate_pairs"], m["matches"], m["reviews"], m["distinct"]) == (4, 2, 2, 0)
    assert (m["clusters"], m["rows_in_clusters"], m["largest_cluster"]) == (2, 4, 2)
    assert m["skipped_blocks"] == 0
    assert set(m["seconds"]) == {"blocking", "scoring", "clustering", "review"}
    assert m["decisions"]["applied"] == 0 and m["would_rekey"]["pairs"] == 0


def test_score_renormalises_missing_comparisons(tmp_path: Path) -> None:
    records: list[dict[str, Any]] = [
        {"name": "Acme", "phone": None, "city": None},
        {"name": "Acme", "phone": "1", "city": "X"},
    ]
    _, _, ctx = _run(tmp_path, records, blocking=[{"name": "n", "key": [{"field": "name"}]}])
    pair = ctx.extras["pairs:customer"].iloc[0]
    assert pair["score"] == pytest.approx(1.0)
    assert pair["name_contrib"] == pytest.approx(1.0)


def test_thresholds_split_match_review_distinct(tmp_path: Path) -> None:
    spec = {"auto_merge": 0.99, "review": 0.7}
    _, result, ctx = _run(tmp_path, thresholds=spec)
    pairs = ctx.extras["pairs:customer"]
    expected = np.select(
        [pairs["score"] >= 0.99, pairs["score"] >= 0.7], ["match", "review"], "distinct"
    )
    assert pairs["decision"].tolist() == expected.tolist()
    assert set(pairs["decision"]) == {"match", "review", "distinct"}
    assert result.metrics["reviews"] == int((pairs["decision"] == "review").sum())


def test_review_file(tmp_path: Path) -> None:
    out, _, ctx = _run(tmp_path)
    path = tmp_path / "review" / "customer_review.csv"
    review = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert review.columns.tolist() == [
        "pair_id",
        "rid_a",
        "system_a",
        "key_a",
        "rid_b",
        "system_b",
        "key_b",
        "name_a",
        "name_b",
        "name_sim",
        "name_contrib",
        "phone_a",
        "phone_b",
        "phone_sim",
        "phone_contrib",
        "city_a",
        "city_b",
        "city_sim",
        "city_contrib",
        "score",
        "passes",
        "same_cluster",
        "note",
        "decision",
    ]
    assert review["pair_id"].tolist() == ["0-2", "1-2"]  # equal scores: by rid
    first = review.iloc[0]
    assert (first["system_a"], first["key_a"], first["system_b"], first["key_b"]) == (
        "ERP",
        "ERP-0",
        "CRM",
        "CRM-2",
    )
    assert (first["name_a"], first["name_b"]) == ("Acme Trading Ltd", "Acme Trading")
    assert (first["phone_sim"], first["city_sim"]) == ("0.0", "1.0")
    assert (review["decision"] == "").all()
    assert float(first["score"]) == pytest.approx(
        ctx.extras["pairs:customer"].set_index(["rid_a", "rid_b"]).loc[(0, 2), "score"], abs=1e-4
    )
    # review pairs are not merged
    assert out.loc[2, "_cluster"] == 2


def test_review_files_mask_personal_fields_but_score_the_real_values(tmp_path: Path) -> None:
    frame = make_frame(RECORDS, FIELDS)
    obj = make_object(FIELDS, match=_spec(), personal=frozenset({"phone"}))
    match.run(frame, obj, make_context(tmp_path, frame))
    review = pd.read_csv(tmp_path / "review" / "customer_review.csv", dtype=str)
    first = review.iloc[0]
    assert (first["phone_a"], first["phone_b"]) == ("0********7", "0********9")
    assert first["phone_sim"] == "0.0"
    assert (first["name_a"], first["name_b"]) == ("Acme Trading Ltd", "Acme Trading")
    workbook = pd.read_excel(
        tmp_path / "review" / "customer_review.xlsx", sheet_name=None, engine="calamine"
    )
    shown = pd.concat(workbook.values()).astype(str).to_numpy().ravel().tolist()
    assert "0211234567" not in shown and "0219999999" not in shown


def test_oversized_block_reported(tmp_path: Path) -> None:
    records = [{"name": f"N/A {i}", "phone": "000", "city": "X"} for i in range(4)]
    blocking = [{"name": "phone", "key": [{"field": "phone"}], "max_block": 3}]
    out, result, _ = _run(tmp_path, records, blocking=blocking)
    assert result.metrics["skipped_blocks"] == 1
    assert result.metrics["skipped_block_list"] == [{"pass": "phone", "key": "000", "size": 4}]
    assert "'000' has 4 rows" in result.metrics["warnings"][0]
    assert result.metrics["candidate_pairs"] == 0
    assert out["_cluster"].tolist() == [0, 1, 2, 3]


def test_chaining_guard_splits_chain(tmp_path: Path) -> None:
    # A~B and B~C match on name, A and C are far apart: without a floor all three chain.
    records = [
        {"name": "ABCDEFGHIJ", "phone": "1", "city": "X"},
        {"name": "ABCDEFGHXX", "phone": "1", "city": "X"},
        {"name": "ABCDEFXXXX", "phone": "1", "city": "X"},
    ]
    spec: dict[str, Any] = {
        "blocking": [{"name": "phone", "key": [{"field": "phone"}]}],
        "compare": [{"field": "name", "method": "levenshtein"}],
        "thresholds": {"auto_merge": 0.75, "review": 0.5},
    }
    out, result, _ = _run(tmp_path, records, **spec)
    assert out["_cluster"].tolist() == [0, 0, 0]
    out, result, ctx = _run(tmp_path, records, **spec, cluster_floor=0.7)
    assert out["_cluster"].tolist() == [0, 0, 2]
    assert (result.metrics["clusters_split"], result.metrics["edges_cut"]) == (1, 1)
    pairs = ctx.extras["pairs:customer"].set_index(["rid_a", "rid_b"])
    assert bool(pairs.loc[(1, 2), "cut"]) and not bool(pairs.loc[(0, 1), "cut"])


def test_cluster_ids_stable_and_independent_of_row_order(tmp_path: Path) -> None:
    out1, r1, ctx1 = _run(tmp_path / "a")
    out2, r2, ctx2 = _run(tmp_path / "b")
    assert out1.equals(out2)
    timeless = [
        {k: v for k, v in r.metrics.items() if k not in ("seconds", "review_file")}
        for r in (r1, r2)
    ]
    assert timeless[0] == timeless[1]
    assert ctx1.extras["pairs:customer"].equals(ctx2.extras["pairs:customer"])
    review1 = (tmp_path / "a" / "review" / "customer_review.csv").read_bytes()
    assert review1 == (tmp_path / "b" / "review" / "customer_review.csv").read_bytes()
    frame = make_frame(RECORDS, FIELDS).iloc[::-1]
    out3, _ = match.run(frame, make_object(FIELDS, match=_spec()), make_context(tmp_path / "c"))
    assert out3["_cluster"].sort_index().tolist() == out1["_cluster"].tolist()
    assert out3.index.tolist() == frame.index.tolist()


def test_fellegi_sunter_mode(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    letters = list("abcdefghijklmnop")
    records = []
    for i in range(60):
        name = "".join(rng.choice(letters, 7))
        phone = f"{1000 + i}"
        records.append({"name": name, "phone": phone, "city": "X"})
        records.append({"name": name[:-1] + "z", "phone": phone, "city": "X", "_system": "CRM"})
    spec = _spec(
        mode="fellegi_sunter",
        blocking=[{"name": "city", "key": [{"field": "city"}]}],
        thresholds={"auto_merge": 0.9, "review": 0.5},
    )
    out, result, ctx = _run(tmp_path, records, **spec)
    assert out["_cluster"].tolist() == [2 * (i // 2) for i in range(120)]
    model = result.metrics["fellegi_sunter"]
    assert set(model) == {"prior", "iterations", "u_from", "m", "u"}
    assert model["u_from"] == "candidate pairs"
    pairs = ctx.extras["pairs:customer"]
    assert pairs["score"].between(0, 1).all()
    assert np.isfinite(pairs["phone_contrib"]).all()


def test_fellegi_sunter_finds_nothing_without_duplicates(tmp_path: Path) -> None:
    rng = np.random.default_rng(8)
    letters = list("abcdefghij")
    records = [
        {
            "name": "".join(rng.choice(letters, 6)),
            "phone": str(1000 + i),
            "city": str(rng.choice(["X", "Y"])),
        }
        for i in range(400)
    ]
    spec = _spec(
        mode="fellegi_sunter",
        blocking=[
            {"name": "snm", "key": [{"field": "name"}], "window": 4},
            {
                "name": "city",
                "key": [{"field": "city"}, {"field": "name", "transform": "prefix", "length": 1}],
            },
        ],
    )
    out, result, _ = _run(tmp_path, records, **spec)
    assert result.metrics["candidate_pairs"] > 1000
    assert result.metrics["matches"] == 0
    assert out["_cluster"].tolist() == list(range(400))


@pytest.mark.parametrize("mode", ["weights", "fellegi_sunter"])
def test_empty_and_single_row_frames(tmp_path: Path, mode: str) -> None:
    for records in ([], RECORDS[:1]):
        out, result, _ = _run(tmp_path, records, mode=mode, cluster_floor=0.5)
        assert out["_cluster"].tolist() == list(range(len(records)))
        assert result.metrics["candidate_pairs"] == 0 and result.metrics["clusters"] == 0


def _registry(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["system", "legacy_key", "golden_key"])
    return frame.assign(first_run="r1", last_run="r1")


def test_match_across_two_registered_golden_keys_goes_to_review(tmp_path: Path) -> None:
    frame = make_frame(RECORDS, FIELDS)
    ctx = make_context(tmp_path, frame)
    # 0 and 1 score as a match, but an earlier run loaded them as two golden records.
    ctx.extras["golden_keys:customer"] = _registry(
        [("ERP", "ERP-0", "Acme Trading Ltd"), ("CRM", "CRM-1", "Acme Trading Ltd|2")]
    )
    out, result = match.run(frame, make_object(FIELDS, match=_spec()), ctx)
    assert out["_cluster"].tolist() == [0, 1, 2, 3, 3, 5]
    pair = ctx.extras["pairs:customer"].set_index(["rid_a", "rid_b"]).loc[(0, 1)]
    assert (pair["decision"], pair["note"]) == ("review", "would re-key")
    rekey = result.metrics["would_rekey"]
    assert (rekey["pairs"], rekey["golden_key_pairs"]) == (1, 1)
    assert rekey["examples"][0]["golden_keys"] == ["Acme Trading Ltd", "Acme Trading Ltd|2"]
    assert rekey["examples"][0]["records"] == ["ERP:ERP-0", "CRM:CRM-1"]
    assert any("different golden keys" in w for w in result.metrics["warnings"])
    review = pd.read_csv(tmp_path / "review" / "customer_review.csv", dtype=str)
    assert review.set_index("pair_id").loc["0-1", "note"] == "would re-key"


def test_records_registered_together_stay_together(tmp_path: Path) -> None:
    frame = make_frame(RECORDS, FIELDS)
    ctx = make_context(tmp_path, frame)
    # 3 and 5 were merged by an earlier run (say, before a rule change): they stay merged.
    ctx.extras["golden_keys:customer"] = _registry(
        [("ERP", "ERP-3", "Bolt Motors"), ("ERP", "ERP-5", "Bolt Motors")]
    )
    out, result = match.run(frame, make_object(FIELDS, match=_spec()), ctx)
    assert out["_cluster"].tolist() == [0, 0, 2, 3, 3, 3]
    assert result.metrics["golden_keys"] == {"registered_records": 2, "registered_keys": 1}
