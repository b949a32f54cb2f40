"""Sources named on the command line: kinds by extension, URLs with tables, unique names."""

from __future__ import annotations

import pytest

from migrate.errors import SourceError
from migrate.profile.inputs import SourceOptions, identifier, is_url, source_specs


def test_kinds_come_from_the_extension() -> None:
    specs = source_specs(
        ["a/staff.csv", "b/staff.XLSX", "c/list.tsv", "d/x.parquet"],
        SourceOptions(encoding="gb18030", sheet="Sheet2"),
    )
    assert [(s.name, s.kind) for s in specs] == [
        ("staff", "csv"),
        ("staff_2", "excel"),
        ("list", "csv"),
        ("x", "parquet"),
    ]
    assert specs[0].encoding == "gb18030" and specs[1].sheet == "Sheet2"
    assert specs[2].delimiter == "\t" and specs[0].delimiter == ","


def test_a_url_gives_one_source_per_table() -> None:
    specs = source_specs(["sqlite:///legacy.db"], SourceOptions(tables=("MARA", "KNA1")))
    assert [(s.name, s.kind, s.table, s.url) for s in specs] == [
        ("mara", "sql", "MARA", "sqlite:///legacy.db"),
        ("kna1", "sql", "KNA1", "sqlite:///legacy.db"),
    ]


def test_a_url_without_table_and_an_unknown_extension_are_errors() -> None:
    with pytest.raises(SourceError, match="needs --table"):
        source_specs(["postgresql://h/db"], SourceOptions())
    with pytest.raises(SourceError, match=r"unknown file type '\.dat' \(valid: .*\.csv"):
        source_specs(["x.dat"], SourceOptions())


def test_is_url() -> None:
    assert is_url("postgresql+psycopg://u@h/db") and is_url("sqlite:///x.db")
    assert not is_url("C:/data/x.csv") and not is_url("data/x.csv")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Account ID", "account_id"),
        ("客户名称", "ke_hu_ming_cheng"),
        ("2019 sales", "column_2019_sales"),
        ("Ünïcode-Näme", "unicode_name"),
        ("***", "column"),
    ],
)
def test_identifier(text: str, name: str) -> None:
    assert identifier(text) == name
