"""`migrate rules check | schema | doc` on the demo project and on broken copies of it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result

from migrate.cli.main import cli
from tests.cli.demo_project import ROOT, copy_demo

SPEC_FILES = [
    "migration.yaml",
    *sorted(
        f"{p.parent.name}/{p.name}"
        for p in [*ROOT.glob("mappings/*.yaml"), *ROOT.glob("rules/*.yaml")]
    ),
]


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "project")


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --- rules check ---------------------------------------------------------------------------


def test_check_reports_the_project_and_every_source(project: Path) -> None:
    result = _invoke("rules", "check", "--project", str(project))
    assert result.exit_code == 0, result.output
    assert "demo: 3 objects" in result.output and "rule steps" in result.output
    for source in ("erp_customers", "crm_accounts", "erp_materials", "erp_order_lines"):
        assert re.search(rf"{source} \(\w+\): OK, \d+ mapped columns present", result.output)


def test_check_names_a_missing_source_column(project: Path) -> None:
    path = project / "samples/legacy/erp/order_lines.csv"
    path.write_bytes(
        path.read_bytes().decode("gb18030").replace("WAERK", "CURR", 1).encode("gb18030")
    )
    result = _invoke("rules", "check", "--project", str(project))
    assert result.exit_code == 3
    assert "erp_order_lines (csv): " in result.output and "'WAERK'" in result.output
    assert "erp_customers (csv): OK" in result.output  # the other sources are still checked
    assert "1 of 4 failed the check" in result.output
    assert _invoke("rules", "check", "--project", str(project), "--no-sources").exit_code == 0


def test_check_names_a_missing_source_file(project: Path) -> None:
    (project / "samples/legacy/crm/accounts.xlsx").unlink()
    result = _invoke("rules", "check", "--project", str(project))
    assert result.exit_code == 3
    assert "crm_accounts (excel): " in result.output and "not found" in result.output


def test_check_stops_at_a_spec_error_with_file_and_key_path(project: Path) -> None:
    rules = _yaml(project / "rules/material.yaml")
    rules["steps"][2]["into"] = "drawing_number"
    (project / "rules/material.yaml").write_text(yaml.safe_dump(rules, allow_unicode=True), "utf-8")
    result = _invoke("rules", "check", "--project", str(project))
    assert result.exit_code == 2
    assert "rules/material.yaml: steps[2].into: split needs 'into' as a list" in result.output


# --- rules schema --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("schema") / "migrate.schema.json"
    result = _invoke("rules", "schema", "--out", str(out))
    assert result.exit_code == 0 and str(out) in result.output
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(data)
    return data


def _errors(schema: dict[str, Any], document: Any) -> list[str]:
    """Every error, including those inside anyOf branches (as an editor lists them)."""
    validator = jsonschema.Draft202012Validator(schema)
    found: list[str] = []
    pending = list(validator.iter_errors(document))
    while pending:
        error = pending.pop()
        found.append(f"{list(error.absolute_path)}: {error.message}")
        pending.extend(error.context or [])
    return found


@pytest.mark.parametrize("name", SPEC_FILES)
def test_every_demo_file_is_valid(schema: dict[str, Any], name: str) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert _errors(schema, _yaml(ROOT / name)) == []


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("migration", "migration.yaml"),
        ("mapping", "mappings/customer.yaml"),
        ("rules", "rules/customer.yaml"),
    ],
)
def test_one_file_kind_schema(kind: str, name: str) -> None:
    result = _invoke("rules", "schema", "--file", kind)
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["$ref"].endswith(
        {"migration": "ProjectModel", "mapping": "Mapping", "rules": "Rules"}[kind]
    )
    assert _errors(data, _yaml(ROOT / name)) == []


def test_op_names_are_an_enum_with_each_ops_args(schema: dict[str, Any]) -> None:
    from migrate.ops import OPS

    step = schema["$defs"]["Step"]
    assert step["properties"]["op"]["enum"] == sorted(OPS)
    tied = {branch["if"]["properties"]["op"]["const"] for branch in step["allOf"]}
    assert tied == set(OPS)


def _broken_rules(change: Any) -> dict[str, Any]:
    rules: dict[str, Any] = _yaml(ROOT / "rules/customer.yaml")
    change(rules)
    return rules


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        (lambda r: r["steps"][0].update(op="trimm"), ["steps", 0, "op"], "is not one of"),
        (lambda r: r["steps"][1].update(opp="x"), ["steps", 1], "'opp' was unexpected"),
        (
            lambda r: r["steps"][5].update(args={"region": "CN"}),
            ["steps", 5, "args"],
            "'region' was unexpected",
        ),
        (
            lambda r: r["steps"][5].update(args={"default_region": 86}),
            ["steps", 5, "args", "default_region"],
            "is not of type 'string'",
        ),
        (
            lambda r: r["steps"][4].update(severity="fatal"),
            ["steps", 4, "severity"],
            "is not one of",
        ),
        (
            lambda r: r["steps"].append(
                {
                    "id": "S",
                    "op": "split",
                    "fields": ["street"],
                    "into": "city",
                    "args": {"separator": ","},
                }
            ),
            ["steps", 11, "into"],
            "is not of type 'array'",
        ),
        (
            lambda r: r["steps"].append({"id": "J", "op": "join", "fields": ["street", "city"]}),
            ["steps", 11],
            "'into' is a required property",
        ),
        (
            lambda r: r["match"]["compare"][0].update(method="soundex"),
            ["match", "compare", 0, "method"],
            "is not one of",
        ),
    ],
)
def test_broken_rule_files_fail(
    schema: dict[str, Any], change: Any, where: list[Any], words: str
) -> None:
    errors = _errors(schema, _broken_rules(change))
    assert any(e.startswith(f"{where}:") and words in e for e in errors), errors


def test_broken_mapping_and_project_files_fail(schema: dict[str, Any]) -> None:
    mapping = _yaml(ROOT / "mappings/customer.yaml")
    mapping["value_maps"]["country"]["on_unmapped"] = "drop"
    mapping["fields"]["name"]["lenght"] = 70
    errors = _errors(schema, mapping)
    assert any("on_unmapped" in e and "does not match" in e for e in errors), errors
    assert any("'lenght' was unexpected" in e for e in errors), errors
    project = _yaml(ROOT / "migration.yaml")
    project["objects"]["customer"]["sources"][0]["kind"] = "xml"
    assert any("'xml' is not one of" in e for e in _errors(schema, project))


def test_source_shorthand_strings_are_valid(schema: dict[str, Any]) -> None:
    mapping = _yaml(ROOT / "mappings/customer.yaml")
    assert isinstance(mapping["sources"]["erp_customers"]["name"], str)
    mapping["sources"]["erp_customers"]["name"] = 12
    assert _errors(schema, mapping)


# --- rules doc -----------------------------------------------------------------------------


def test_doc_writes_markdown_and_html_naming_every_field_source_and_rule(project: Path) -> None:
    out = project / "book"
    result = _invoke("rules", "doc", "--project", str(project), "--out", str(out))
    assert result.exit_code == 0, result.output
    markdown = (out / "rulebook.md").read_text("utf-8")
    html = (out / "rulebook.html").read_text("utf-8")
    for obj in ("customer", "material", "sales_order_line"):
        mapping = _yaml(project / f"mappings/{obj}.yaml")
        rules = _yaml(project / f"rules/{obj}.yaml")
        for field in mapping["fields"]:
            assert f"#### {obj}.{field}" in markdown and f'id="{obj}-{field}"' in html
        for block in mapping["sources"].values():
            for spec in block.values():
                column = spec if isinstance(spec, str) else spec.get("column")
                if column:
                    assert f"column {column}" in markdown
        for step in rules["steps"]:
            assert f"`{step['id']}`" in markdown and f"<code>{step['id']}</code>" in html
    assert "| 个 | PC |" in markdown and "<td>千克</td><td>KG</td>" in html
    assert "| `phone` | text, at most 30 characters | **personal** |" in markdown
    assert "## Sign-off" in markdown and "| Finance | CUS-010" in markdown


def test_doc_escapes_what_the_project_files_say(project: Path) -> None:
    path = project / "rules/customer.yaml"
    rules = _yaml(path)
    rules["steps"][0]["description"] = "<script>alert(1)</script> a | b"
    rules["steps"][0]["owner"] = "R&D <ops>"
    path.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    out = project / "book"
    assert _invoke("rules", "doc", "--project", str(project), "--out", str(out)).exit_code == 0
    html = (out / "rulebook.html").read_text("utf-8")
    markdown = (out / "rulebook.md").read_text("utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "R&amp;D &lt;ops&gt;" in html
    assert "<script>" not in markdown and "a \\| b" in markdown
    step_rows = [line for line in markdown.splitlines() if line.startswith("| 1 | `CUS-001`")]
    assert step_rows and all(len(re.split(r"(?<!\\)\|", row)) == 11 for row in step_rows)


def test_doc_default_folder_and_spec_errors(project: Path) -> None:
    result = _invoke("rules", "doc", "--project", str(project))
    assert result.exit_code == 0
    assert (project / "out/rulebook/rulebook.md").exists()
    (project / "rules/customer.yaml").write_text("object: customer\nsteps: [\n", "utf-8")
    result = _invoke("rules", "doc", "--project", str(project))
    assert result.exit_code == 2 and "rules/customer.yaml" in result.output
