"""Tests of the sample landscape generator (``samples/generate.py``)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import openpyxl
import pandas as pd
import phonenumbers
import pytest
from stdnum.cn import uscc

from samples.gen.customers import CRM_COLUMNS, ERP_COLUMNS
from samples.gen.materials import MARA_COLUMNS
from samples.gen.orders import ORDER_COLUMNS
from samples.generate import DEFAULT_OUT, generate, main

SMALL = 200
BYTE_FILES = (
    "legacy/erp/customers.csv",
    "legacy/crm/accounts.xlsx",
    "legacy/erp/order_lines.csv",
    "truth/customer_entities.csv",
    "truth/material_entities.csv",
    "truth/defects.csv",
    "truth/hard_negatives.csv",
)
DEFECT_KINDS = {
    "bad_uscc_check_digit",
    "missing_name",
    "impossible_date",
    "unmapped_value",
    "orphan_customer",
    "orphan_material",
    "bad_email",
    "delivery_before_order",
    "negative_quantity",
}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed42")
    generate(out, SMALL, seed=42)
    return out


def _fresh(tmp_path_factory: pytest.TempPathFactory, name: str, **kwargs: object) -> Path:
    out = tmp_path_factory.mktemp(name)
    generate(out, **kwargs)  # type: ignore[arg-type]
    return out


def _erp(out: Path) -> pd.DataFrame:
    return pd.read_csv(
        out / "legacy/erp/customers.csv", encoding="gb18030", dtype=str, keep_default_na=False
    )


def _orders(out: Path) -> pd.DataFrame:
    return pd.read_csv(
        out / "legacy/erp/order_lines.csv", encoding="gb18030", dtype=str, keep_default_na=False
    )


def _crm(out: Path) -> pd.DataFrame:
    """CRM sheet as raw cell values (text cells as str, date cells as datetime)."""
    book = openpyxl.load_workbook(out / "legacy/crm/accounts.xlsx", read_only=True)
    rows = list(book["Accounts"].iter_rows(values_only=True))
    book.close()
    frame = pd.DataFrame(rows[1:], columns=rows[0], dtype=object)
    return frame.map(lambda v: "" if v is None else v)


def _mara(out: Path) -> pd.DataFrame:
    with sqlite3.connect(out / "legacy/erp/materials.sqlite") as con:
        return pd.read_sql("SELECT * FROM MARA ORDER BY rowid", con)


def _truth(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / "truth" / name, dtype=str, keep_default_na=False)


def _number(code: str) -> int:
    return int(re.sub(r"\D", "", code))


def test_same_seed_gives_identical_files(
    small: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    again = _fresh(tmp_path_factory, "again", customers=SMALL, seed=42)
    for name in BYTE_FILES:
        assert (small / name).read_bytes() == (again / name).read_bytes(), name
    pd.testing.assert_frame_equal(_mara(small), _mara(again))


def test_other_seed_gives_other_data(small: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    other = _fresh(tmp_path_factory, "seed7", customers=SMALL, seed=7)
    assert set(_erp(small)["NAME1"]) != set(_erp(other)["NAME1"])
    assert not set(_erp(small)["STCD5"]) - {""} & set(_erp(other)["STCD5"])
    assert list(_mara(small)["MATNR"]) != list(_mara(other)["MATNR"])


def test_columns_are_the_agreed_names(small: Path) -> None:
    assert tuple(_erp(small).columns) == ERP_COLUMNS
    assert tuple(_crm(small).columns) == CRM_COLUMNS
    assert tuple(_mara(small).columns) == MARA_COLUMNS
    assert tuple(_orders(small).columns) == ORDER_COLUMNS


@pytest.mark.parametrize("name", ["legacy/erp/customers.csv", "legacy/erp/order_lines.csv"])
def test_legacy_csv_is_gb18030_with_crlf(small: Path, name: str) -> None:
    data = (small / name).read_bytes()
    data.decode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert data.count(b"\n") == data.count(b"\r\n") > 10


def test_every_customer_row_is_in_the_truth_once(small: Path) -> None:
    truth = _truth(small, "customer_entities.csv")
    keys = list(zip(truth["system"], truth["legacy_key"], strict=True))
    assert len(keys) == len(set(keys))
    erp, crm = _erp(small), _crm(small)
    assert erp["KUNNR"].is_unique and crm["Account ID"].is_unique
    rows = {("ERP", k) for k in erp["KUNNR"]} | {("CRM", k) for k in crm["Account ID"]}
    assert set(keys) == rows
    assert truth["entity_id"].nunique() == SMALL


def test_every_material_row_is_in_the_truth_once(small: Path) -> None:
    truth, mara = _truth(small, "material_entities.csv"), _mara(small)
    assert mara["MATNR"].is_unique
    assert list(truth["legacy_key"]) == list(mara["MATNR"])
    merged = truth.merge(mara, left_on="legacy_key", right_on="MATNR")
    merged["number"] = merged["MATNR"].map(_number)
    per_entity = merged.groupby("entity_id")[["number", "MTART"]].nunique()
    assert (per_entity == 1).all().all()
    assert (merged.groupby("entity_id").size() == 2).sum() >= 0.1 * merged["entity_id"].nunique()


def _cell(small: Path) -> dict[tuple[str, str, str], object]:
    """(object, legacy key, field) -> value in the legacy file."""
    out: dict[tuple[str, str, str], object] = {}
    for obj_name, frame, key in (
        ("customer", _erp(small), "KUNNR"),
        ("customer", _crm(small), "Account ID"),
        ("material", _mara(small), "MATNR"),
    ):
        for row in frame.to_dict("records"):
            out |= {(obj_name, str(row[key]), str(col)): v for col, v in row.items()}
    for row in _orders(small).to_dict("records"):
        key = f"{row['VBELN']}/{row['POSNR']}"
        out |= {("sales_order_line", key, str(col)): v for col, v in row.items()}
    return out


def test_defect_rows_hold_the_recorded_value(small: Path) -> None:
    defects = _truth(small, "defects.csv")
    cells = _cell(small)
    for d in defects.to_dict("records"):
        assert cells[(d["object"], d["legacy_key"], d["field"])] == d["value"], d
    assert set(defects["defect"]) == DEFECT_KINDS
    assert (defects["defect"].value_counts() >= 3).all()
    assert set(defects.loc[defects["expect"] == "warn", "defect"]) == {"bad_email"}


def test_defect_rows_are_single_and_outside_duplicate_clusters(small: Path) -> None:
    defects = _truth(small, "defects.csv")
    assert not defects.duplicated(["object", "system", "legacy_key"]).any()
    truth = _truth(small, "customer_entities.csv")
    size = truth.groupby("entity_id")["legacy_key"].transform("size")
    clustered = set(zip(truth["system"][size > 1], truth["legacy_key"][size > 1], strict=True))
    customer = defects[defects["object"] == "customer"]
    assert not clustered & set(zip(customer["system"], customer["legacy_key"], strict=True))
    mats = _truth(small, "material_entities.csv")
    msize = mats.groupby("entity_id")["legacy_key"].transform("size")
    material = defects[defects["object"] == "material"]
    assert not set(mats["legacy_key"][msize > 1]) & set(material["legacy_key"])


def test_credit_codes_pass_or_fail_stdnum_as_recorded(small: Path) -> None:
    bad = _truth(small, "defects.csv").query("defect == 'bad_uscc_check_digit'")
    bad_keys = set(bad["legacy_key"])
    codes = list(zip(_erp(small)["KUNNR"], _erp(small)["STCD5"], strict=True))
    codes += list(zip(_crm(small)["Account ID"], _crm(small)["Credit Code"], strict=True))
    for key, code in codes:
        if code:
            assert uscc.is_valid(code) == (key not in bad_keys), (key, code)
    assert len(bad_keys) >= 6


def test_phones_are_accepted_by_phonenumbers(small: Path) -> None:
    phones = [p for p in [*_erp(small)["TELF1"], *_crm(small)["Phone"]] if p]
    assert len(phones) > 200
    for text in phones:
        assert phonenumbers.is_valid_number(phonenumbers.parse(text, "CN")), text
    joined = " ".join(phones)
    for pattern in (
        r"0\d{2,3}-\d{8}",
        r"\(0\d{2,3}\) \d{4} \d{4}",
        r"\+86 \d",
        r"0086-",
        r"1[358]\d \d{4} \d{4}",
        "－",
    ):
        assert re.search(pattern, joined), pattern


def _one_shared_code(codes: pd.Series) -> bool:
    return bool(codes.ne("").all() and codes.nunique() == 1)


def test_duplicates_with_and_without_shared_identifier(small: Path) -> None:
    truth = _truth(small, "customer_entities.csv")
    codes = dict(zip(_erp(small)["KUNNR"], _erp(small)["STCD5"], strict=True))
    codes |= dict(zip(_crm(small)["Account ID"], _crm(small)["Credit Code"], strict=True))
    truth["code"] = truth["legacy_key"].map(codes)
    clusters = truth.groupby("entity_id").filter(lambda g: len(g) > 1).groupby("entity_id")
    shared = clusters["code"].agg(_one_shared_code)
    assert 0.4 < shared.mean() < 0.9
    erp_dups = truth[truth["system"] == "ERP"].groupby("entity_id").size()
    assert (erp_dups > 1).sum() >= 5
    assert (clusters["system"].nunique() == 2).sum() >= 5
    variants = set("+".join(truth["variant"]).split("+"))
    assert {"original", "traditional", "typo", "legal_suffix", "abbreviation"} <= variants


def test_hard_negatives_are_distinct_entities(small: Path) -> None:
    pairs = _truth(small, "hard_negatives.csv")
    customers = pairs[pairs["object"] == "customer"]
    assert len(customers) >= 3
    truth = _truth(small, "customer_entities.csv")
    entity = dict(
        zip(zip(truth["system"], truth["legacy_key"], strict=True), truth["entity_id"], strict=True)
    )
    names = dict(zip(_erp(small)["KUNNR"], _erp(small)["NAME1"], strict=True))
    names |= dict(zip(_crm(small)["Account ID"], _crm(small)["Account Name"], strict=True))
    for p in customers.to_dict("records"):
        a = entity[(p["system_a"], p["legacy_key_a"])]
        b = entity[(p["system_b"], p["legacy_key_b"])]
        assert a != b
        name_a, name_b = names[p["legacy_key_a"]], names[p["legacy_key_b"]]
        assert name_a != name_b and len(set(name_a) & set(name_b)) >= 4
    mara = _mara(small).set_index("MATNR")
    for p in pairs[pairs["object"] == "material"].to_dict("records"):
        a, b = p["legacy_key_a"], p["legacy_key_b"]
        assert _number(a) == _number(b)
        assert str(mara.at[a, "MTART"]) != str(mara.at[b, "MTART"])


def test_order_lines_reference_existing_rows_unless_orphaned(small: Path) -> None:
    orders, defects = _orders(small), _truth(small, "defects.csv")
    lines = orders.assign(key=orders["VBELN"] + "/" + orders["POSNR"])
    orphan_c = set(defects.query("defect == 'orphan_customer'")["legacy_key"])
    orphan_m = set(defects.query("defect == 'orphan_material'")["legacy_key"])
    known_c = lines["KUNNR"].isin(set(_erp(small)["KUNNR"]))
    known_m = lines["MATNR"].isin(set(_mara(small)["MATNR"]))
    assert set(lines.loc[~known_c, "key"]) == orphan_c
    assert set(lines.loc[~known_m, "key"]) == orphan_m
    numbers = {_number(c) for c in _mara(small)["MATNR"]}
    assert not {_number(c) for c in lines.loc[~known_m, "MATNR"]} & numbers
    assert lines["key"].is_unique and lines["VBELN"].str.fullmatch(r"\d{10}").all()


def test_only_orders_keeps_the_other_truth_rows(
    small: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    out = _fresh(tmp_path_factory, "only", customers=SMALL, seed=42)
    before = (out / "truth/defects.csv").read_bytes()
    counts = generate(out, SMALL, seed=42, only={"orders"})
    assert set(counts) == {"legacy/erp/order_lines.csv", "truth/defects.csv"}
    assert (out / "truth/defects.csv").read_bytes() == before
    assert (out / "legacy/erp/order_lines.csv").read_bytes() == (
        small / "legacy/erp/order_lines.csv"
    ).read_bytes()


def test_order_lines_override_and_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "--customers",
                "60",
                "--out",
                str(tmp_path),
                "--only",
                "materials,orders",
                "--order-lines",
                "1234",
            ]
        )
        == 0
    )
    assert len(_orders(tmp_path)) == 1234
    assert "order_lines.csv" in capsys.readouterr().out
    assert not (tmp_path / "legacy/erp/customers.csv").exists()


@pytest.mark.skipif(not (DEFAULT_OUT / "legacy").exists(), reason="no committed sample set")
def test_committed_set_equals_fresh_default_generation(tmp_path: Path) -> None:
    counts = generate(tmp_path, 1000)
    for name in BYTE_FILES:
        assert (DEFAULT_OUT / name).read_bytes() == (tmp_path / name).read_bytes(), name
    pd.testing.assert_frame_equal(_mara(DEFAULT_OUT), _mara(tmp_path))
    assert counts["legacy/erp/customers.csv"] > 700
    for name in BYTE_FILES:
        assert (DEFAULT_OUT / name).stat().st_size < 1_000_000, name
