"""Scope cuts a pilot batch with the master records its transactions reference."""

from __future__ import annotations

from pathlib import Path

from migrate.stages import link, scope
from tests.stages.test_link import _setup


def test_scope_pulls_in_referenced_masters(tmp_path: Path) -> None:
    ctx, order, orders = _setup(tmp_path)
    linked, _ = link.run(orders, order, ctx)
    ctx.frames["order"] = linked
    plan = scope.plan(ctx.project, ctx.frames, "bu1")
    assert plan.keys["order"] == {"O1", "O2"}
    assert plan.keys["customer"] == {"C1", "C2"}
    assert plan.pulled_in == [
        {
            "object": "customer",
            "key": "C2",
            "referenced_by": "order",
            "by_key": "O2",
            "field": "customer_id",
        }
    ]
    ctx.extras["scope_plan"] = plan
    kept, result = scope.run(ctx.frames["customer"], ctx.project.objects["customer"], ctx)
    assert kept["customer_id"].tolist() == ["C1", "C2"]
    fates = ctx.ledger.rows("customer").set_index("_key")["fate"]
    assert fates["C5"] == "out_of_scope"
    assert result.metrics["pulled_in"] == 1
