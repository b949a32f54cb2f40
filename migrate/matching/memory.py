"""Giving memory back between the matcher's phases.

pandas keeps text in Arrow arrays, and Arrow's allocator holds on to the buffers of
freed arrays for reuse; building blocking keys or comparison values over a million rows
leaves hundreds of MiB so held, which count towards the process's resident memory
while the pairs' arrays grow. ``give_back`` returns them to the system once a phase's
text work is done.
"""

from __future__ import annotations

import pyarrow as pa


def give_back() -> None:
    """Return the memory Arrow's default pool holds but no array uses."""
    pa.default_memory_pool().release_unused()
