"""Validating frames with planned suites in Great Expectations, and writing Data Docs.

Each object is validated by a checkpoint of its own (an in-memory GX context,
no project folder of GX's), whose action updates one Data Docs site under the
given folder: ``<folder>/data_docs/index.html``. Every expectation's outcome
comes back as plain data with the rule id it stands for.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from migrate.gx.lazy import import_gx
from migrate.gx.suite import Expectation, SuitePlan, gx_condition_parts
from migrate.spec.condition import Condition

SITE = "migrate"
DOCS_DIR = "data_docs"


@dataclass(frozen=True)
class Outcome:
    """One expectation's result on one object."""

    object: str
    rule: str
    severity: str
    expectation: str
    column: str | None
    success: bool
    unexpected: int | None
    error: str | None = None


@dataclass(frozen=True)
class GxReport:
    """Every expectation's outcome and where Data Docs are."""

    outcomes: tuple[Outcome, ...]
    docs_index: Path

    @property
    def success(self) -> bool:
        """No expectation of a reject rule failed."""
        return all(o.success for o in self.outcomes if o.severity == "reject")


def validate_frames(plans: dict[str, tuple[SuitePlan, pd.DataFrame]], folder: Path) -> GxReport:
    """Validate each object's frame with its suite; write Data Docs under ``folder``."""
    gx = import_gx()
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    site_dir = folder / DOCS_DIR
    context.add_data_docs_site(site_name=SITE, site_config=_site_config(site_dir))
    source = context.data_sources.add_pandas("load_files")
    outcomes: list[Outcome] = []
    for name, (plan, frame) in plans.items():
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("file")
        suite = context.suites.add(build_suite(plan))
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=suite)
        )
        action = gx.checkpoint.UpdateDataDocsAction(name="docs", site_names=[SITE])
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=f"migrate_{name}",
                validation_definitions=[definition],
                actions=[action],
                result_format={"result_format": "SUMMARY"},
            )
        )
        with warnings.catch_warnings():  # GX runs a pattern's groups through str.contains
            warnings.filterwarnings("ignore", "This pattern is interpreted", UserWarning)
            result = checkpoint.run(batch_parameters={"dataframe": frame})
        for run_result in result.run_results.values():
            outcomes += [_outcome(name, r) for r in run_result.results]
    return GxReport(tuple(outcomes), site_dir / "index.html")


def build_suite(plan: SuitePlan) -> Any:
    """The GX ``ExpectationSuite`` of a plan (every expectation keeps its rule in ``meta``)."""
    gx = import_gx()
    suite = gx.ExpectationSuite(name=plan.name)
    for planned in plan.expectations:
        suite.add_expectation(to_gx(planned))
    return suite


def to_gx(planned: Expectation) -> Any:
    """One planned expectation as a GX expectation object."""
    gx = import_gx()
    kind = getattr(gx.expectations, planned.kind)
    extra: dict[str, Any] = {}
    if planned.when is not None:
        extra["row_condition"] = gx_condition(planned.when)
    meta = {"rule": planned.rule, "severity": planned.severity}
    return kind(**planned.kwargs, **extra, meta=meta)


def gx_condition(condition: Condition) -> Any:
    """A ``when`` condition as a GX row condition (OR of ANDs of column tests)."""
    import_gx()
    from great_expectations.expectations.row_conditions import Column

    def test(part: Condition) -> Any:
        column = Column(str(part.field))
        if part.is_null is not None:
            return column.is_null() if part.is_null else column.is_not_null()
        if part.in_ is not None:
            return column.is_in([str(v) for v in part.in_])
        return column == str(part.equals)

    ors = []
    for ands in gx_condition_parts(condition):
        combined = test(ands[0])
        for part in ands[1:]:
            combined = combined & test(part)
        ors.append(combined)
    result = ors[0]
    for more in ors[1:]:
        result = result | more
    return result


def _outcome(name: str, result: Any) -> Outcome:
    config = result.expectation_config
    meta = config.meta or {}
    info = result.exception_info or {}
    error = info.get("exception_message") if info.get("raised_exception") else None
    count = (result.result or {}).get("unexpected_count")
    return Outcome(
        object=name,
        rule=str(meta.get("rule", "")),
        severity=str(meta.get("severity", "reject")),
        expectation=str(config.type),
        column=config.kwargs.get("column"),
        success=bool(result.success),
        unexpected=None if count is None else int(count),
        error=error,
    )


def _site_config(site_dir: Path) -> dict[str, Any]:
    return {
        "class_name": "SiteBuilder",
        "store_backend": {
            "class_name": "TupleFilesystemStoreBackend",
            "base_directory": str(site_dir),
        },
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }
