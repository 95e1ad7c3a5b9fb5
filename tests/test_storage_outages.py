"""Outages as the user meets them: nothing acknowledged is lost, nothing is diffed against
nothing, nothing malformed is stored. On both backends, through whole conversations."""

from __future__ import annotations

import json
import logging
import sqlite3

import pytest
from ask_sdk_core.exceptions import PersistenceException

from skill.chat.alexa_rules import response_problems
from skill.chat.simulator import TEST_USER_ID, session_open, speech_of
from skill.domain import progress_ops as ops
from skill.storage.outbox import Outbox, replay
from skill.storage.save import read_record, save_ops
from skill.storage.sqlite import SqliteAdapter
from tests.storage_support import envelope_for, stored
from tests.test_progress_coaching import finish
from tests.test_storage_skill import DISCLAIMER, conversation_on


class Flaky:
    """Wraps an adapter; `down` makes the chosen calls fail as an unreachable store does."""

    def __init__(self, adapter, down: tuple[str, ...] = ()) -> None:
        self.adapter, self.down = adapter, down

    def _call(self, name, *args):
        if name in self.down:
            raise PersistenceException(f"injected {name} failure")
        return getattr(self.adapter, name)(*args)

    def get_attributes(self, envelope):
        return self._call("get_attributes", envelope)

    def save_if_unchanged(self, envelope, attributes, expected, new_rev=None):
        return self._call("save_if_unchanged", envelope, attributes, expected, new_rev)

    def save_attributes(self, envelope, attributes):
        return self._call("save_attributes", envelope, attributes)

    def delete_attributes(self, envelope):
        return self._call("delete_attributes", envelope)


ALL = ("get_attributes", "save_if_unchanged", "save_attributes", "delete_attributes")
ME = envelope_for(TEST_USER_ID)


def history(store, count: int = 5) -> None:
    """A user who has finished calf raises `count` times, on consecutive days."""
    from datetime import date

    save_ops(store, ME, [ops.set_field("disclaimer_heard", True)])
    for day in range(count):
        save_ops(store, ME, [ops.session("calf_raises", date(2026, 11, 1 + day))])


def test_a_failed_read_then_recovery_keeps_the_history(store, caplog):
    history(store)
    flaky = Flaky(store, down=("get_attributes",))
    talk = conversation_on(flaky)
    with caplog.at_level(logging.WARNING):
        talk.launch()
        talk.intent("StartExerciseIntent", exercise="towel_scrunches")
        finish(talk)
    assert stored(store)["completed"] == {"calf_raises": 5}, "nothing written while unread"
    flaky.down = ()
    talk.intent("TipIntent")  # storage is back: the pending operations land on the real record
    record = stored(store)
    assert record["completed"] == {"calf_raises": 5, "towel_scrunches": 1}
    assert len(record["recent"]) == 6 and record["streak"]["days"] >= 1
    assert "progress_pending" not in talk.attributes


def test_pending_operations_are_stored_by_the_session_ended_request(store):
    history(store, 1)
    flaky = Flaky(store, down=ALL)
    talk = conversation_on(flaky)
    talk.launch()
    talk.intent("StartExerciseIntent", exercise="towel_scrunches")
    finish(talk)
    assert talk.attributes.get("progress_pending"), "kept in the session meanwhile"
    flaky.down = ()
    talk.end("EXCEEDED_MAX_REPROMPTS")
    assert stored(store)["completed"] == {"calf_raises": 1, "towel_scrunches": 1}


def test_still_down_at_the_end_goes_to_the_outbox_and_replays(store, tmp_path, monkeypatch):
    history(store, 2)
    monkeypatch.setenv("ANKLE_COACH_OUTBOX", str(tmp_path / "outbox.jsonl"))
    flaky = Flaky(store, down=ALL)
    talk = conversation_on(flaky)
    talk.launch()
    talk.intent("StartExerciseIntent", exercise="towel_scrunches")
    finish(talk)
    goodbye = talk.intent("AMAZON.StopIntent")
    assert not session_open(goodbye) and response_problems(goodbye) == []
    (entry,) = (tmp_path / "outbox.jsonl").read_text().splitlines()
    assert json.loads(entry)["user"] == TEST_USER_ID
    outbox = Outbox(tmp_path / "outbox.jsonl")
    assert replay(store, [outbox.path], outbox).replayed == 1
    assert stored(store)["completed"] == {"calf_raises": 2, "towel_scrunches": 1}


