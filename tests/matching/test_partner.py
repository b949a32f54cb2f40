"""Customer-vendor business partners: one golden partner key across two objects."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest

from migrate.errors import SpecError
from migrate.spec.project import ObjectSpecModel, ProjectModel
from migrate.stages import merge
from tests.matching.helpers import make_context, make_frame, make_object

FIELDS = ["code", "name", "tax_id", "partner_id"]
LINK: dict[str, Any] = {
    "object": "customer",
    "blocking": [
        {"name": "tax", "key": [{"field": "tax_id"}]},
        {"name": "name", "key": [{"field": "name", "transform": "prefix", "length": 4}]},
    ],
    "compare": [
        {"field": "name", "method": "jaro_winkler", "weight": 1},
        {"field": "tax_id", "method": "exact", "weight": 2},
    ],
    "thresholds": {"auto_merge": 0.9, "review": 0.6},
}
CUSTOMERS = [
    {"code": "C1", "name": "Acme Trading", "tax_id": "T1"},
    {"code": "C2", "name": "Bolt Motors", "tax_id": "T2"},
    {"code": "C3", "name": "Bolt Motor Parts", "tax_id": "T9"},
]
VENDORS = [
    {"code": "V1", "name": "Acme Trading Co", "tax_id": "T1"},  # Acme: a customer too
    {"code": "V2", "name": "Bolt Motors", "tax_id": "T2"},  # Bolt: a customer too
    {"code": "V3", "name": "Bolt Motors", "tax_id": "T2"},  # a second Bolt vendor record
    {"code": "V4", "name": "Zenith Foods", "tax_id": "T4"},  # a vendor only
]


def _objects() -> tuple[Any, Any]:
    customer = make_object(FIELDS, key=["code"], name="customer")
    vendor = make_object(FIELDS, key=["code"], name="vendor")
    model = ObjectSpecModel.model_validate(
        {"sources": [s.model_dump() for s in vendor.model.sources], "partner_of": LINK}
    )
    return customer, dataclasses.replace(vendor, model=model)


def _merge(tmp_path: Path, records: list[dict[str, Any]], obj: Any, customers: Any = None) -> Any:
    frame = make_frame(records, FIELDS)
    ctx = make_context(tmp_path, frame, obj=obj.name)
    customer, vendor = _objects()
    ctx.project = SimpleNamespace(objects={"customer": customer, "vendor": vendor})  # type: ignore[assignment]
    if customers is not None:
        ctx.frames["customer"] = customers
    return merge.run(frame, obj, ctx), ctx


def test_vendor_that_is_a_customer_gets_the_customers_partner_key(tmp_path: Path) -> None:
    customer, vendor = _objects()
    (customers, _), _ = _merge(tmp_path / "c", CUSTOMERS, customer)
    assert customers["partner_id"].tolist() == ["C1", "C2", "C3"]  # customers: their own key
    (vendors, result), ctx = _merge(tmp_path / "v", VENDORS, vendor, customers)
    assert vendors["partner_id"].tolist() == ["C1", "C2", "V3", "V4"]  # one vendor per customer
    partners = result.metrics["partners"]
    assert (partners["with"], partners["linked"]) == ("customer", 2)
    linked = ctx.extras["partners:vendor"]
    assert linked[["golden_key", "partner_key"]].to_numpy().tolist() == [["V1", "C1"], ["V2", "C2"]]
    review = pd.read_csv(tmp_path / "v" / "review" / "vendor_partner_review.csv", dtype=str)
    assert len(review) == partners["reviews"]


def test_partner_object_must_have_run(tmp_path: Path) -> None:
    _, vendor = _objects()
    with pytest.raises(SpecError, match="partner_of"):
        _merge(tmp_path, VENDORS, vendor)


def test_partner_of_makes_the_other_object_a_dependency() -> None:
    source = {"name": "s", "system": "ERP", "kind": "csv", "path": "s.csv", "key": ["k"]}
    model = ProjectModel.model_validate(
        {
            "project": "p",
            "objects": {
                "customer": {"sources": [source]},
                "vendor": {"sources": [source], "partner_of": LINK},
            },
        }
    )
    assert model.objects["vendor"].depends_on == ["customer"]
