"""Races for the PostgreSQL concurrency tests: real threads, started together at a barrier, with
the service under test slowed while they run so the others reach its lock meanwhile."""

import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import connection

RACING = threading.Event()


def slowed(function: Callable[..., Any], seconds: float) -> Callable[..., Any]:
    """``function``, which waits ``seconds`` first while a race runs (and only then)."""

    def slow(*args: Any, **kwargs: Any) -> Any:
        if RACING.is_set():
            time.sleep(seconds)
        return function(*args, **kwargs)

    return slow


def race(*calls: Callable[[], Any], timeout: float = 60) -> list[Any]:
    """Run the calls in threads started together; each result is a return value or exception."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # the outcome under test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    RACING.set()
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=timeout)
    finally:
        RACING.clear()
    assert not any(thread.is_alive() for thread in threads), "a racing thread hung"
    return results
