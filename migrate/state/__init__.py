"""What a project keeps between runs: the golden-key registry (and where decisions live).

``migrate.state.hooks`` reads it into the run context at the start of a run and
writes it back at the end; stages only see plain frames in ``ctx.extras``.
"""
