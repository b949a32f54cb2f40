"""Pipeline stages: each ``run(frame, obj, ctx) -> (frame, StageResult)``."""
