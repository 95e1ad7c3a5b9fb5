"""Short versions of `make soak` and `make faults`: gunicorn, real clients, books compared.

One run per backend, a few seconds each: many users and one shared user running whole
sessions, with a fault in the middle (a write lock held on SQLite, failing reads on
DynamoDB). The full runs (60 s soaks, 10 s faults, every fault) are bench/soak.py and
bench/faults.py, with their figures in docs/benchmarks.md.
"""

from __future__ import annotations

import pytest

from bench.faults import run_fault
from tests.storage_support import HAS_MOTO


@pytest.mark.parametrize("fault", ["lock-held-10s", "dynamodb-failing-reads-8s"])
def test_a_short_soak_with_a_fault_stores_exactly_what_was_acknowledged(tmp_path, fault):
    if fault.startswith("dynamodb") and not HAS_MOTO:
        pytest.skip("moto[server] is not installed, so no DynamoDB-compatible server can run")
    outcome = run_fault(
        fault, tmp_path, seconds=4, users=3, shared=4, start=1, length=1.5, workers=2
    )
    assert outcome.acks > 0, "the clients finished exercises"
    assert (outcome.lost, outcome.errors, outcome.over_deadline) == (0, {}, 0)
    assert outcome.stored == outcome.acks + outcome.extra
    assert outcome.degraded_turns > 0, "the fault was felt"
