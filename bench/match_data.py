"""Data sets for the matching benchmark, written once per size as Parquet with their truth.

* ``people``: the person-like set of ``bench.people`` (first name, surname, birth
  date, city, e-mail, phone; about 0.74 true duplicate pairs per record).
* ``companies``: the demo generator's Chinese company-and-address customers (ERP
  CSV + CRM workbook), extracted, mapped and cleansed by the demo project's own
  rules, so both tools see the same standardized fields (name key, pinyin, credit
  code, phone, street, postal code).

Every file has ``unique_id`` (0..n-1), ``cluster`` (the true entity) and the
fields; preparing is not part of any timed figure.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from bench.people import people

ROOT = Path(__file__).resolve().parents[1]
COMPANY_FIELDS = ["name_key", "name_pinyin", "tax_id", "phone", "street", "postal_code", "city"]
PEOPLE_FIELDS = ["first_name", "surname", "dob", "city", "email", "phone"]
FIELDS = {"people": PEOPLE_FIELDS, "companies": COMPANY_FIELDS}


def prepare(dataset: str, size: int, work_dir: Path) -> Path:
    """The Parquet file of ``dataset`` at ``size`` under ``work_dir`` (made if missing)."""
    path = work_dir / f"{dataset}_{size}.parquet"
    if not path.exists():
        frame = people(size, seed=7) if dataset == "people" else companies(size, work_dir)
        frame.to_parquet(path, index=False)
    return path


def companies(size: int, work_dir: Path, seed: int = 42) -> pd.DataFrame:
    """Generate ``size`` customer entities (the generator's ``seed``) and cleanse them with
    the demo's rules."""
    from samples.generate import generate

    project = work_dir / f"companies_{size}"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    shutil.copy(ROOT / "migration.yaml", project)
    for folder in ("mappings", "rules"):
        shutil.copytree(ROOT / folder, project / folder)
    generate(project / "samples", size, seed=seed, only={"customers"})
    frame = _cleansed_customers(project)
    truth = pd.read_csv(project / "samples/truth/customer_entities.csv", dtype=str)
    shutil.rmtree(project)
    entity = truth.set_index(["system", "legacy_key"])["entity_id"]
    keys = pd.MultiIndex.from_arrays([frame["_system"], frame["_key"]])
    codes, _ = pd.factorize(entity.reindex(keys).to_numpy())
    out = pd.DataFrame({"unique_id": np.arange(len(frame)), "cluster": codes})
    for name in COMPANY_FIELDS:
        out[name] = pd.array(frame[name].to_numpy(dtype=object), dtype="str")
    return out


def _cleansed_customers(project: Path) -> pd.DataFrame:
    """The customer object of the project after extract, map and cleanse."""
    from migrate.ledger import Ledger
    from migrate.spec.loader import load_project
    from migrate.stages import cleanse, extract
    from migrate.stages import map as map_stage
    from migrate.stages.base import RunContext

    spec = load_project(project)
    obj = spec.objects["customer"]
    ctx = RunContext(project=spec, ledger=Ledger(), out_dir=project / "out", run_id="bench")
    frame = pd.DataFrame()
    for stage in (extract.run, map_stage.run, cleanse.run):
        frame, _ = stage(frame, obj, ctx)
    return frame.reset_index(drop=True)
