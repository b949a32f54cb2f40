"""The project loader: typed specs, and SpecErrors that name file, key path and choices."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from migrate.errors import SpecError
from migrate.spec.loader import load_project


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_demo_project_loads_in_dependency_order(project: Path) -> None:
    loaded = load_project(project)
    names = list(loaded.objects)
    assert names.index("sales_order_line") > names.index("customer")
    assert names.index("sales_order_line") > names.index("material")
    assert loaded.objects["material"].value_maps["unit"].table["个"] == "PC"
    assert set(loaded.file_hashes) >= {
        "migration.yaml",
        "mappings/customer.yaml",
        "mappings/units.csv",
    }


def test_unknown_key_names_file_path_and_choices(project: Path) -> None:
    _edit(project / "rules/customer.yaml", lambda d: d["steps"][3].update(opp="x"))
    with pytest.raises(SpecError) as caught:
        load_project(project)
    error = caught.value
    assert error.file == "rules/customer.yaml"
    assert error.key_path == "steps[3].opp"
    assert error.choices is not None and "op" in error.choices and "severity" in error.choices


def test_unknown_op_lists_known_ops(project: Path) -> None:
    _edit(project / "rules/customer.yaml", lambda d: d["steps"][0].update(op="trimm"))
    with pytest.raises(SpecError) as caught:
        load_project(project)
    assert caught.value.key_path == "steps[0].op"
    assert "trim" in (caught.value.choices or [])
    assert "rules/customer.yaml: steps[0].op: unknown op 'trimm'" in str(caught.value)


def test_unknown_field_in_rule(project: Path) -> None:
    _edit(project / "rules/customer.yaml", lambda d: d["steps"][1].update(fields=["nmae"]))
    with pytest.raises(SpecError) as caught:
        load_project(project)
    assert caught.value.key_path == "steps[1].fields[0]"
    assert "name" in (caught.value.choices or [])


def test_bad_op_argument_names_the_argument(project: Path) -> None:
    _edit(project / "rules/customer.yaml", lambda d: d["steps"][5].update(args={"region": "CN"}))
    with pytest.raises(SpecError) as caught:
        load_project(project)
    assert caught.value.key_path == "steps[5].args.region"
    assert "default_region" in (caught.value.choices or [])


def test_bad_severity_lists_choices(project: Path) -> None:
    _edit(project / "rules/customer.yaml", lambda d: d["steps"][4].update(severity="fatal"))
    with pytest.raises(SpecError) as caught:
        load_project(project)
    assert caught.value.key_path == "steps[4].severity"
    assert caught.value.choices == ["reject", "warn"]


def test_malformed_yaml_names_line(project: Path) -> None:
    (project / "mappings/material.yaml").write_text("object: material\nfields: [a,\n", "utf-8")
    with pytest.raises(SpecError) as caught:
        load_project(project)
    assert caught.value.file == "mappings/material.yaml"
    assert "malformed YAML: line" in str(caught.value)


def test_missing_file(project: Path) -> None:
    (project / "mappings/material.yaml").unlink()
    with pytest.raises(SpecError, match=r"mappings/material\.yaml: file not found"):
        load_project(project)


def test_unknown_value_map(project: Path) -> None:
    _edit(
        project / "mappings/customer.yaml",
        lambda d: d["sources"]["erp_customers"].update(country={"column": "LAND1", "map": "land"}),
    )
    with pytest.raises(SpecError) as caught:
        load_project(project)
    assert caught.value.key_path == "sources.erp_customers.country.map"
    assert caught.value.choices == ["account_group", "country"]


def test_value_map_csv_with_duplicate_legacy_value(project: Path) -> None:
    (project / "mappings/units.csv").write_text("legacy,target\nPCS,PC\nPCS,EA\n", "utf-8")
    with pytest.raises(
        SpecError, match=r"mappings/units.csv: row 3: legacy value 'PCS' is mapped twice"
    ):
        load_project(project)


def test_dependency_cycle(project: Path) -> None:
    _edit(
        project / "migration.yaml",
        lambda d: d["objects"]["customer"].update(depends_on=["sales_order_line"]),
    )
    with pytest.raises(SpecError, match="cycle"):
        load_project(project)


def test_scope_with_unknown_field(project: Path) -> None:
    _edit(
        project / "migration.yaml",
        lambda d: d["scopes"]["pilot_bu1000"]["where"].update(field="bu"),
    )
    with pytest.raises(SpecError) as caught:
        load_project(project)
    assert caught.value.key_path == "scopes.pilot_bu1000.where"
    assert "sales_org" in (caught.value.choices or [])
