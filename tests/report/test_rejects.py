"""Rejects files: a CSV per object with every finding, personal values masked, stable order."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from migrate.ledger import Ledger
from migrate.report.masking import mask_series, mask_value
from migrate.report.rejects import REJECT_COLUMNS, reject_tables, write_rejects


def identity(n: int, system: str, first: int = 0) -> pd.DataFrame:
    rids = list(range(first, first + n))
    return pd.DataFrame(
        {
            "_rid": rids,
            "_system": system,
            "_source": f"{system.lower()}_file",
            "_key": [f"{system}-{r}" for r in rids],
            "_row": [r - first + 2 for r in rids],
        },
        index=rids,
    )


def ledger_with_findings() -> Ledger:
    ledger = Ledger()
    rows = pd.concat([identity(3, "ERP"), identity(2, "CRM", first=3)])
    ledger.register("customer", rows)
    ledger.register("order", identity(1, "ERP"))
    ledger.reject(
        "customer",
        rows.loc[[4]],
        stage="validate",
        rule="schema.tax_id.pattern",
        field="tax_id",
        values=pd.Series(["DE1234567890"], index=[4]),
        reason="tax_id has the wrong format",
        owner="Finance",
    )
    ledger.reject(
        "customer",
        rows.loc[[2, 0]],
        stage="validate",
        rule="schema.name.length",
        field="name",
        values=pd.Series(["Ä" * 40, "<b>x</b>"], index=[2, 0]),
        reason="name is too long",
    )
    ledger.warn(
        "customer",
        rows.loc[[0]],
        stage="cleanse",
        rule="phone.format",
        field="phone",
        values=pd.Series(["+49 30 1234"], index=[0]),
        reason="odd phone",
    )
    ledger.reject(
        "order",
        identity(1, "ERP"),
        stage="link",
        rule="link.customer",
        field="customer",
        values=pd.Series(["C9"]),
        reason="unknown customer",
    )
    return ledger


def test_masking_keeps_first_and_last_character() -> None:
    assert mask_value("1234567898") == "1********8"
    assert mask_value("abcd") == "a**d"
    assert mask_value("abc") == "***"
    assert mask_value(None) is None and mask_value(pd.NA) is pd.NA
    assert mask_value(mask_value("1234567898")) == "1********8"  # masking twice changes nothing
    masked = mask_series(pd.Series(["Jane Doe", None], index=[7, 9]))
    assert masked[7] == "J******e" and pd.isna(masked[9]) and masked.index.tolist() == [7, 9]


def test_one_csv_per_object_with_every_finding(tmp_path: Path) -> None:
    ledger = ledger_with_findings()
    paths = write_rejects(ledger.findings(), tmp_path, set())
    assert paths == [
        tmp_path / "rejects" / "customer.csv",
        tmp_path / "rejects" / "order.csv",
        tmp_path / "rejects" / "rejects.xlsx",
    ]
    customer = pd.read_csv(paths[0], dtype=str, keep_default_na=False)
    assert list(customer.columns) == REJECT_COLUMNS
    assert customer[["system", "legacy_key", "severity", "rule", "value"]].values.tolist() == [
        ["CRM", "CRM-4", "reject", "schema.tax_id.pattern", "DE1234567890"],
        ["ERP", "ERP-0", "reject", "schema.name.length", "<b>x</b>"],
        ["ERP", "ERP-0", "warn", "phone.format", "+49 30 1234"],
        ["ERP", "ERP-2", "reject", "schema.name.length", "Ä" * 40],
    ]
    assert customer.loc[0, "owner"] == "Finance" and customer.loc[0, "source"] == "crm_file"
    order = pd.read_csv(paths[1], dtype=str)
    assert order["reason"].tolist() == ["unknown customer"]


def test_personal_values_are_masked(tmp_path: Path) -> None:
    findings = ledger_with_findings().findings()
    paths = write_rejects(findings, tmp_path, {"tax_id", "order.customer"})
    customer = pd.read_csv(paths[0], dtype=str, keep_default_na=False)
    assert customer.loc[0, "value"] == "D**********0"
    assert customer.loc[1, "value"] == "<b>x</b>"  # not personal
    order = pd.read_csv(paths[1], dtype=str)
    assert order.loc[0, "value"] == "**"


def test_compound_fields_are_masked_when_a_part_is_personal() -> None:
    findings = pd.DataFrame(
        {
            "object": ["c"],
            "_rid": [0],
            "_system": ["ERP"],
            "_source": ["f"],
            "_key": ["K"],
            "stage": ["validate"],
            "rule": ["schema.company+vat.unique"],
            "severity": ["reject"],
            "field": ["company+vat"],
            "value": ["A / DE999"],
            "reason": ["dup"],
            "owner": [None],
        }
    )
    table = reject_tables(findings, {"vat"})["c"]
    assert table.loc[0, "value"] == "A*******9"


def test_source_row_is_written_when_the_findings_carry_it() -> None:
    ledger = ledger_with_findings()
    findings = ledger.findings("customer")
    table = reject_tables(findings, set())["customer"]
    assert table["source_row"].tolist() == [3, 2, 2, 4]
    without = findings.drop(columns="_row")
    assert reject_tables(without, set())["customer"]["source_row"].isna().all()


def test_order_is_deterministic(tmp_path: Path) -> None:
    findings = ledger_with_findings().findings()
    first = write_rejects(findings, tmp_path / "a", set())[0].read_bytes()
    shuffled = findings.sample(frac=1, random_state=3).reset_index(drop=True)
    second = write_rejects(shuffled, tmp_path / "b", set())[0].read_bytes()
    assert first == second
