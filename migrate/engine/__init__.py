"""Where chunk work runs: in this process, or on a Dask cluster."""
