"""A run's load package: self-describing manifest, files checked, every format read alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrate.batches.loader import convert_package
from migrate.batches.package import ObjectLoad, read_object_frame, read_package, verify_files
from migrate.errors import SourceError
from migrate.io.target_rows import frame_rows
from tests.batches.tiny import make_package, make_project


@pytest.fixture
def out(tmp_path: Path) -> Path:
    project = make_project(tmp_path / "tiny")
    spec = project / "migration.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8") + "load:\n  formats: [csv, parquet, xlsx]\n",
        encoding="utf-8",
    )
    return make_package(project)


def test_the_manifest_describes_each_object(out: Path) -> None:
    manifest = json.loads((out / "load/manifest.json").read_text(encoding="utf-8"))
    order = manifest["objects"]["order"]
    assert (order["table"], order["key"], order["file"], order["rows"]) == (
        "orders",
        ["order_no"],
        "load/orders.parquet",
        400,
    )
    assert [c["name"] for c in order["columns"]][:3] == ["order_no", "customer_id", "amount"]
    assert manifest["objects"]["customer"]["personal"] == ["email"]
    assert manifest["target"] is None  # no target: no earlier batch was left out
    package = read_package(out)
    assert [o.name for o in package.objects] == ["customer", "order"]  # dependency order
    assert package.object("order") == ObjectLoad.from_dict("order", order)


def test_every_format_reads_back_to_the_same_rows(out: Path) -> None:
    package = read_package(out)
    for obj in package.objects:
        expected = convert_package(package)[obj.name]
        for kind in ("csv", "xlsx"):
            other = ObjectLoad.from_dict(
                obj.name, {**obj.to_dict(), "file": f"load/{obj.table}.{kind}"}
            )
            frame = read_object_frame(package, other)
            assert frame_rows(frame, obj.columns, obj.key, obj.table) == expected, kind


def test_changed_or_missing_files_are_refused(out: Path) -> None:
    package = read_package(out)
    verify_files(package)
    (out / "load/orders.csv").write_text("order_no\n", encoding="utf-8")
    with pytest.raises(SourceError, match="changed since the run wrote it"):
        verify_files(package)
    (out / "load/orders.csv").unlink()
    with pytest.raises(SourceError, match="missing"):
        verify_files(package)
    with pytest.raises(SourceError, match="no load manifest here"):
        read_package(out.parent / "elsewhere")
