"""Cleanse: steps run in order over whole columns; reject removes rows, warn records them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from migrate.stages import cleanse
from tests.stages.factory import context, legacy_frame, object_spec

FIELDS = {"id": {}, "name": {}, "tax_id": {}, "email": {}, "bu": {}}
SOURCES = {"src": {"id": "k", "name": "name", "tax_id": "tax", "email": "mail", "bu": "bu"}}
ROWS = [
    {
        "k": "1",
        "name": "  北京恒通  有限公司 ",
        "tax": "91110000600037341L",
        "mail": "A@X.CN",
        "bu": "1",
    },
    {"k": "2", "name": "Beta", "tax": "91110000600037341X", "mail": "b@x.cn", "bu": "1"},
    {"k": "3", "name": "Gamma", "tax": None, "mail": "bad@@x", "bu": "2"},
    {"k": "4", "name": "Delta", "tax": "91110000600037341X", "mail": "d@x.cn", "bu": "2"},
]


def _mapped() -> pd.DataFrame:
    frame = legacy_frame(ROWS)
    return frame.rename(columns={"k": "id", "tax": "tax_id", "mail": "email"})


def _run(tmp_path: Path, steps: list[dict]):  # type: ignore[no-untyped-def, type-arg]
    spec = object_spec("c", FIELDS, key=["id"], sources=SOURCES, steps=steps)
    ctx = context(tmp_path, spec)
    frame = _mapped()
    ctx.ledger.register("c", frame)
    out, result = cleanse.run(frame, spec, ctx)
    return out, result, ctx.ledger.findings("c")


def test_transform_steps_run_in_order_and_into_writes_a_new_field(tmp_path: Path) -> None:
    steps = [
        {"id": "S1", "op": "collapse_whitespace", "fields": ["name"]},
        {"id": "S2", "op": "trim", "fields": ["name"]},
        {"id": "S3", "op": "company_name_key", "fields": ["name"], "into": "name_key"},
    ]
    out, _, findings = _run(tmp_path, steps)
    assert out.loc[0, "name"] == "北京恒通 有限公司"
    assert out.loc[0, "name_key"] != out.loc[0, "name"]
    assert "有限公司" not in out.loc[0, "name_key"]
    assert findings.empty


def test_reject_removes_rows_with_rule_reason_and_value(tmp_path: Path) -> None:
    steps = [{"id": "TAX", "op": "uscc", "fields": ["tax_id"], "owner": "Finance"}]
    out, result, findings = _run(tmp_path, steps)
    assert out["id"].tolist() == ["1", "3"]
    assert findings["_key"].tolist() == ["2", "4"]
    assert set(findings["rule"]) == {"TAX"} and set(findings["owner"]) == {"Finance"}
    assert findings["value"].tolist() == ["91110000600037341X"] * 2
    assert all(r.startswith("tax_id: ") for r in findings["reason"])
    assert result.metrics["findings_by_rule"] == {"TAX": 2}


def test_warn_keeps_rows(tmp_path: Path) -> None:
    steps = [{"id": "MAIL", "op": "email", "fields": ["email"], "severity": "warn"}]
    out, _, findings = _run(tmp_path, steps)
    assert len(out) == 4
    assert findings["_key"].tolist() == ["3"] and findings["severity"].tolist() == ["warn"]
    assert out.loc[0, "email"] == "a@x.cn"


def test_when_condition_limits_the_rows_a_step_touches(tmp_path: Path) -> None:
    steps = [
        {"id": "TAX", "op": "uscc", "fields": ["tax_id"], "when": {"field": "bu", "equals": "2"}}
    ]
    out, _, findings = _run(tmp_path, steps)
    assert findings["_key"].tolist() == ["4"]
    assert out["id"].tolist() == ["1", "2", "3"]


def test_a_rejected_row_is_not_seen_by_later_steps(tmp_path: Path) -> None:
    steps = [
        {"id": "TAX", "op": "uscc", "fields": ["tax_id"]},
        {"id": "MAIL", "op": "email", "fields": ["email"]},
    ]
    _, _, findings = _run(tmp_path, steps)
    assert findings.groupby("_key")["rule"].apply(list).to_dict() == {
        "2": ["TAX"],
        "3": ["MAIL"],
        "4": ["TAX"],
    }


def test_join_writes_one_field_from_several(tmp_path: Path) -> None:
    steps = [
        {
            "id": "J",
            "op": "join",
            "fields": ["bu", "id", "tax_id"],
            "into": "label",
            "args": {"separator": "/"},
        },
    ]
    out, _, findings = _run(tmp_path, steps)
    assert out["label"].tolist() == [
        "1/1/91110000600037341L",
        "1/2/91110000600037341X",
        "2/3",
        "2/4/91110000600037341X",
    ]
    assert findings.empty


def test_split_writes_several_fields_and_keeps_the_source(tmp_path: Path) -> None:
    steps = [
        {
            "id": "S",
            "op": "split",
            "fields": ["email"],
            "into": ["user", "domain"],
            "args": {"separator": "@", "require_all": True},
            "severity": "warn",
            "owner": "Ops",
        },
    ]
    out, _, findings = _run(tmp_path, steps)
    assert out["user"].tolist() == ["A", "b", "bad", "d"]
    assert out["domain"].tolist() == ["X.CN", "x.cn", "@x", "x.cn"]
    assert out["email"].tolist() == ["A@X.CN", "b@x.cn", "bad@@x", "d@x.cn"]
    assert findings.empty


def test_split_failure_names_the_source_field_and_value(tmp_path: Path) -> None:
    steps = [
        {
            "id": "S",
            "op": "split",
            "fields": ["name"],
            "into": ["first", "rest"],
            "args": {"pattern": r"^(\w+)\s+(\w+)$"},
            "severity": "warn",
        },
    ]
    out, result, findings = _run(tmp_path, steps)
    assert len(out) == 4 and result.metrics["findings_by_rule"] == {"S": 4}
    assert set(findings["field"]) == {"name"}
    assert findings["value"].iloc[1] == "Beta"
    assert findings["reason"].iloc[1].startswith("name: 'Beta' does not match")


def test_when_with_into_fills_only_the_matching_rows(tmp_path: Path) -> None:
    steps = [
        {
            "id": "U",
            "op": "upper",
            "fields": ["email"],
            "into": "email_uc",
            "when": {"field": "bu", "equals": "2"},
        },
        {"id": "L", "op": "lower", "fields": ["email"], "when": {"field": "bu", "equals": "1"}},
    ]
    out, _, _ = _run(tmp_path, steps)
    assert out["email_uc"].isna().tolist() == [True, True, False, False]
    assert out["email_uc"].tolist()[2:] == ["BAD@@X", "D@X.CN"]
    assert out["email"].tolist() == ["a@x.cn", "b@x.cn", "bad@@x", "d@x.cn"]


def test_the_callers_frame_is_not_changed(tmp_path: Path) -> None:
    spec = object_spec(
        "c",
        FIELDS,
        key=["id"],
        sources=SOURCES,
        steps=[
            {"id": "L", "op": "lower", "fields": ["email"], "into": "mail_lc"},
            {"id": "T", "op": "uscc", "fields": ["tax_id"]},
        ],
    )
    ctx = context(tmp_path, spec)
    frame = _mapped()
    before = frame.copy()
    ctx.ledger.register("c", frame)
    out, _ = cleanse.run(frame, spec, ctx)
    pd.testing.assert_frame_equal(frame, before)
    assert "mail_lc" in out.columns and len(out) == 2


def test_an_op_that_gives_too_few_parts_is_an_error(tmp_path: Path) -> None:
    from migrate.ops import OPS, OpResult, register_op

    @register_op("test_half_split", shape="split")
    def half(values: pd.Series, params: object, frame: pd.DataFrame, outputs: int) -> OpResult:
        return OpResult(values, parts=(values,))

    try:
        steps = [{"id": "H", "op": "test_half_split", "fields": ["name"], "into": ["a", "b"]}]
        with pytest.raises(ValueError, match="gave 1 parts for 2 fields"):
            _run(tmp_path, steps)
    finally:
        OPS.pop("test_half_split")


def test_a_failed_split_keeps_the_fields_it_would_write(tmp_path: Path) -> None:
    steps = [
        {
            "id": "S",
            "op": "split",
            "fields": ["name"],
            "into": ["name", "suffix"],
            "args": {"pattern": r"^(\w+)\s*(有限公司)$"},
            "severity": "warn",
        },
    ]
    out, _, findings = _run(tmp_path, steps)
    assert out["name"].tolist() == ["  北京恒通  有限公司 ", "Beta", "Gamma", "Delta"]
    assert out["suffix"].isna().all()
    assert findings["_key"].tolist() == ["1", "2", "3", "4"]
    steps[0]["args"] = {"pattern": r"^\s*(\w+)\s*(有限公司)\s*$"}
    out, _, findings = _run(tmp_path, steps)
    assert out["name"].tolist() == ["北京恒通", "Beta", "Gamma", "Delta"]
    assert out["suffix"].tolist()[0] == "有限公司"
    assert findings["_key"].tolist() == ["2", "3", "4"]
