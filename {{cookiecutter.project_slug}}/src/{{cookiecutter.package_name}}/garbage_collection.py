"""Garbage-collector settings for a serving process (measured in docs/performance.md).

Under load, CPython's default thresholds run a young collection every 700 net allocations and
each one rescans everything requests keep alive, which with hundreds of requests in flight is a
visible share of the server's CPU. Objects made at start-up (modules, routes, models) live as
long as the process, so they are frozen out of every scan, and young collections run less often.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Net allocations between young collections; the older generations keep their defaults.
SERVING_THRESHOLDS = (10_000, 10, 10)


@contextmanager
def collector_tuned_for_serving() -> Iterator[None]:
    """While the app serves; restored afterwards, so tests that start many apps leak nothing."""
    previous = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*SERVING_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()
