"""A run report with every kind of record, for the report tests."""

from __future__ import annotations

import pytest

from migrate.report.model import (
    ControlTotal,
    FileEntry,
    FunnelRow,
    ObjectReport,
    RuleCount,
    RunReport,
    UnmappedValue,
)
from migrate.report.sections import (
    Cluster,
    ClusterSummary,
    FieldProfile,
    LoadedObject,
    PulledIn,
    TargetLoad,
)


@pytest.fixture
def report() -> RunReport:
    """Two objects (one not closing), findings with escaping needs, non-ASCII text."""
    customer = ObjectReport(
        name="customer",
        funnel=(
            FunnelRow(
                "CRM",
                extracted=120,
                loaded=100,
                merged=12,
                rejected=7,
                out_of_scope=1,
                unaccounted=0,
            ),
            FunnelRow(
                "ERP",
                extracted=1_234_567,
                loaded=1_200_000,
                merged=30_000,
                rejected=4_000,
                out_of_scope=567,
                unaccounted=0,
            ),
        ),
        rejects_by_rule=(
            RuleCount(
                "schema.name.length",
                "reject",
                "Sales Ops",
                "name",
                3_999,
                "name is 73 characters; the target allows 35",
            ),
            RuleCount(
                "schema.tax_id.pattern",
                "reject",
                None,
                "tax_id",
                8,
                "tax_id 'D*********9' does not have the expected format DE[0-9]{9}",
            ),
            RuleCount(
                "phone.format",
                "warn",
                "Service",
                "phone",
                2,
                "phone '<script>alert(1)</script>' is not a phone number",
            ),
        ),
        unmapped=(UnmappedValue("country_codes", "country", "Österreich", 4),),
        control_totals=(
            ControlTotal(
                "credit_limit",
                {"currency": "EUR"},
                extracted=1000.0,
                loaded=900.0,
                rejected=50.0,
                merged=40.0,
                out_of_scope=10.0,
                difference=0.0,
            ),
            ControlTotal(
                "credit_limit",
                {"currency": "USD"},
                extracted=500.0,
                loaded=400.0,
                rejected=50.0,
                merged=0.0,
                out_of_scope=0.0,
                difference=50.0,
            ),
        ),
        stages=(
            {
                "stage": "validate",
                "object": "customer",
                "rows_in": 1_234_567,
                "rows_out": 1_230_000,
                "seconds": 2.345,
                "metrics": {
                    "rows_checked": 1_234_567,
                    "rows_rejected": 4_007,
                    "failures": {"schema.name.length": 3_999},
                },
            },
        ),
        match={"match": {"pairs": 420, "clusters": 300}, "merge": {"merged_rows": 30_012}},
        already_loaded={"mueller-20251201T080000Z": 250},
        clusters=ClusterSummary(
            clusters=2,
            rows=5,
            merged=3,
            sizes={"2": 1, "3": 1},
            largest=(
                Cluster("C-0001", 3, ("CRM:A-17", "ERP:0001", "ERP:0099")),
                Cluster("C-0002", 2, ("CRM:A-20", "ERP:0002")),
            ),
        ),
        profile=(
            FieldProfile("name", False, 120, 117, 110, 100, 100, 100, 3),
            FieldProfile("phone", True, 120, 90, 88, 100, 80, 80, 2),
        ),
    )
    order = ObjectReport(
        name="sales_order",
        funnel=(
            FunnelRow(
                "ERP", extracted=10, loaded=8, merged=0, rejected=1, out_of_scope=0, unaccounted=1
            ),
        ),
    )
    return RunReport(
        project="Müller AG migration",
        run_id="mueller-20260101T120000Z",
        scope="pilot_de",
        started="2026-01-01T12:00:00+00:00",
        finished="2026-01-01T12:05:30+00:00",
        status="not reconciled",
        objects=(customer, order),
        files=(
            FileEntry("load/customer.csv", 1_230_000, "ab" * 32),
            FileEntry("load/sales_order.csv", 8, "cd" * 32),
        ),
        messages=("the funnel does not close: some rows have no fate",),
        pulled_in=(PulledIn("customer", "0099", "sales_order", "4711|10", "customer_id"),),
        target_load=TargetLoad(
            mode="load",
            target="postgresql+psycopg://loader@db.example:5432/erp",
            status="committed",
            batch="mueller-20260101T120000Z",
            label="pilot",
            objects=(LoadedObject("customer", "customer", 1_230_000, 1_229_000, 1_000),),
        ),
    )
