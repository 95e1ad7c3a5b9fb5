"""Operations on progress, and the validating loaders, as properties over any input."""

from __future__ import annotations

import json
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from skill.domain import progress_ops as ops
from skill.storage.dynamodb import budget_config
from skill.storage.sqlite import SqliteAdapter

EXERCISES = ("calf_raises", "towel_scrunches", "single_leg_balance")
DAY = date(2026, 11, 25)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=20,
)
record_like = st.dictionaries(
    st.sampled_from(
        ["schema", "disclaimer_heard", "position", "tempo", "completed", "recent", "streak",
         "applied", "other"]
    ),
    json_values,
)  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(st.one_of(json_values, record_like))
def test_any_stored_value_loads_to_a_clean_record_that_loads_unchanged(raw):
    record, _ = ops.load_record(raw)
    again, dropped = ops.load_record(json.loads(json.dumps(record)))
    assert again == record and dropped == []
    ops.apply_ops(record, [ops.session("calf_raises", DAY), ops.set_field("tempo", 0.9)])


@settings(max_examples=100, deadline=None)
@given(st.one_of(json_values, st.lists(json_values, max_size=5)))
def test_any_pending_list_loads_to_operations_that_apply(raw):
    loaded, _ = ops.load_ops(raw)
    assert ops.load_ops(loaded) == (loaded, 0)
    ops.apply_ops({}, loaded)


days = st.integers(min_value=0, max_value=20).map(lambda n: DAY - timedelta(days=n))
finished = st.lists(st.tuples(st.sampled_from(EXERCISES), days), min_size=1, max_size=12)


@settings(max_examples=100, deadline=None)
@given(finished, st.randoms(use_true_random=False))
def test_finished_sessions_commute_and_count_once(sessions, rng):
    made = [ops.session(exercise, day) for exercise, day in sessions]
    shuffled = list(made)
    rng.shuffle(shuffled)
    one, other = ops.apply_ops({}, made), ops.apply_ops({}, shuffled + made[:3])
    assert one["completed"] == other["completed"]
    assert sum(one["completed"].values()) == len(sessions)
    assert sorted(e["id"] for e in one["recent"]) == sorted(e["id"] for e in other["recent"])
    assert one["streak"]["last"] == max(day for _, day in sessions).isoformat()


def test_a_position_that_is_not_strict_json_is_dropped():
    record, dropped = ops.load_record({"position": {"v": 1, "tempo": float("nan")}})
    assert record == {} and dropped == ["position"]


def test_reset_keeps_the_disclaimer_and_is_applied_once():
    record = ops.apply_ops({}, [ops.set_field("disclaimer_heard", True)])
    reset = ops.reset()
    ops.apply_ops(record, [ops.session("calf_raises", DAY), reset])
    ops.apply_ops(record, [ops.session("calf_raises", DAY), reset])  # a replay of the reset
    assert record["completed"] == {"calf_raises": 1} and record["disclaimer_heard"] is True


def test_compact_keeps_the_last_set_of_a_field_but_never_across_a_reset():
    pending = [
        ops.set_field("tempo", 0.8),
        ops.set_field("tempo", 0.9),
        ops.reset(),
        ops.set_field("tempo", 1.1),
    ]
    assert [op.get("value") for op in ops.compact(pending)] == [0.9, None, 1.1]


def test_storage_timeouts_fit_the_budget():
    config = budget_config(1.0)
    attempts = config.retries["total_max_attempts"]
    assert attempts * (config.connect_timeout + config.read_timeout) <= 1.0
    assert SqliteAdapter("x.sqlite3", budget_s=1.0).busy_timeout_ms <= 250
