"""Load files as the frames GX validates: each declared field in its type.

Values are typed with ``coerce_frame``, as the validate stage types them. A
column holding a value that is not of its declared type stays text, so GX's
column-type expectation reports that column instead of seeing the value as
missing.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from migrate.gx.run import GxReport, validate_frames
from migrate.gx.suite import SuitePlan, plan_suite
from migrate.schema import coerce_frame
from migrate.schema.loadfiles import find_load_file, read_load_file
from migrate.spec.loader import Project
from migrate.spec.mapping import Mapping

GX_DIR = "gx"


def gx_frame(text: pd.DataFrame, mapping: Mapping) -> pd.DataFrame:
    """The declared fields of ``text`` typed; a column with a value not of its type stays text."""
    coerced = coerce_frame(text, mapping)
    frame = coerced.frame.copy()
    for name in coerced.failures:
        frame[name] = text[name]
    return frame


def validate_load_files(project: Project, out_dir: Path) -> GxReport:
    """Validate every object's load file under ``out_dir/load``; Data Docs under ``out_dir/gx``."""
    plans: dict[str, tuple[SuitePlan, pd.DataFrame]] = {}
    formats = project.model.load.formats
    for name, obj in project.objects.items():
        path = find_load_file(out_dir / "load", obj.table, formats)
        frame = gx_frame(read_load_file(path), obj.mapping)
        plans[name] = (plan_suite(obj.mapping, obj.check_tables), frame)
    return validate_frames(plans, out_dir / GX_DIR)
