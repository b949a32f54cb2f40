"""Cross-file checks: every name a spec uses must exist where it points."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from pydantic import ValidationError

from migrate.errors import SpecError
from migrate.spec.condition import Condition
from migrate.spec.errors import key_path
from migrate.spec.loader import PROJECT_FILE, ObjectSpec, Project
from migrate.spec.match import Comparison, pairing_problem
from migrate.spec.rules import Step

if TYPE_CHECKING:
    from migrate.ops.registry import OpParams

# Op arguments whose value names another field of the same row.
FIELD_ARGS = {"other", "category_field"}


def check_project(project: Project) -> None:
    """Raise a SpecError for the first dangling name in the project."""
    for obj in project.objects.values():
        _check_mapping(obj)
        known = _check_rules(obj)
        _check_object_links(project, obj, known)
        _check_cross_checks(obj)
        _check_reject_rates(obj)
    _check_scopes(project)


def _require(name: str, known: Iterable[str], file: str, path: str, what: str = "field") -> None:
    known = list(known)
    if name not in known:
        raise SpecError(file, path, f"unknown {what} {name!r}", known)


def _check_mapping(obj: ObjectSpec) -> None:
    file, mapping = obj.mapping_file, obj.mapping
    if mapping.object != obj.name:
        raise SpecError(file, "object", f"says {mapping.object!r} but is used for {obj.name!r}")
    for i, key in enumerate(mapping.key):
        _require(key, mapping.fields, file, f"key[{i}]")
    source_names = [s.name for s in obj.model.sources]
    for source in source_names:
        if source not in mapping.sources:
            raise SpecError(file, "sources", f"no mapping for source {source!r}", source_names)
    for source, block in mapping.sources.items():
        _require(source, source_names, file, f"sources.{source}", "source")
        for target, spec in block.items():
            _require(target, mapping.fields, file, f"sources.{source}.{target}")
            if spec.map is not None:
                _require(
                    spec.map,
                    mapping.value_maps,
                    file,
                    f"sources.{source}.{target}.map",
                    "value map",
                )
    for i, unique in enumerate(mapping.unique_together):
        for j, name in enumerate(unique.fields):
            _require(name, mapping.fields, file, f"unique_together[{i}].fields[{j}]")


def _check_rules(obj: ObjectSpec) -> list[str]:
    """Check the rule file; return every field known after the steps (with `into` fields)."""
    from migrate.ops.registry import OPS, parse_params

    file = obj.rules_file or f"rules/{obj.name}.yaml"
    rules = obj.rules
    if rules.object != obj.name:
        raise SpecError(file, "object", f"says {rules.object!r} but is used for {obj.name!r}")
    known = list(obj.mapping.fields)
    for i, step in enumerate(rules.steps):
        where = f"steps[{i}]"
        _require(step.op, OPS, file, f"{where}.op", "op")
        for j, name in enumerate(step.fields):
            _require(name, known, file, f"{where}.fields[{j}]")
        if step.when is not None:
            _check_condition(step.when, known, file, f"{where}.when")
        try:
            params = parse_params(OPS[step.op], step.args)
        except ValidationError as error:
            first = error.errors()[0]
            path = key_path([f"{where}.args", *first["loc"]])
            raise SpecError(file, path, first["msg"], _param_names(step.op)) from None
        for arg in FIELD_ARGS & set(step.args):
            _require(str(step.args[arg]), known, file, f"{where}.args.{arg}")
        _check_step_shape(step, params, file, where)
        known.extend(name for name in dict.fromkeys(step.writes()) if name not in known)
    _check_match(obj, file, known)
    return known


def _check_step_shape(step: Step, params: OpParams, file: str, where: str) -> None:
    """The step's fields and ``into`` fit its op (split: one into many; join: many into one)."""
    from migrate.ops.registry import OPS, shape_problem

    problem = shape_problem(OPS[step.op], step.fields, step.into)
    if problem is None:
        problem = params.step_problem(step.fields, step.writes())
    if problem is not None:
        raise SpecError(file, f"{where}.into" if step.into is not None else where, problem)


