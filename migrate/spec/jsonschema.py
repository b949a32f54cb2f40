"""JSON Schema (draft 2020-12) of the project files, so editors complete keys and flag typos.

The schema is generated from the same pydantic models the loader validates with,
so it cannot drift from them. On top of what pydantic writes, a rule step's ``op``
is an enum of the registered ops, and each op's ``args`` (and the shape of its
``into``) are tied to the op with ``if``/``then``. Checks that span files (does a
field exist, does a value map exist) remain the work of ``migrate rules check``.

    schema = file_schema("rules")   # or "migration", "mapping", or "all" for any file
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from migrate.spec.mapping import Mapping
from migrate.spec.project import ProjectModel
from migrate.spec.rules import Rules

DIALECT = "https://json-schema.org/draft/2020-12/schema"
FILE_MODELS: dict[str, type[BaseModel]] = {
    "migration": ProjectModel,
    "mapping": Mapping,
    "rules": Rules,
}
FILE_TITLES = {
    "migration": "migrate project file (migration.yaml)",
    "mapping": "migrate mapping file (mappings/<object>.yaml)",
    "rules": "migrate rule file (rules/<object>.yaml)",
    "all": "migrate project files (migration.yaml, mappings/*.yaml, rules/*.yaml)",
}
INTO_SHAPES: dict[str, dict[str, Any]] = {
    "column": {"type": ["string", "null"]},
    "split": {"type": "array", "minItems": 2},
    "join": {"type": "string"},
}
_REF = "#/$defs/{model}"


def file_schema(kind: str = "all") -> dict[str, Any]:
    """The schema of one kind of project file (``migration``, ``mapping``, ``rules``) or all."""
    if kind not in FILE_TITLES:
        raise ValueError(f"unknown file kind {kind!r} (valid: {', '.join(FILE_TITLES)})")
    defs, refs = _definitions()
    root: dict[str, Any] = {"$schema": DIALECT, "title": FILE_TITLES[kind]}
    if kind == "all":
        root |= _any_file(refs)
    else:
        root["$ref"] = refs[kind]
    root["$defs"] = defs
    return root


def _definitions() -> tuple[dict[str, Any], dict[str, str]]:
    """Shared ``$defs`` of the file models and every op's params; refs of the file models."""
    from migrate.ops import OPS

    params = list(dict.fromkeys(op.params for op in OPS.values()))
    models = [*FILE_MODELS.values(), *params]
    keys, top = models_json_schema([(m, "validation") for m in models], ref_template=_REF)
    refs = {model: keys[(model, "validation")]["$ref"] for model in models}
    defs = copy.deepcopy(top["$defs"])
    _tie_ops_to_args(defs, refs)
    _allow_source_shorthand(defs)
    _describe_on_unmapped(defs)
    return defs, {kind: refs[model] for kind, model in FILE_MODELS.items()}


def _tie_ops_to_args(defs: dict[str, Any], refs: dict[Any, str]) -> None:
    """``op`` becomes an enum; each op's ``args`` and ``into`` follow its params and shape."""
    from migrate.ops import OPS

    step = defs["Step"]
    step["properties"]["op"] = {
        "description": "name of a registered operation",
        "enum": sorted(OPS),
    }
    step["allOf"] = [
        {
            "if": {"properties": {"op": {"const": name}}, "required": ["op"]},
            "then": {
                "properties": {
                    "args": {"$ref": refs[op.params], "description": op.description},
                    "into": INTO_SHAPES[op.shape],
                },
                **({"required": ["into"]} if op.shape != "column" else {}),
            },
        }
        for name, op in sorted(OPS.items())
    ]


def _allow_source_shorthand(defs: dict[str, Any]) -> None:
    """In a mapping's source block a plain string means ``{column: <string>}``."""
    block = defs["Mapping"]["properties"]["sources"]["additionalProperties"]
    block["additionalProperties"] = {
        "anyOf": [
            {"type": "string", "description": "the legacy column (short for {column: ...})"},
            block["additionalProperties"],
        ]
    }


def _describe_on_unmapped(defs: dict[str, Any]) -> None:
    """``on_unmapped`` accepts reject, keep or default:<value>."""
    defs["ValueMap"]["properties"]["on_unmapped"]["pattern"] = "^(reject|keep|default:.*)$"


def _any_file(refs: dict[str, str]) -> dict[str, Any]:
    """Pick the file's schema by its keys: ``project`` -> migration.yaml, ``fields``/``key``/
    ``sources`` -> a mapping, anything else -> a rule file."""
    mapping_keys = [{"required": [key]} for key in ("fields", "key", "sources", "value_maps")]
    return {
        "if": {"required": ["project"]},
        "then": {"$ref": refs["migration"]},
        "else": {
            "if": {"anyOf": mapping_keys},
            "then": {"$ref": refs["mapping"]},
            "else": {"$ref": refs["rules"]},
        },
    }
