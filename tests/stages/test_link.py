"""Link rewrites references through the cross-reference and explains every failure."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from migrate.stages import link
from tests.stages.factory import context, legacy_frame, object_spec


def _objects():  # type: ignore[no-untyped-def]
    customer = object_spec(
        "customer",
        {"customer_id": {}, "bu": {}},
        key=["customer_id"],
        sources={"c": {"customer_id": "k", "bu": "bu"}},
    )
    order = object_spec(
        "order",
        {"order_id": {}, "customer_id": {}, "bu": {}},
        key=["order_id"],
        sources={"o": {"order_id": "k", "customer_id": "cust", "bu": "bu"}},
        references=[{"field": "customer_id", "object": "customer", "system": "ERP"}],
    )
    return customer, order


def _setup(tmp_path: Path):  # type: ignore[no-untyped-def]
    customer, order = _objects()
    ctx = context(
        tmp_path,
        customer,
        order,
        scopes={"bu1": {"where": {"field": "bu", "equals": "1"}, "objects": ["customer", "order"]}},
    )
    customers = legacy_frame(
        [
            {"k": "C1", "bu": "1"},
            {"k": "C2", "bu": "2"},
            {"k": "C3", "bu": "2"},
            {"k": "C4", "bu": "2"},
            {"k": "C5", "bu": "2"},
        ]
    ).rename(columns={"k": "customer_id"})
    ctx.ledger.register("customer", customers)
    ctx.ledger.reject(
        "customer",
        customers[customers["customer_id"] == "C4"],
        stage="cleanse",
        rule="CUS-010",
        reason="bad tax id",
    )
    # C3 was merged into C2; C4 was rejected before merge.
    ctx.xref["customer"] = pd.DataFrame(
        {"_system": "ERP", "_key": ["C1", "C2", "C3", "C5"], "golden_key": ["C1", "C2", "C2", "C5"]}
    )
    ctx.frames["customer"] = customers[customers["customer_id"].isin(["C1", "C2", "C5"])]
    orders = legacy_frame(
        [
            {"k": "O1", "cust": "C1", "bu": "1"},
            {"k": "O2", "cust": "C3", "bu": "1"},
            {"k": "O3", "cust": "C4", "bu": "2"},
            {"k": "O4", "cust": "C9", "bu": "2"},
            {"k": "O5", "cust": "C5", "bu": "2"},
        ]
    )
    orders = orders.rename(columns={"k": "order_id", "cust": "customer_id"})
    ctx.ledger.register("order", orders)
    return ctx, order, orders


def test_references_are_rewritten_to_golden_keys_and_failures_explained(tmp_path: Path) -> None:
    ctx, order, orders = _setup(tmp_path)
    out, result = link.run(orders, order, ctx)
    assert out.set_index("order_id")["customer_id"].to_dict() == {
        "O1": "C1",
        "O2": "C2",
        "O5": "C5",
    }
    findings = ctx.ledger.findings("order").set_index("_key")
    assert findings.loc["O3", "reason"] == "customer_id 'C4': that customer was rejected by CUS-010"
    assert findings.loc["O4", "reason"] == "customer_id 'C9' matches no customer"
    assert set(findings["rule"]) == {"ref.customer_id"}
    assert result.metrics["references"]["customer_id"] == {
        "resolved": 3,
        "rewritten": 1,
        "rejected": 2,
    }
