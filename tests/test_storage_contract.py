"""The same behaviour from every storage backend: SQLite, and DynamoDB on a real server."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from ask_sdk_core.exceptions import PersistenceException

from skill.domain import progress_ops as ops
from skill.storage.outbox import Outbox, replay
from skill.storage.save import read_record, save_ops
from tests.storage_support import envelope_for

DAY = date(2026, 11, 25)


@pytest.fixture
def adapter(store):
    """Every test here runs on each backend (the `store` fixture of conftest.py)."""
    return store


def strip(attributes):
    return {k: v for k, v in attributes.items() if k != "_rev"}


def test_round_trip_keeps_nested_values_and_numbers(adapter):
    envelope = envelope_for("user-round-trip")
    assert adapter.get_attributes(envelope) == {}
    save_ops(adapter, envelope, [ops.set_field("tempo", 0.8), ops.session("calf_raises", DAY)])
    loaded = read_record(adapter, envelope)
    assert loaded["completed"] == {"calf_raises": 1} and loaded["recent"][0]["date"] == "2026-11-25"
    assert loaded["tempo"] == 0.8 and isinstance(loaded["tempo"], float)
    assert loaded["_rev"] > 0


def test_users_are_kept_apart(adapter):
    save_ops(adapter, envelope_for("alice"), [ops.set_field("tempo", 0.8)])
    save_ops(adapter, envelope_for("bob"), [ops.set_field("tempo", 1.1)])
    assert read_record(adapter, envelope_for("alice"))["tempo"] == 0.8
    assert read_record(adapter, envelope_for("bob"))["tempo"] == 1.1


def test_two_overlapping_turns_that_both_finish_calf_raises_store_two(adapter):
    """The issue's deterministic repro: both turns read count 0, both finish, both count."""
    envelope = envelope_for("overlap")
    save_ops(adapter, envelope, [ops.set_field("disclaimer_heard", True)])
    first_read, second_read = read_record(adapter, envelope), read_record(adapter, envelope)
    save_ops(adapter, envelope, [ops.session("calf_raises", DAY)], first_read)
    save_ops(adapter, envelope, [ops.session("calf_raises", DAY)], second_read)
    final = read_record(adapter, envelope)
    assert final["completed"] == {"calf_raises": 2}
    assert len(final["recent"]) == 2 and final["disclaimer_heard"] is True


def test_an_operation_is_applied_once_even_when_saved_twice(adapter):
    """A retry after an ambiguous failure (the write may have landed) never counts twice."""
    envelope = envelope_for("retry")
    finished = ops.session("towel_scrunches", DAY)
    save_ops(adapter, envelope, [finished])
    save_ops(adapter, envelope, [finished])
    assert read_record(adapter, envelope)["completed"] == {"towel_scrunches": 1}


def test_delete_removes_the_row(adapter):
    envelope = envelope_for("leaving-user")
    save_ops(adapter, envelope, [ops.set_field("disclaimer_heard", True)])
    assert save_ops(adapter, envelope, [ops.delete()]) == {}
    assert adapter.get_attributes(envelope) == {}


def test_a_turn_that_read_a_deleted_record_cannot_write_over_its_successor(adapter):
    envelope = envelope_for("deleted-meanwhile")
    save_ops(adapter, envelope, [ops.session("calf_raises", DAY)])
    stale = read_record(adapter, envelope)
    save_ops(adapter, envelope, [ops.delete()])
    save_ops(adapter, envelope, [ops.set_field("disclaimer_heard", True)])  # a new record
    save_ops(adapter, envelope, [ops.set_field("tempo", 0.9)], stale)
    record = read_record(adapter, envelope)
    assert "completed" not in record, "deleted data never comes back"
    assert record["disclaimer_heard"] is True and record["tempo"] == 0.9


def test_many_threads_for_many_users_end_with_each_last_acknowledged_state(adapter):
    users, writes = 12, 8
    acknowledged: dict[str, float] = {}
    errors: list[BaseException] = []
    tempos = (0.8, 0.9, 1.1)

    def work(user: str) -> None:
        envelope = envelope_for(user)
        try:
            for n in range(writes):
                save_ops(adapter, envelope, [ops.set_field("tempo", tempos[n % 3])])
                acknowledged[user] = tempos[n % 3]
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(f"user-{i}",)) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for user, last in acknowledged.items():
        assert read_record(adapter, envelope_for(user))["tempo"] == last
    assert len(acknowledged) == users


def test_concurrent_increments_to_the_same_key_are_all_kept(adapter):
    envelope = envelope_for("busy-user")
    workers, each = 6, 5
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(each):
                finished = ops.session("calf_raises", DAY)
                # A save refused within its budget (a busy lock on a loaded machine) stays
                # pending and is tried again, as the skill does on the next turn: the same
                # operation, which is applied once however often it is sent.
                for attempt in range(20):
                    try:
                        save_ops(adapter, envelope, [finished], read_record(adapter, envelope))
                        break
                    except PersistenceException:
                        if attempt == 19:
                            raise
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert read_record(adapter, envelope)["completed"] == {"calf_raises": workers * each}


def test_operations_replayed_from_the_outbox_are_stored_once(adapter, tmp_path, caplog):
    envelope = envelope_for("outage-user")
    save_ops(adapter, envelope, [ops.session("calf_raises", DAY)])
    outbox = Outbox(tmp_path / "outbox.jsonl")
    kept = [ops.session("calf_raises", DAY), ops.set_field("tempo", 0.9)]
    outbox.write("outage-user", kept, "test")
    Outbox(None).write("outage-user", [ops.session("towel_scrunches", DAY)], "test")
    log_file = tmp_path / "skill.log"
    log_file.write_text("\n".join(r.getMessage() for r in caplog.records) + "\n")
    result = replay(adapter, [outbox.path, log_file], outbox)
    assert (result.replayed, result.failed, result.malformed) == (2, 0, 0)
    assert not outbox.path.exists(), "a replayed outbox is consumed"
    record = read_record(adapter, envelope)
    assert record["completed"] == {"calf_raises": 2, "towel_scrunches": 1}
    assert record["tempo"] == 0.9
    replay(adapter, [log_file], outbox)  # the same log lines again: nothing counted twice
    assert read_record(adapter, envelope)["completed"] == {"calf_raises": 2, "towel_scrunches": 1}
