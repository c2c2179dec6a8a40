"""Locks on things that have no row yet: two writers that would create the same row (an
organisation proposed twice at once) wait for each other here, not on a row lock."""

import hashlib

from django.db import connection


def lock_name(name: str) -> None:
    """Hold the lock ``name`` until the current transaction ends (PostgreSQL: a transaction
    advisory lock). SQLite takes no such lock: it lets one writer at a time write anyway, and
    the race tests run on PostgreSQL."""
    assert connection.in_atomic_block, "a lock lasts for a transaction: call it inside one"
    if connection.vendor != "postgresql":
        return
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)]
        )