def _param_names(op: str) -> list[str]:
    from migrate.ops.registry import OPS

    return list(OPS[op].params.model_fields)


def _check_match(obj: ObjectSpec, file: str, known: list[str]) -> None:
    match, merge = obj.rules.match, obj.rules.merge
    if match is not None:
        for i, blocking in enumerate(match.blocking):
            for j, part in enumerate(blocking.key):
                _require(part.field, known, file, f"match.blocking[{i}].key[{j}].field")
        for i, comparison in enumerate(match.compare):
            _require(comparison.field, known, file, f"match.compare[{i}].field")
            if comparison.either_order_with is not None:
                path = f"match.compare[{i}].either_order_with"
                _require(comparison.either_order_with, known, file, path)
        _check_pairs(match.compare, file, "match.compare")
    if merge is not None:
        for name, rule in merge.fields.items():
            _require(name, known, file, f"merge.fields.{name}")
            if rule.by:
                _require(rule.by, known, file, f"merge.fields.{name}.by")
        for label, rule in (("survivor", merge.survivor), ("default", merge.default)):
            if rule.by:
                _require(rule.by, known, file, f"merge.{label}.by")


def _check_pairs(compare: list[Comparison], file: str, path: str) -> None:
    """Every ``either_order_with`` forms a valid pair (see ``pairing_problem``)."""
    problem = pairing_problem(compare)
    if problem is not None:
        where = f"{path}[{problem.index}].either_order_with"
        raise SpecError(file, where, problem.problem, problem.choices)


def _check_object_links(project: Project, obj: ObjectSpec, known: list[str]) -> None:
    base = f"objects.{obj.name}"
    if obj.model.partner_of is not None:
        _check_pairs(obj.model.partner_of.compare, PROJECT_FILE, f"{base}.partner_of.compare")
    for i, ref in enumerate(obj.model.references):
        _require(ref.field, known, PROJECT_FILE, f"{base}.references[{i}].field")
        if ref.system is not None:
            systems = {s.system for s in project.objects[ref.object].model.sources}
            _require(ref.system, systems, PROJECT_FILE, f"{base}.references[{i}].system", "system")
    for i, total in enumerate(obj.model.control_totals):
        _require(total.field, known, PROJECT_FILE, f"{base}.control_totals[{i}].field")
        for j, name in enumerate(total.by):
            _require(name, known, PROJECT_FILE, f"{base}.control_totals[{i}].by[{j}]")


def _check_cross_checks(obj: ObjectSpec) -> None:
    """Cross-field checks read declared fields only and have ids no rule step uses."""
    file, fields = obj.mapping_file, list(obj.mapping.fields)
    steps = {step.id for step in obj.rules.steps}
    for i, check in enumerate(obj.mapping.checks):
        for name in sorted(check.fields()):
            _require(name, fields, file, f"checks[{i}]")
        if check.id in steps:
            raise SpecError(file, f"checks[{i}].id", f"{check.id!r} is also a rule step's id")


def _check_reject_rates(obj: ObjectSpec) -> None:
    """Per-rule reject-rate limits name rules the object has."""
    from migrate.schema import schema_rules
    from migrate.spec.project import RejectRates

    limits = obj.model.max_reject_rate
    if not isinstance(limits, RejectRates) or not limits.rules:
        return
    known = {step.id for step in obj.rules.steps} | set(schema_rules(obj.mapping))
    known |= {vm.rule_id or f"map.{name}" for name, vm in obj.mapping.value_maps.items()}
    known |= {f"ref.{ref.field}" for ref in obj.model.references}
    for rule in limits.rules:
        path = f"objects.{obj.name}.max_reject_rate.rules.{rule}"
        _require(rule, sorted(known), PROJECT_FILE, path, "rule")


def _check_scopes(project: Project) -> None:
    for name, scope in project.model.scopes.items():
        for obj_name in scope.objects:
            fields = list(project.objects[obj_name].mapping.fields)
            _check_condition(scope.where, fields, PROJECT_FILE, f"scopes.{name}.where")


def _check_condition(condition: Condition, known: list[str], file: str, path: str) -> None:
    for name in sorted(condition.fields()):
        _require(name, known, file, path)
