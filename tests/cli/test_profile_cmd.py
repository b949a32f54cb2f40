"""`migrate profile` through the CLI: on the demo's extracts and on a source of another shape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from migrate.cli.main import cli
from tests.scaffold.project_files import extracts

ROOT = Path(__file__).resolve().parents[2]
LEGACY = ROOT / "samples" / "legacy"


def _profile(out: Path, *args: str) -> tuple[int, str, dict[str, Any]]:
    result = CliRunner().invoke(cli, ["profile", *args, "--out", str(out)], catch_exceptions=False)
    data = json.loads((out / "profile.json").read_text("utf-8")) if result.exit_code == 0 else {}
    return result.exit_code, result.output, data


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    code, output, data = _profile(
        tmp_path_factory.mktemp("profile"),
        str(LEGACY / "erp/customers.csv"),
        str(LEGACY / "crm/accounts.xlsx"),
        "--sheet",
        "Accounts",
        f"sqlite:///{LEGACY / 'erp/materials.sqlite'}",
        "--table",
        "MARA",
    )
    assert code == 0, output
    return output, data


def _source(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in data["sources"] if s["name"] == name)


def test_the_demo_extracts_are_profiled(demo: tuple[str, dict[str, Any]]) -> None:
    output, data = demo
    assert [s["name"] for s in data["sources"]] == ["customers", "accounts", "mara"]
    assert "customers" in output and "profile.html" in output
    erp = _source(data, "customers")
    assert erp["rows"] == 822 and erp["keys"][0]["columns"] == ["KUNNR"]
    name = next(c for c in erp["columns"] if c["name"] == "NAME1")
    assert any("有限公司" in v["value"] for v in name["top_values"])  # GB18030 decoded
    ops = {s["op"] for s in erp["suggestions"]}
    assert {"phone_e164", "uscc", "parse_date", "fullwidth_to_halfwidth", "email"} <= ops
    mara = _source(data, "mara")
    assert {s["op"] for s in mara["suggestions"]} >= {"parse_decimal", "parse_date"}


def test_the_demo_near_duplicates_are_estimated_near_the_truth(
    demo: tuple[str, dict[str, Any]],
) -> None:
    truth = pd.read_csv(ROOT / "samples/truth/customer_entities.csv", dtype=str)
    erp = truth[truth["system"] == "ERP"]
    sizes = erp.groupby("entity_id").size()
    with_duplicate = int(sizes[sizes > 1].sum())
    found = _source(demo[1], "customers")["duplicates"]
    assert abs(found["estimated_records"] - with_duplicate) <= 0.25 * with_duplicate


def test_a_source_of_another_shape(tmp_path: Path) -> None:
    csv, parquet, db = extracts(tmp_path, rows=150)
    code, output, data = _profile(
        tmp_path / "out",
        str(csv),
        "--encoding",
        "gb18030",
        str(parquet),
        f"sqlite:///{db}",
        "--table",
        "STAFF",
    )
    assert code == 0, output
    assert [s["name"] for s in data["sources"]] == ["staff", "payroll", "staff_2"]
    assert data["sources"][0]["rows"] == 165
    assert (tmp_path / "out/profile.html").read_text("utf-8").count("<h2 id=") == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x.dat"], "unknown file type '.dat'"),
        (["sqlite:///x.db"], "needs --table"),
        (["missing.csv"], "file not found"),
    ],
)
def test_bad_sources_are_source_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["profile", *args, "--out", str(tmp_path)])
    assert result.exit_code == 3 and message in result.output
