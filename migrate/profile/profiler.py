"""Profiling whole sources: read each one, profile every column, its keys and duplicates.

Sources are read with the project's own readers (:mod:`migrate.io.sources`), so
whatever ``migrate run`` can read can be profiled, with the same encoding
detection. Which figures come from a sample is stated in the source's notes.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from migrate.io.sources import READERS, read_source
from migrate.io.spec import SourceSpec
from migrate.profile import columns as column_stats
from migrate.profile import duplicates as dup_stats
from migrate.profile import suspicious
from migrate.profile.arrow import text_array
from migrate.profile.columns import profile_column
from migrate.profile.duplicates import estimate_duplicates
from migrate.profile.keys import candidate_keys
from migrate.profile.model import ColumnProfile, ProfileReport, SourceProfile
from migrate.profile.privacy import protect
from migrate.profile.suggest import column_suggestions, source_suggestions


def profile_sources(
    specs: Sequence[SourceSpec], base_dir: Path, mask: Collection[str] = ()
) -> ProfileReport:
    """Profile every source in turn (relative paths are taken from ``base_dir``).

    Columns named in ``mask``, and columns of phone numbers or e-mail addresses,
    show their values masked.
    """
    profiles = tuple(profile_source(spec, base_dir, mask) for spec in specs)
    return ProfileReport(
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        sources=profiles,
        settings=settings(),
    )


def profile_source(spec: SourceSpec, base_dir: Path, mask: Collection[str] = ()) -> SourceProfile:
    """Read one source and profile it."""
    started = time.perf_counter()
    frame = read_source(spec, base_dir)
    read_seconds = time.perf_counter() - started
    location = READERS[spec.kind].label(spec, base_dir)
    return profile_frame(frame, spec.name, spec.kind, location, read_seconds, mask)


def profile_frame(
    frame: pd.DataFrame,
    name: str,
    kind: str,
    location: str,
    read_seconds: float = 0.0,
    mask: Collection[str] = (),
) -> SourceProfile:
    """Profile an all-text frame as one source."""
    started = time.perf_counter()
    columns = tuple(profile_column(str(c), text_array(frame[c])) for c in frame.columns)
    columns = protect(columns, mask)
    keys = tuple(candidate_keys(frame, columns))
    usable = next((k for k in keys if k.usable), None)
    duplicates = estimate_duplicates(frame, columns, usable)
    suggestions = [s for c in columns for s in column_suggestions(c)]
    suggestions += source_suggestions(keys, duplicates, len(frame))
    return SourceProfile(
        name=name,
        kind=kind,
        location=location,
        rows=len(frame),
        columns=columns,
        keys=keys,
        duplicates=duplicates,
        suggestions=tuple(suggestions),
        notes=tuple(_notes(frame, columns)),
        read_seconds=round(read_seconds, 3),
        profile_seconds=round(time.perf_counter() - started, 3),
    )


def _notes(frame: pd.DataFrame, columns: tuple[ColumnProfile, ...]) -> list[str]:
    notes = [
        "null and blank rates, distinct counts, top values, patterns, lengths, suspicious "
        "content and key uniqueness are exact over every row"
    ]
    hidden = [c.name for c in columns if c.masked]
    if hidden:
        notes.append(f"values of {', '.join(hidden)} are masked (personal data)")
    if len(frame) > column_stats.TYPE_SAMPLE:
        notes.append(
            f"types are inferred from a random sample of {column_stats.TYPE_SAMPLE:,} values "
            "per column (a type needs 95% of them to fit)"
        )
    if any(s.sampled for c in columns for s in c.suspicious):
        notes.append(
            f"mojibake is checked on a sample of {suspicious.MOJIBAKE_LIMIT:,} distinct values "
            "where a column has more, and its count scaled up"
        )
    if len(frame) >= 2:
        sampled = min(len(frame), dup_stats.SAMPLE_RECORDS)
        notes.append(
            f"near-duplicates are estimated from {sampled:,} sampled records, each compared "
            f"with its {2 * dup_stats.WINDOW} neighbours per blocking column"
        )
    return notes


def settings() -> dict[str, object]:
    """The thresholds and sample sizes the profile used, for its readers."""
    return {
        "type_sample": column_stats.TYPE_SAMPLE,
        "top_values": column_stats.TOP_VALUES,
        "top_patterns": column_stats.TOP_PATTERNS,
        "mojibake_limit": suspicious.MOJIBAKE_LIMIT,
        "duplicate_sample": dup_stats.SAMPLE_RECORDS,
        "duplicate_window": dup_stats.WINDOW,
        "duplicate_threshold": dup_stats.THRESHOLD,
    }
