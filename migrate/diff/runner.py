"""Run two versions of a project's rules on the same legacy data and compare the outcomes.

Both versions are loaded from their own spec files and run with the data
folder as their root, so relative source paths read the same files. A run
records no history and writes its state (golden-key registry, reviewers'
decisions) into a scratch copy, so a diff changes nothing in the project.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from migrate.diff.model import DiffReport, FunnelChange, RuleCountChange, VersionInfo
from migrate.diff.outcomes import fate_changes, field_changes, joined, read_ledger
from migrate.diff.specs import spec_changes
from migrate.diff.versions import Version, resolve_version
from migrate.errors import SpecError
from migrate.pipeline import RunOptions, RunOutcome, run_project
from migrate.spec.loader import PROJECT_FILE, Project, load_project
from migrate.spec.project import ProjectModel

FIGURES = ("extracted", "loaded", "merged", "rejected", "out_of_scope")


@dataclass(frozen=True)
class Side:
    """One version, loaded and run."""

    version: Version
    project: Project
    out: Path
    outcome: RunOutcome


def diff_versions(
    old: str, new: str, project_dir: Path, data_dir: Path, scratch: Path, scope: str | None = None
) -> DiffReport:
    """Compare versions ``old`` and ``new`` (folders or git revisions) on ``data_dir``'s data."""
    sides = []
    for label, argument in (("old", old), ("new", new)):
        version = resolve_version(argument, project_dir, scratch / f"{label}_spec")
        project = _load(version, data_dir, scratch / f"{label}_state", scope)
        out = scratch / f"{label}_out"
        outcome = run_project(project, RunOptions(out_dir=out, scope=scope, history=False))
        sides.append(Side(version, project, out, outcome))
    return compare(sides[0], sides[1], data_dir, scope)


def _load(version: Version, data_dir: Path, state_dir: Path, scope: str | None) -> Project:
    try:
        project = load_project(version.root)
    except SpecError as error:
        raise SpecError(
            f"{version.label}: {error.file}", error.key_path, error.problem, error.choices
        ) from None
    if scope is not None and scope not in project.model.scopes:
        raise SpecError(
            f"{version.label}: {PROJECT_FILE}",
            "scopes",
            f"no scope {scope!r}",
            project.model.scopes,
        )
    root = data_dir.resolve()
    return replace(project, root=root, model=_isolated_state(project, root, state_dir))


def _isolated_state(project: Project, data_root: Path, scratch: Path) -> ProjectModel:
    """The project's model with every state folder replaced by a scratch copy of it."""
    model = project.model
    state = getattr(model, "state", None)
    if state is None:
        return model
    updates = {}
    for name, folder in state.model_dump().items():
        if not isinstance(folder, str):
            continue
        source = Path(folder) if Path(folder).is_absolute() else data_root / folder
        target = scratch / name
        if source.is_dir():
            shutil.copytree(source, target)
        updates[name] = str(target)
    return model.model_copy(update={"state": state.model_copy(update=updates)})


def compare(old: Side, new: Side, data_dir: Path, scope: str | None) -> DiffReport:
    """The impact assessment from two finished runs."""
    personal = _personal(old.project, new.project)
    rows = joined(read_ledger(old.out), read_ledger(new.out))
    return DiffReport(
        project=new.project.name,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        old=_info(old.version),
        new=_info(new.version),
        data=str(data_dir.resolve()),
        scope=scope,
        spec_changes=tuple(spec_changes(old.project, new.project)),
        funnel=tuple(_funnel(old.outcome, new.outcome)),
        rule_counts=tuple(_rule_counts(old.outcome, new.outcome)),
        fate_changes=tuple(fate_changes(rows, personal)),
        field_changes=tuple(
            field_changes(rows, (old.out, new.out), (old.project, new.project), personal)
        ),
        notes=tuple(_notes(old, new, personal)),
    )


def _info(version: Version) -> VersionInfo:
    return VersionInfo(version.label, version.kind, version.commit)


def _personal(*projects: Project) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for project in projects:
        for name, obj in project.objects.items():
            marked = {f for f, spec in obj.mapping.fields.items() if spec.personal}
            found.setdefault(name, set()).update(marked)
    return found


def _funnel(old: RunOutcome, new: RunOutcome) -> list[FunnelChange]:
    before, after = _totals(old), _totals(new)
    empty = dict.fromkeys(FIGURES, 0)
    names = [*before, *(n for n in after if n not in before)]
    return [FunnelChange(n, before.get(n, empty), after.get(n, empty)) for n in names]


def _totals(outcome: RunOutcome) -> dict[str, dict[str, int]]:
    sums = outcome.funnel.groupby("object", sort=False)[list(FIGURES)].sum()
    return {str(name): {f: int(row[f]) for f in FIGURES} for name, row in sums.iterrows()}


def _rule_counts(old: RunOutcome, new: RunOutcome) -> list[RuleCountChange]:
    before, after = _counts(old), _counts(new)
    keys = sorted(set(before) | set(after))
    return [
        RuleCountChange(o, r, s, before.get((o, r, s), 0), after.get((o, r, s), 0))
        for o, r, s in keys
    ]


def _counts(outcome: RunOutcome) -> dict[tuple[str, str, str], int]:
    return {
        (obj.name, rule.rule, rule.severity): rule.count
        for obj in outcome.report.objects
        for rule in obj.rejects_by_rule
    }


def _notes(old: Side, new: Side, personal: dict[str, set[str]]) -> list[str]:
    notes = [
        "both versions ran on the same legacy data; rows are matched by object, source "
        "system and legacy key"
    ]
    hidden = sorted(f"{o}.{f}" for o, fields in personal.items() for f in fields)
    if hidden:
        notes.append(f"personal data masked in every example: {', '.join(hidden)}")
    for label, side in (("old", old), ("new", new)):
        if side.outcome.report.status != "reconciled":
            notes.append(
                f"the {label} version's run did not reconcile: {side.outcome.report.status}"
            )
    return notes
