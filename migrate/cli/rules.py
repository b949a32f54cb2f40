"""`migrate rules ...`: check, describe and document a project's rules without running it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from migrate.cli.errors import reports_errors
from migrate.cli.options import out_option, project_option
from migrate.errors import SourceError
from migrate.spec.jsonschema import FILE_TITLES, file_schema
from migrate.spec.loader import Project, load_project


@click.group("rules")
def rules_group() -> None:
    """Check and document a project's rules and mappings."""


@rules_group.command("check")
@project_option()
@click.option("--no-sources", is_flag=True, help="Check the project files only, not the sources.")
@reports_errors
def check_command(project_dir: Path, no_sources: bool) -> None:
    """Load and cross-check every project file, then check each source's header.

    Reads no rows: a source is opened only to see that it decodes and has every
    column its mapping reads. Exit 2 on a project-file error, 3 if a source fails.
    """
    project = load_project(project_dir)
    click.echo(_summary(project))
    if no_sources:
        return
    failed = 0
    for obj in project.objects.values():
        for source in obj.model.sources:
            ok, words = _check_source(project, obj.name, source.name)
            failed += not ok
            click.echo(f"  {obj.name}.{source.name} ({source.kind}): {words}")
    if failed:
        total = sum(len(o.model.sources) for o in project.objects.values())
        raise SourceError("sources", f"{failed} of {total} failed the check (listed above)")


def _summary(project: Project) -> str:
    objects = project.objects.values()
    steps = sum(len(o.rules.steps) for o in objects)
    maps = sum(len(o.mapping.value_maps) for o in objects)
    checks = sum(len(o.mapping.checks) for o in objects)
    fields = sum(len(o.mapping.fields) for o in objects)
    return (
        f"{project.name}: {len(project.objects)} objects, {fields} target fields, "
        f"{steps} rule steps, {maps} value maps, {checks} cross-field checks: OK"
    )


def _check_source(project: Project, obj_name: str, source_name: str) -> tuple[bool, str]:
    """Whether the source's header has every column its mapping reads, and in words."""
    from migrate.io.sources import check_source
    from migrate.stages.extract import source_spec

    obj = project.objects[obj_name]
    source = next(s for s in obj.model.sources if s.name == source_name)
    spec = source_spec(source, obj, project.root)
    try:
        check_source(spec, project.root)
    except SourceError as error:
        return False, error.message
    return True, f"OK, {len(spec.required_columns())} mapped columns present"


@rules_group.command("schema")
@click.option(
    "--out",
    "out_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the schema to this file [default: standard output].",
)
@click.option(
    "--file",
    "kind",
    type=click.Choice(list(FILE_TITLES)),
    default="all",
    show_default=True,
    help="Which project file the schema is for (all: any of them, chosen by its keys).",
)
def schema_command(out_file: Path | None, kind: str) -> None:
    """Write the JSON Schema (draft 2020-12) of the project files, for editors and CI."""
    text = json.dumps(file_schema(kind), indent=2, ensure_ascii=False) + "\n"
    if out_file is None:
        click.echo(text, nl=False)
        return
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(text, encoding="utf-8")
    click.echo(f"schema: {out_file}")


@rules_group.command("doc")
@project_option()
@out_option("Output folder [default: <project>/out/rulebook].")
@reports_errors
def doc_command(project_dir: Path, out_dir: Path | None) -> None:
    """Write the mapping and rule book (rulebook.md, rulebook.html) for sign-off."""
    from migrate.rulebook.render import write_rulebook

    project = load_project(project_dir)
    for path in write_rulebook(project, out_dir or project.root / "out" / "rulebook"):
        click.echo(f"rule book: {path}")
