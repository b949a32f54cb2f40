"""Validation of 1,000,000 demo customers: pandera (the validate stage) against Great Expectations.

The rows are built directly in the demo's customer mapping (text, as the
validate stage receives them), with 0.5% of them carrying one defect each.
Both validators run in a fresh process each, on the same rows, with the same
declarations: pandera through ``check_frame`` (typing included), GX through the
suite ``plan_suite`` makes of the demo mapping (typing timed apart, Data Docs
written). Figures: seconds and peak MiB of each process, rows failing.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bench.memory import measured

ROOT = Path(__file__).resolve().parents[1]
ROWS = 1_000_000
DEFECT_SHARE = 0.005
SEED = 7


def customers(rows: int, seed: int = SEED) -> pd.DataFrame:
    """``rows`` demo-like customers as text in the target layout, some with a defect."""
    rng = np.random.default_rng(seed)
    numbers = pd.Series(np.arange(1, rows + 1)).astype("str").str.zfill(9)
    created = pd.Timestamp("2005-01-01") + pd.to_timedelta(rng.integers(0, 6000, rows), "D")
    changed = created + pd.to_timedelta(rng.integers(0, 2000, rows), "D")
    frame = pd.DataFrame(
        {
            "customer_id": "C" + numbers,
            "name": "北京华" + numbers.str[-5:] + "机械有限公司",
            "street": "朝阳路" + pd.Series(rng.integers(1, 999, rows)).astype("str") + "号",
            "city": rng.choice(np.array(["北京", "上海", "广州", "Hong Kong"]), rows),
            "postal_code": pd.Series(rng.integers(100000, 999999, rows)).astype("str"),
            "country": rng.choice(np.array(["CN", "HK"]), rows, p=[0.95, 0.05]),
            "phone": "+86 10 " + pd.Series(rng.integers(10**7, 10**8, rows)).astype("str"),
            "email": "info" + numbers + "@example.cn",
            "tax_id": "91110000" + numbers + "X",
            "account_group": rng.choice(np.array(["DOM", "EXP", "ONE"]), rows),
            "sales_org": rng.choice(np.array(["1000", "2000", "3000"]), rows),
            "contact": "王" + numbers.str[-3:],
            "created_on": created.strftime("%Y-%m-%d"),
            "changed_on": changed.strftime("%Y-%m-%d"),
        }
    ).astype("str")
    return _with_defects(frame, rng)


def _with_defects(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One defect on each of ``DEFECT_SHARE`` of the rows, of six kinds in turn."""
    chosen = rng.choice(len(frame), int(len(frame) * DEFECT_SHARE), replace=False)
    kinds = [
        ("name", None),  # required
        ("name", "x" * 80),  # length
        ("postal_code", "1234"),  # pattern
        ("country", "XX"),  # allowed
        ("tax_id", None),  # CUS-V01 (warn) where the country is CN
        ("changed_on", "1999-01-01"),  # CUS-V02 (warn)
    ]
    for number, (column, value) in enumerate(kinds):
        rows = chosen[number :: len(kinds)]
        frame.loc[frame.index[rows], column] = value
    frame.loc[frame.index[chosen[-10:]], "customer_id"] = frame["customer_id"].iloc[0]  # unique
    return frame


def _demo_customer() -> Any:
    from migrate.spec.loader import load_project

    return load_project(ROOT).objects["customer"]


def pandera_job(path: str) -> dict[str, Any]:
    """Validate the rows as the validate stage does; seconds of validation alone."""
    from migrate.stages.validate import check_frame

    obj = _demo_customer()
    frame = pd.read_parquet(path).astype("str")
    started = time.perf_counter()
    checked = check_frame(frame, obj.mapping, obj.check_tables)
    seconds = time.perf_counter() - started
    return {
        "validate_seconds": round(seconds, 2),
        "rows_rejected": len(checked.rejected_index()),
        "rows_failing_any_rule": int(checked.failures["index"].nunique()),
    }


def gx_job(path: str, docs: str) -> dict[str, Any]:
    """Type the rows, then validate them with the equivalent GX suite and write Data Docs."""
    from migrate.gx.frames import gx_frame
    from migrate.gx.run import validate_frames
    from migrate.gx.suite import plan_suite

    obj = _demo_customer()
    text = pd.read_parquet(path).astype("str")
    started = time.perf_counter()
    frame = gx_frame(text, obj.mapping)
    typed = time.perf_counter()
    plan = plan_suite(obj.mapping, obj.check_tables)
    report = validate_frames({"customer": (plan, frame)}, Path(docs))
    done = time.perf_counter()
    return {
        "typing_seconds": round(typed - started, 2),
        "validate_seconds": round(done - typed, 2),
        "expectations": len(report.outcomes),
        "expectations_failed": sum(1 for o in report.outcomes if not o.success),
    }


def run(work_dir: Path) -> dict[str, Any]:
    """Both validators on the same 1,000,000 rows, each in its own process."""
    path = work_dir / "customers.parquet"
    customers(ROWS).to_parquet(path)
    figures: dict[str, Any] = {"rows": ROWS, "defect_share": DEFECT_SHARE}
    pandera = measured(pandera_job, str(path))
    figures["pandera"] = {
        **pandera["result"],
        "process_seconds": round(pandera["seconds"], 2),
        "peak_mib": pandera["peak_mib"],
    }
    try:
        gx = measured(gx_job, str(path), str(work_dir / "gx"))
    except RuntimeError as error:
        figures["gx"] = {"error": str(error)}
        return figures
    figures["gx"] = {
        **gx["result"],
        "process_seconds": round(gx["seconds"], 2),
        "peak_mib": gx["peak_mib"],
    }
    return figures
