"""Great Expectations bridge (optional extra: ``pip install 'migrate[gx]'``).

The declared schema stays the single source of truth: ``plan_suite`` turns a
mapping's target fields and cross-field checks into a plan of expectations
(plain data, no GX import), ``build_suite`` makes the GX suite of a plan, and
``validate_load_files`` validates an earlier run's load files with those
suites and writes Data Docs. Great Expectations is imported only there, with
an install hint when it is missing.
"""

from migrate.gx.suite import GX_TYPES, Expectation, SuitePlan, plan_suite

__all__ = ["GX_TYPES", "Expectation", "SuitePlan", "plan_suite"]
