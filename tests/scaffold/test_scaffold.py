"""`migrate init` end to end: from extracts of a shape it never saw to a project that runs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from migrate.cli.main import cli
from migrate.errors import SpecError
from migrate.io.spec import SourceSpec
from migrate.scaffold.write import scaffold
from migrate.spec.loader import load_project
from tests.scaffold.project_files import extracts, uncomment_suggestions


def _init(folder: Path, *extra: str) -> tuple[int, str]:
    csv, parquet, db = extracts(folder)
    args = [
        "init",
        str(csv),
        str(parquet),
        f"sqlite:///{db}",
        "--table",
        "STAFF",
        "--project",
        str(folder / "project"),
        "--system",
        "HR",
        *extra,
    ]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result.exit_code, result.output


def _run(project: Path) -> tuple[int, str]:
    args = ["run", "--project", str(project), "--quiet", "--no-target"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("init")
    code, output = _init(folder)
    assert code == 0, output
    assert "next:    migrate run --project" in output
    return folder / "project"


def test_the_project_has_every_file(project: Path) -> None:
    names = {p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()}
    assert {
        "migration.yaml",
        "README.md",
        ".gitignore",
        "profile/profile.html",
        "profile/profile.json",
        "mappings/staff.yaml",
        "mappings/payroll.yaml",
        "mappings/staff_2.yaml",
        "rules/staff.yaml",
        "rules/payroll.yaml",
        "rules/staff_2.yaml",
    } <= names


def test_sources_keys_and_types_are_declared(project: Path) -> None:
    loaded = load_project(project)
    staff = loaded.objects["staff"]
    source = staff.model.sources[0]
    assert (source.kind, source.system, source.key) == ("csv", "HR", ["工号"])
    assert Path(source.path or "").is_absolute()
    assert loaded.objects["staff_2"].model.sources[0].table == "STAFF"
    fields = staff.mapping.fields
    assert fields["gong_hao"].required and fields["gong_hao"].unique
    assert fields["ru_zhi_ri_qi"].type == "date" and fields["yue_xin"].type == "decimal"
    assert staff.mapping.sources["staff"]["shou_ji"].column == "手机"
    assert {n for n, f in fields.items() if f.personal} == {"shou_ji", "you_xiang"}
    assert "profile/" in (project / ".gitignore").read_text("utf-8")
    assert [s.op for s in staff.rules.steps] == ["parse_date", "parse_decimal"]


def test_suggestions_are_commented_in_with_their_findings(project: Path) -> None:
    rules = (project / "rules/staff.yaml").read_text("utf-8")
    assert "  # - id: STA-" in rules and "#   op: phone_e164" in rules
    assert "手机: 4 formats seen" in rules
    assert "# match:" in rules
    mapping = (project / "mappings/staff.yaml").read_text("utf-8")
    assert "# value_maps:" in mapping and "bu_men:" in mapping


def test_migrate_run_works_at_once(project: Path) -> None:
    code, output = _run(project)
    assert code == 0, output
    report = json.loads((project / "out/report/report.json").read_text("utf-8"))
    assert report["status"] == "reconciled"
    staff = next(o for o in report["objects"] if o["name"] == "staff")
    assert sum(row["loaded"] for row in staff["funnel"]) > 0.9 * 330
    assert len(list((project / "history").glob("*.json"))) == 1


def test_every_suggestion_switched_on_still_loads_and_runs(project: Path, tmp_path: Path) -> None:
    copy = tmp_path / "all_on"
    for path in project.rglob("*"):
        if path.is_file() and "out" not in path.parts and "history" not in path.parts:
            target = copy / path.relative_to(project)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    for path in [*copy.glob("rules/*.yaml"), *copy.glob("mappings/*.yaml")]:
        path.write_text(uncomment_suggestions(path), encoding="utf-8")
    loaded = load_project(copy)
    staff = loaded.objects["staff"]
    assert "phone_e164" in [s.op for s in staff.rules.steps]
    assert staff.rules.match is not None and "bu_men" in staff.mapping.value_maps
    code, output = _run(copy)
    assert code == 0, output


def test_an_existing_project_is_kept_unless_forced(project: Path, tmp_path: Path) -> None:
    spec = SourceSpec(
        name="x",
        system="S",
        kind="csv",
        path=str(next((project.parent / "extracts").glob("*.csv"))),
    )
    with pytest.raises(SpecError, match="exists"):
        scaffold([spec], project, Path.cwd())
    done = scaffold([spec], tmp_path / "again", Path.cwd())
    again = scaffold([spec], tmp_path / "again", Path.cwd(), force=True)
    assert again.root == done.root and (done.root / "migration.yaml").exists()


def test_a_password_in_a_url_becomes_an_environment_variable(tmp_path: Path) -> None:
    from migrate.scaffold.write import _secret_free

    spec = SourceSpec(
        name="erp", system="S", kind="sql", url="postgresql://u:s3cret@h/db", table="T"
    )
    safe, notes = _secret_free(spec)
    assert safe.url == "${ERP_URL}" and "ERP_URL" in notes[0]
    text = yaml.safe_dump({"url": safe.url})
    assert "s3cret" not in text and os.environ.get("ERP_URL") is None
