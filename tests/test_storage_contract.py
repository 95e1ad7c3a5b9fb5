"""The same behaviour from every storage backend: SQLite, and DynamoDB on a real server."""

from __future__ import annotations

import threading

import pytest

from skill.storage.merge import apply, diff
from skill.storage.save import save_merged
from tests.storage_support import envelope_for


@pytest.fixture
def adapter(store):
    """Every test here runs on each backend (the `store` fixture of conftest.py)."""
    return store


def strip(attributes):
    return {k: v for k, v in attributes.items() if k != "_rev"}


def test_round_trip_keeps_nested_values_and_numbers(adapter):
    envelope = envelope_for("user-round-trip")
    data = {"completed": {"calf_raises": 2}, "tempo": 0.8, "recent": [{"date": "2026-11-25"}]}
    assert adapter.get_attributes(envelope) == {}
    save_merged(adapter, envelope, {}, data)
    loaded = adapter.get_attributes(envelope)
    assert strip(loaded) == data and isinstance(loaded["tempo"], float)
    assert loaded["_rev"] == 1


def test_users_are_kept_apart(adapter):
    save_merged(adapter, envelope_for("alice"), {}, {"name": "a"})
    save_merged(adapter, envelope_for("bob"), {}, {"name": "b"})
    assert strip(adapter.get_attributes(envelope_for("alice"))) == {"name": "a"}
    assert strip(adapter.get_attributes(envelope_for("bob"))) == {"name": "b"}


def test_two_quick_requests_for_one_user_both_keep_their_update(adapter):
    envelope = envelope_for("same-user")
    save_merged(adapter, envelope, {}, {"completed": {}})
    first_read = adapter.get_attributes(envelope)
    second_read = adapter.get_attributes(envelope)
    save_merged(adapter, envelope, first_read, apply(first_read, {("completed", "calf_raises"): 1}))
    save_merged(adapter, envelope, second_read, apply(second_read, {("tempo",): 1.25}))
    final = strip(adapter.get_attributes(envelope))
    assert final == {"completed": {"calf_raises": 1}, "tempo": 1.25}


def test_delete_removes_the_row(adapter):
    envelope = envelope_for("leaving-user")
    save_merged(adapter, envelope, {}, {"disclaimer_heard": True})
    adapter.delete_attributes(envelope)
    assert adapter.get_attributes(envelope) == {}


def test_many_threads_for_many_users_end_with_each_last_acknowledged_state(adapter):
    users, writes = 12, 8
    acknowledged: dict[str, int] = {}
    errors: list[BaseException] = []

    def work(user: str) -> None:
        envelope = envelope_for(user)
        try:
            for n in range(writes):
                current = adapter.get_attributes(envelope)
                save_merged(adapter, envelope, current, {**strip(current), "count": n})
                acknowledged[user] = n
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(f"user-{i}",)) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for user, last in acknowledged.items():
        assert adapter.get_attributes(envelope_for(user))["count"] == last
    assert len(acknowledged) == users


def test_concurrent_increments_for_one_user_are_all_kept(adapter):
    envelope = envelope_for("busy-user")
    workers, each = 4, 5

    def work(name: str) -> None:
        for n in range(each):
            current = adapter.get_attributes(envelope)
            save_merged(adapter, envelope, current, {**strip(current), name: n + 1})

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = strip(adapter.get_attributes(envelope))
    assert final == {f"w{i}": each for i in range(workers)}


def test_diff_and_apply_reproduce_a_change():
    before = {"a": 1, "nested": {"x": 1, "y": 2}, "gone": True}
    after = {"a": 2, "nested": {"x": 1, "z": 3}, "new": [1]}
    assert apply(before, diff(before, after)) == after
