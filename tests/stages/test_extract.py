"""Extract: every source of an object read into one frame with row identities."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from migrate.errors import SourceError
from migrate.ledger import Ledger
from migrate.spec.loader import load_project
from migrate.stages import extract
from migrate.stages.base import RunContext

MIGRATION = """\
project: t
objects:
  item:
    sources:
      - {name: old, system: ERP, kind: csv, path: legacy/items.csv, key: [ID, POS]}
      - {name: db, system: WMS, kind: sql, url: "sqlite:///legacy/items.sqlite", table: ITEMS,
         key: [CODE]}
"""
MAPPING = """\
object: item
key: [code]
fields: {code: {required: true}, name: {}}
sources:
  old: {code: ID, name: NAME}
  db: {code: CODE, name: LABEL}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "legacy").mkdir()
    (tmp_path / "mappings").mkdir()
    (tmp_path / "migration.yaml").write_text(MIGRATION, "utf-8")
    (tmp_path / "mappings/item.yaml").write_text(MAPPING, "utf-8")
    csv_text = "ID,POS,NAME\r\n007,1,螺栓\r\n008,2,螺母\r\n"
    (tmp_path / "legacy/items.csv").write_bytes(csv_text.encode("gb18030"))
    with sqlite3.connect(tmp_path / "legacy/items.sqlite") as db:
        db.execute("CREATE TABLE ITEMS (CODE TEXT, LABEL TEXT)")
        db.executemany("INSERT INTO ITEMS VALUES (?, ?)", [("A1", "垫圈"), ("A2", None)])
    return tmp_path


def _run(project: Path):  # type: ignore[no-untyped-def]
    spec = load_project(project)
    ctx = RunContext(project=spec, ledger=Ledger(), out_dir=project / "out", run_id="t")
    return extract.run(__import__("pandas").DataFrame(), spec.objects["item"], ctx), ctx


def test_sources_are_stacked_with_identity_columns(project: Path) -> None:
    (frame, result), ctx = _run(project)
    assert frame["_rid"].tolist() == [0, 1, 2, 3]
    assert frame.index.tolist() == [0, 1, 2, 3]
    assert frame["_system"].tolist() == ["ERP", "ERP", "WMS", "WMS"]
    assert frame["_key"].tolist() == ["007/1", "008/2", "A1", "A2"]
    assert frame["_row"].tolist() == [2, 3, 1, 2]
    assert frame.loc[0, "NAME"] == "螺栓" and frame.loc[2, "LABEL"] == "垫圈"
    assert result.metrics["rows_per_source"] == {"old": 2, "db": 2}
    assert len(ctx.ledger.rows("item")) == 4


def test_relative_sqlite_url_is_relative_to_the_project(project: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir("/")
    (frame, _), _ = _run(project)
    assert len(frame) == 4


def test_empty_legacy_key_is_a_source_error_naming_the_row(project: Path) -> None:
    csv_text = "ID,POS,NAME\r\n007,1,螺栓\r\n,2,螺母\r\n"
    (project / "legacy/items.csv").write_bytes(csv_text.encode("gb18030"))
    with pytest.raises(SourceError) as caught:
        _run(project)
    assert caught.value.row == 3
    assert "legacy/items.csv: row 3: legacy key ['ID', 'POS'] is empty" in str(caught.value)


def test_a_mapped_column_missing_from_the_source_is_an_error(project: Path) -> None:
    (project / "legacy/items.csv").write_bytes("ID,POS,TITLE\r\n1,1,x\r\n".encode("gb18030"))
    with pytest.raises(SourceError, match="NAME"):
        _run(project)