def test_reset_and_delete_are_confirmed_only_once_stored(store):
    history(store, 3)
    flaky = Flaky(store, down=("save_if_unchanged", "save_attributes", "delete_attributes"))
    talk = conversation_on(flaky)
    talk.launch()
    for intent in ("ResetProgressIntent", "DeleteDataIntent"):
        talk.intent(intent)
        answer = speech_of(talk.intent("AMAZON.YesIntent"))
        assert "can't reach" in answer and "Done" not in answer
    assert stored(store)["completed"] == {"calf_raises": 3}
    flaky.down = ()
    talk.intent("AMAZON.StopIntent")
    assert stored(store)["completed"] == {"calf_raises": 3}, "a refused reset is not pending"


def test_a_malformed_stored_record_is_repaired_field_by_field(tmp_path, caplog):
    adapter = SqliteAdapter(tmp_path / "store.sqlite3")
    save_ops(adapter, ME, [ops.set_field("disclaimer_heard", True)])
    forged = {
        "disclaimer_heard": True,
        "tempo": "fast",
        "completed": {"calf_raises": 4, "towel_scrunches": -2, "x y": 1},
        "recent": [{"date": "2026-11-24", "exercise": "calf_raises"}, {"date": "yesterday"}],
        "streak": 3,
        "position": "set 2",
        "evil": {"a": 1},
    }
    with sqlite3.connect(adapter.path) as db:
        db.execute("UPDATE users SET attributes = ?", (json.dumps(forged),))
    talk = conversation_on(adapter)
    with caplog.at_level(logging.WARNING):
        launch = talk.launch()
    raw = sqlite3.connect(adapter.path).execute("SELECT attributes FROM users").fetchone()[0]
    assert json.loads(raw) == {
        "disclaimer_heard": True,
        "completed": {"calf_raises": 4},
        "recent": [{"date": "2026-11-24", "exercise": "calf_raises"}],
        "schema": 1,
    }, "repaired in storage by the first turn that read it"
    with caplog.at_level(logging.WARNING):
        responses = [
            launch,
            talk.intent("ProgressIntent"),
            talk.intent("StartExerciseIntent", exercise="calf_raises"),
            talk.intent("AMAZON.StopIntent"),
        ]
    for response in responses:
        assert response_problems(response) == [] and speech_of(response)
    assert DISCLAIMER not in speech_of(responses[0]), "the valid flag was kept"
    assert any("repaired" in r.getMessage() for r in caplog.records)
    record = read_record(adapter, ME)
    assert record["completed"] == {"calf_raises": 4}
    assert record["recent"] == [{"date": "2026-11-24", "exercise": "calf_raises"}]
    assert "evil" not in record and "streak" not in record
    assert record["position"]["routine"] == ["calf_raises"], "a real place replaced the forged one"


@pytest.mark.parametrize(
    "pending",
    [
        "not a dict",
        {"ops": "nope", "view": 7},
        {"ops": [{"op": "session", "id": "zz", "exercise": "calf_raises", "date": "x"}, 3]},
        {"ops": [{"op": "set", "field": "tempo", "value": 99}], "view": {"tempo": "fast"}},
    ],
)
def test_forged_pending_operations_are_dropped_never_stored(tmp_path, pending, caplog):
    adapter = SqliteAdapter(tmp_path / "store.sqlite3")
    talk = conversation_on(adapter)
    talk.launch()
    before = stored(adapter)
    talk.attributes["progress_pending"] = pending
    with caplog.at_level(logging.WARNING):
        response = talk.intent("TipIntent")
    assert response_problems(response) == [] and session_open(response)
    assert stored(adapter) == before
    assert any(
        "malformed" in r.getMessage() or "repaired" in r.getMessage() for r in caplog.records
    )
