"""Bad input ends the run before any output, with one line naming the place and an exit code."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli.main import cli
from tests.cli.demo_project import copy_demo


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "project")


def _run(project: Path) -> tuple[int, str, Path]:
    out = project / "out"
    result = CliRunner().invoke(
        cli, ["run", "--project", str(project), "--out", str(out), "--quiet"]
    )
    return result.exit_code, result.output, out


def test_missing_source_file(project: Path) -> None:
    (project / "samples/legacy/erp/order_lines.csv").unlink()
    code, output, out = _run(project)
    assert code == 3
    assert "order_lines.csv" in output
    assert not out.exists()


def test_unreadable_encoding(project: Path) -> None:
    # Bytes that decode in no supported encoding (invalid in UTF-8 and in GB18030).
    (project / "samples/legacy/erp/order_lines.csv").write_bytes(
        b"VBELN,POSNR\n" + bytes([0x81, 0x30, 0xFF, 0xFF, 0x80, 0x80]) * 50 + b"\n"
    )
    code, output, out = _run(project)
    assert code == 3
    assert "order_lines.csv" in output
    assert not out.exists()


def test_missing_column(project: Path) -> None:
    path = project / "samples/legacy/erp/order_lines.csv"
    text = path.read_bytes().decode("gb18030").replace("WAERK", "CURR", 1)
    path.write_bytes(text.encode("gb18030"))
    code, output, out = _run(project)
    assert code == 3
    assert "WAERK" in output and "order_lines.csv" in output
    assert not out.exists()


def test_malformed_yaml(project: Path) -> None:
    (project / "rules/customer.yaml").write_text("object: customer\nsteps: [\n", "utf-8")
    code, output, out = _run(project)
    assert code == 2
    assert "rules/customer.yaml" in output and "line" in output
    assert not out.exists()


def test_unknown_rule_op(project: Path) -> None:
    path = project / "rules/sales_order_line.yaml"
    path.write_text(
        path.read_text("utf-8").replace("op: parse_decimal", "op: parse_decimals"), "utf-8"
    )
    code, output, out = _run(project)
    assert code == 2
    assert "rules/sales_order_line.yaml: steps[1].op: unknown op 'parse_decimals'" in output
    assert "parse_decimal" in output
    assert not out.exists()


def test_error_is_one_line(project: Path) -> None:
    (project / "samples/legacy/erp/order_lines.csv").unlink()
    _, output, _ = _run(project)
    assert len(output.strip().splitlines()) == 1
