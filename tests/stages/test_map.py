"""Map: columns to fields, constants, defaults, value maps with their unmapped policies."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from migrate.stages import map as map_stage
from tests.stages.factory import context, legacy_frame, object_spec

FIELDS = {"id": {}, "unit": {}, "country": {}, "note": {}}


def _spec(policy: str = "reject"):  # type: ignore[no-untyped-def]
    return object_spec(
        "thing",
        FIELDS,
        key=["id"],
        sources={
            "src": {
                "id": "k",
                "unit": {"column": "U", "map": "unit"},
                "country": {"const": "CN"},
                "note": {"column": "N", "default": "-"},
            }
        },
        value_maps={
            "unit": {
                "values": {"个": "PC", "KG": "KG"},
                "on_unmapped": policy,
                "rule_id": "M-1",
                "owner": "Supply",
            }
        },
    )


def _frame() -> pd.DataFrame:
    return legacy_frame(
        [
            {"k": "1", "U": "个", "N": "x"},
            {"k": "2", "U": "盒", "N": "  "},
            {"k": "3", "U": " KG ", "N": None},
            {"k": "4", "U": "盒", "N": "y"},
            {"k": "5", "U": None, "N": "z"},
        ]
    )


def test_maps_columns_constants_and_defaults(tmp_path: Path) -> None:
    spec = _spec("keep")
    ctx = context(tmp_path, spec)
    ctx.ledger.register("thing", _frame())
    out, result = map_stage.run(_frame(), spec, ctx)
    assert out["id"].tolist() == ["1", "2", "3", "4", "5"]
    assert out["country"].tolist() == ["CN"] * 5
    assert out["note"].tolist()[:3] == ["x", "-", "-"]
    assert out["unit"].tolist()[:4] == ["PC", "盒", "KG", "盒"]
    assert pd.isna(out["unit"].iloc[4])
    assert result.rows_out == 5


def test_unmapped_values_are_rejected_with_their_value_and_counted(tmp_path: Path) -> None:
    spec = _spec("reject")
    ctx = context(tmp_path, spec)
    ctx.ledger.register("thing", _frame())
    out, result = map_stage.run(_frame(), spec, ctx)
    assert out["id"].tolist() == ["1", "3", "5"]
    findings = ctx.ledger.findings("thing")
    assert findings["rule"].tolist() == ["M-1", "M-1"]
    assert findings["value"].tolist() == ["盒", "盒"]
    assert findings["owner"].tolist() == ["Supply", "Supply"]
    assert "unit '盒' has no entry in value map unit" in findings["reason"].iloc[0]
    unmapped = ctx.extras["unmapped:thing"]
    assert [(u.value, u.count) for u in unmapped] == [("盒", 2)]
    assert result.metrics["rejected"] == 2


def test_default_policy_fills_the_declared_value(tmp_path: Path) -> None:
    spec = _spec("default:EA")
    ctx = context(tmp_path, spec)
    ctx.ledger.register("thing", _frame())
    out, _ = map_stage.run(_frame(), spec, ctx)
    assert out["unit"].tolist()[:4] == ["PC", "EA", "KG", "EA"]
    assert ctx.ledger.findings("thing").empty


def test_source_columns_of_other_types_become_text(tmp_path: Path) -> None:
    spec = _spec("keep")
    frame = _frame()
    frame["N"] = pd.Series([12, None, "x", 3, "y"], dtype=object, index=frame.index)
    ctx = context(tmp_path, spec)
    ctx.ledger.register("thing", frame)
    out, _ = map_stage.run(frame, spec, ctx)
    assert out["note"].tolist() == ["12", "-", "x", "3", "y"]
    assert out["note"].dtype == "str"


def test_nothing_unmapped_keeps_every_row_and_reports_no_values(tmp_path: Path) -> None:
    spec = _spec("reject")
    frame = _frame().iloc[[0, 2, 4]]
    ctx = context(tmp_path, spec)
    ctx.ledger.register("thing", frame)
    out, result = map_stage.run(frame, spec, ctx)
    assert out["id"].tolist() == ["1", "3", "5"] and result.metrics["rejected"] == 0
    assert ctx.extras["unmapped:thing"] == []
    assert not any(c.startswith("_unmapped_") for c in out.columns)
