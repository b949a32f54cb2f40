"""Target schemas: a mapping's declared fields compiled into a pandera schema.

``compile_schema`` gives the pandera ``DataFrameSchema``; every check in it
carries a rule id ``schema.<field>.<check>`` whose ``SchemaRule`` (reason
template, owner, personal flag) is found with ``rules_of(schema)``.
``coerce_frame`` turns text into the declared types first, recording values
that are not of their type, so one bad cell never hides the other checks.
"""

from migrate.schema.coerce import Coerced, coerce_frame
from migrate.schema.compile import compile_schema, rules_of
from migrate.schema.failures import schema_failures
from migrate.schema.rules import CHECKS, SchemaRule, schema_rules

__all__ = [
    "CHECKS",
    "Coerced",
    "SchemaRule",
    "coerce_frame",
    "compile_schema",
    "rules_of",
    "schema_failures",
    "schema_rules",
]
