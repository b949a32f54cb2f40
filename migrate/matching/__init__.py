"""Record matching: blocking, pair scoring, clustering and golden-record survivorship.

The stages ``migrate.stages.match`` and ``migrate.stages.merge`` drive these
modules; everything here works on plain row positions (0..n-1 in ``_rid`` order)
and numpy arrays so it can be tested and reused without a run context.
"""
