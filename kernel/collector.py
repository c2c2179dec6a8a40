"""Pausing Python's cyclic garbage collector around bulk work.

An import of 10,000 budget lines builds a few hundred thousand short-lived objects (cells, rows,
model instances). Reference counting frees them; they form no cycles. But every few thousand new
objects the collector runs, and its full passes walk every object of the process (Django's
included): about a fifth of the import's time, for nothing found. So bulk work whose size is
bounded (by the upload and row limits) runs with the collector paused, and one collection
afterwards picks up whatever cycles it left.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the body without cyclic garbage collection, unless it was off anyway. Process-wide:
    keep the body bounded."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect(generation=0)
