"""`migrate init`: profile legacy sources and write a project that runs as it is.

The project is checked by loading it with the same loader ``migrate run`` uses
before :func:`scaffold` returns, so a scaffold that would not load is a bug
here, never a surprise for the team.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment
from sqlalchemy.engine import make_url

from migrate.errors import SpecError
from migrate.io.spec import SourceSpec
from migrate.profile.inputs import identifier
from migrate.profile.model import ProfileReport
from migrate.profile.profiler import profile_sources
from migrate.profile.render import write_profile
from migrate.scaffold.plan import ObjectPlan, StepPlan, plan_object, relative_location, rule_prefix
from migrate.scaffold.yaml_text import block, comment, flow_list, scalar
from migrate.spec.loader import PROJECT_FILE, load_project
from migrate.templating import template_environment

GITIGNORE = (
    "# What runs write. history/ is kept: it is the project's run record.\n"
    "out/\n"
    "# The profile shows legacy values (personal ones masked): keep it out of the repository.\n"
    "profile/\n"
)


@dataclass(frozen=True)
class ProjectPlan:
    """Everything the scaffold writes about, decided up front."""

    name: str
    created: str
    objects: tuple[ObjectPlan, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Scaffolded:
    """The written project: its folder, the files written and what to check first."""

    root: Path
    files: tuple[Path, ...]
    warnings: tuple[str, ...]
    report: ProfileReport


def scaffold(
    specs: Sequence[SourceSpec],
    project_dir: Path,
    cwd: Path,
    name: str | None = None,
    force: bool = False,
    mask: Collection[str] = (),
) -> Scaffolded:
    """Profile ``specs`` (paths relative to ``cwd``) and write a project into ``project_dir``."""
    root = project_dir.resolve()
    if (root / PROJECT_FILE).exists() and not force:
        raise SpecError(PROJECT_FILE, "", f"{root / PROJECT_FILE} exists (use --force to replace)")
    report = profile_sources(specs, cwd, mask)
    plan = plan_project(report, specs, root, cwd, name or identifier(root.name, "project"))
    files = write_files(plan, root)
    files += write_profile(report, root / "profile")
    load_project(root)
    return Scaffolded(root, tuple(files), plan.warnings, report)


def plan_project(
    report: ProfileReport, specs: Sequence[SourceSpec], root: Path, cwd: Path, name: str
) -> ProjectPlan:
    """The objects (one per source), each with its fields, key and steps."""
    prefixes: set[str] = set()
    objects = []
    for spec, profile in zip(specs, report.sources, strict=True):
        located, secret = _secret_free(relative_location(spec, root, cwd))
        planned = plan_object(located, profile, rule_prefix(spec.name, prefixes))
        objects.append(replace(planned, warnings=planned.warnings + secret))
    warnings = tuple(w for obj in objects for w in obj.warnings)
    created = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return ProjectPlan(name, created, tuple(objects), warnings)


def _secret_free(spec: SourceSpec) -> tuple[SourceSpec, tuple[str, ...]]:
    """A URL with a password is replaced by ``${<NAME>_URL}`` so no secret lands in the project."""
    if not spec.url or "${" in spec.url:
        return spec, ()
    try:
        password = make_url(spec.url).password
    except Exception:
        return spec, ()
    if not password:
        return spec, ()
    variable = f"{spec.name.upper()}_URL"
    note = f"{spec.name}: set the environment variable {variable} to the database URL"
    return replace(spec, url=f"${{{variable}}}"), (note,)


def write_files(plan: ProjectPlan, root: Path) -> list[Path]:
    """Write migration.yaml, a mapping and a rule file per object, README.md and .gitignore."""
    env = _environment()
    written = [
        _write(root / PROJECT_FILE, env.get_template("migration.yaml.j2").render(project=plan))
    ]
    for obj in plan.objects:
        mapping = env.get_template("mapping.yaml.j2").render(obj=obj, value_maps=_value_maps(obj))
        written.append(_write(root / "mappings" / f"{obj.name}.yaml", mapping))
        written.append(_write(root / "rules" / f"{obj.name}.yaml", _rules(env, obj)))
    written.append(
        _write(root / "README.md", env.get_template("README.md.j2").render(project=plan))
    )
    if not (root / ".gitignore").exists():
        written.append(_write(root / ".gitignore", GITIGNORE))
    return written


def _rules(env: Environment, obj: ObjectPlan) -> str:
    steps = [
        {"why": _why(step), "text": block([_step(step)], 2, not step.active)} for step in obj.steps
    ]
    match_note = obj.match_note or "see the profile"
    return env.get_template("rules.yaml.j2").render(
        obj=obj,
        steps=steps,
        active=any(step.active for step in obj.steps),
        match=block({"match": obj.match}, 0, True) if obj.match else None,
        match_note=match_note,
    )


def _why(step: StepPlan) -> str:
    lead = "needed by the declared type" if step.active else "suggested"
    return comment("\n".join([f"{step.id}, {lead}:", *(f"  * {line}" for line in step.why)]), 2)


def _step(step: StepPlan) -> dict[str, object]:
    data: dict[str, object] = {"id": step.id, "op": step.op, "fields": list(step.fields)}
    if step.args:
        data["args"] = dict(step.args)
    data["severity"] = step.severity
    return data


def _value_maps(obj: ObjectPlan) -> str:
    maps = {
        f.name: {"values": {code: code for code in f.codes}, "on_unmapped": "reject"}
        for f in obj.fields
        if f.codes
    }
    return block({"value_maps": maps}, 0, True) if maps else ""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _environment() -> Environment:
    filters = {"scalar": scalar, "flow_list": flow_list}
    return template_environment("migrate.scaffold", autoescape=False, filters=filters)
