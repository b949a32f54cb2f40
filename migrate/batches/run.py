"""The target load at the end of ``migrate run``: the run's package goes in as one batch.

By then the load files, manifest, ledger and report are written, so a load
that is interrupted can be resumed (``migrate load --resume``) from the package
alone. With ``simulate`` the package is loaded inside a transaction that is
rolled back instead, and every refused row is listed. Either way the report is
written again with a "target load" section; refused rows go to
``report/load_refused.csv`` (``report/simulation.csv`` for a simulation), with
personal values masked.
"""

from __future__ import annotations

from dataclasses import replace

from migrate.batches.loader import BatchOutcome, LoadOptions, LoadRefused, load_package
from migrate.batches.package import read_package
from migrate.batches.refusals import write_refusals
from migrate.batches.simulate import Simulation, simulate_package
from migrate.batches.state import project_records
from migrate.errors import TargetError
from migrate.report.model import RunReport
from migrate.report.sections import LoadedObject, TargetLoad
from migrate.stages.base import RunContext
from migrate.stages.reconcile import write_report_files

REFUSED_FILE = "report/load_refused.csv"
SIMULATION_FILE = "report/simulation.csv"


def batch_section(outcome: BatchOutcome, label: str | None) -> TargetLoad:
    """The report section of a committed batch."""
    return TargetLoad(
        mode="load",
        target=outcome.target.display,
        status=outcome.status,
        batch=outcome.batch,
        label=label,
        resumed=outcome.resumed,
        repeated=outcome.repeated,
        objects=tuple(
            LoadedObject(o.name, o.table, o.rows, o.inserted, o.updated) for o in outcome.objects
        ),
    )


def simulation_section(simulation: Simulation) -> TargetLoad:
    """The report section of a simulated load."""
    return TargetLoad(
        mode="simulation",
        target=simulation.target.display,
        status="would load" if simulation.clean else "would be refused",
        objects=tuple(
            LoadedObject(o.name, o.table, o.rows, o.would_insert, o.would_update, o.refused)
            for o in simulation.objects
        ),
        refused=len(simulation.errors),
    )


def simulation_problem(simulation: Simulation) -> str:
    """One line saying why a simulated load would not go through."""
    parts = []
    if simulation.errors:
        first = simulation.errors[0]
        parts.append(
            f"{len(simulation.errors)} row(s) would be refused, first {first.table} "
            f"{first.key}: {first.message}"
        )
    repeated = {name: n for name, n in simulation.already_loaded.items() if n}
    if repeated:
        listed = ", ".join(f"{name}: {n}" for name, n in sorted(repeated.items()))
        parts.append(f"rows loaded by earlier batches ({listed})")
    return "; ".join(parts)


def deliver(ctx: RunContext, report: RunReport) -> RunReport:
    """Load (or simulate loading) the run's package into its target; the updated report."""
    url = ctx.extras.get("target_url")
    if not url:
        return report
    if not report.reconciled:
        message = "the target was not loaded: the run does not reconcile"
        return replace(report, messages=(*report.messages, message))
    package = read_package(ctx.out_dir)
    records = project_records(ctx.project.root, ctx.project.model.state.loads)
    if ctx.extras.get("simulate"):
        simulation = simulate_package(package, url, records)
        write_refusals(simulation.errors, ctx.out_dir / SIMULATION_FILE)
        report = replace(report, target_load=simulation_section(simulation))
        write_report_files(ctx, report)
        if not simulation.clean:
            raise TargetError(simulation.target.display, simulation_problem(simulation))
        return report
    label = ctx.extras.get("batch_label")
    try:
        options = LoadOptions(label=label, progress=ctx.progress)
        outcome = load_package(package, url, records, options)
    except LoadRefused as refused:
        write_refusals(refused.errors, ctx.out_dir / REFUSED_FILE)
        raise
    report = replace(report, target_load=batch_section(outcome, label))
    write_report_files(ctx, report)
    return report
