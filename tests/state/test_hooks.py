"""Reading the project's state into a run and recording the run's golden keys."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from migrate.errors import SpecError
from migrate.ledger import Ledger
from migrate.spec.project import ProjectState
from migrate.stages.base import RunContext
from migrate.state.hooks import load_state, save_state
from tests.matching.helpers import make_frame, make_object

MATCH = {
    "blocking": [{"name": "n", "key": [{"field": "name"}]}],
    "compare": [{"field": "name"}],
    "thresholds": {"auto_merge": 0.9, "review": 0.5},
}


def _context(root: Path, golden_keys: str | None = "state") -> RunContext:
    objects = {
        "customer": make_object(["name"], match=MATCH),
        "order": make_object(["name"], name="order"),
    }
    state = ProjectState(golden_keys=golden_keys)
    project = SimpleNamespace(root=root, objects=objects, model=SimpleNamespace(state=state))
    return RunContext(project=project, ledger=Ledger(), out_dir=root / "out", run_id="run-2")  # type: ignore[arg-type]


def test_first_run_reads_empty_state_for_matched_objects_only(tmp_path: Path) -> None:
    ctx = _context(tmp_path)
    load_state(ctx)
    assert ctx.extras["decisions:customer"].empty and ctx.extras["golden_keys:customer"].empty
    assert "golden_keys:order" not in ctx.extras


def test_a_broken_state_file_is_a_spec_error(tmp_path: Path) -> None:
    (tmp_path / "decisions").mkdir()
    (tmp_path / "decisions" / "customer.csv").write_text(
        "system_a,key_a,system_b,key_b,decision\nERP,1,ERP,2,perhaps\n", encoding="utf-8"
    )
    with pytest.raises(SpecError, match="perhaps"):
        load_state(_context(tmp_path))


def test_save_records_loaded_and_merged_records_only(tmp_path: Path) -> None:
    ctx = _context(tmp_path)
    load_state(ctx)
    frame = make_frame([{"name": "a"}, {"name": "b"}, {"name": "c"}])
    ctx.ledger.register("customer", frame)
    ctx.ledger.loaded("customer", [0], pd.Series(["K0"]))
    ctx.ledger.set_members(
        "customer", pd.DataFrame({"_rid": [1], "survivor_rid": [0], "golden_key": ["K0"]})
    )
    ctx.ledger.settle_members("customer")
    ctx.ledger.reject("customer", frame.loc[[2]], stage="validate", rule="R", reason="bad")
    ctx.xref["customer"] = pd.DataFrame(
        {"_system": frame["_system"], "_key": frame["_key"], "golden_key": ["K0", "K0", "K2"]}
    )
    assert save_state(ctx) == {"customer": {"new": 2, "confirmed": 0, "rekeyed": 0}}
    saved = pd.read_csv(tmp_path / "state" / "customer_golden_keys.csv", dtype=str)
    assert saved[["legacy_key", "golden_key", "first_run"]].to_numpy().tolist() == [
        ["ERP-0", "K0", "run-2"],
        ["ERP-1", "K0", "run-2"],
    ]
    assert save_state(_context(tmp_path / "none", golden_keys=None)) == {}
