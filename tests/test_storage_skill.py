"""Storage as the user meets it: remembered across sessions, and never silencing the skill."""

from __future__ import annotations

import logging
import shutil
import sqlite3

import pytest

from skill.alexa.builder import build_skill, invoke_event
from skill.chat.alexa_rules import response_problems
from skill.chat.simulator import TEST_USER_ID, Conversation, session_open, speech_of
from skill.domain.content import load_content
from skill.storage.sqlite import SqliteAdapter
from tests.storage_support import envelope_for

DISCLAIMER = load_content().prompt("disclaimer")


def conversation_on(adapter) -> Conversation:
    skill = build_skill(persistence_adapter=adapter)
    return Conversation(send=lambda envelope: invoke_event(skill, envelope))


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "var" / "ankle-coach.sqlite3"


def test_the_disclaimer_is_heard_once_per_user_not_once_per_session(db_path):
    adapter = SqliteAdapter(db_path)
    first = conversation_on(adapter)
    assert DISCLAIMER in speech_of(first.launch())
    first.intent("AMAZON.StopIntent")
    assert DISCLAIMER not in speech_of(first.launch()), "a second session of the same user"
    stranger = conversation_on(adapter)
    stranger.user_id = "amzn1.ask.account.SOMEONE-ELSE"
    assert DISCLAIMER in speech_of(stranger.launch())


def test_nothing_is_written_when_nothing_changed(db_path):
    adapter = SqliteAdapter(db_path)
    talk = conversation_on(adapter)
    talk.launch()
    rev = sqlite3.connect(db_path).execute("SELECT rev FROM users").fetchone()[0]
    talk.intent("WhyAnklesPopIntent")
    talk.intent("TipIntent")
    assert sqlite3.connect(db_path).execute("SELECT rev FROM users").fetchone()[0] == rev


def test_a_locked_database_degrades_then_recovers(db_path, caplog):
    adapter = SqliteAdapter(db_path, busy_timeout_ms=100)
    talk = conversation_on(adapter)
    assert adapter.get_attributes(envelope_for("warm-up")) == {}  # file and schema exist
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    with caplog.at_level(logging.WARNING):
        response = talk.launch()  # a new user: the disclaimer flag must be written
    assert response_problems(response) == [] and session_open(response)
    assert DISCLAIMER in speech_of(response)
    assert any("storage write failed" in r.getMessage() for r in caplog.records)
    blocker.execute("ROLLBACK")
    blocker.close()
    talk.intent("TipIntent")  # storage is back: the unsaved change is written now
    talk.intent("AMAZON.StopIntent")
    assert DISCLAIMER not in speech_of(talk.launch()), "a new session knows the user"


def test_an_unwritable_path_degrades_without_crashing(tmp_path, caplog):
    not_a_dir = tmp_path / "a-file"
    not_a_dir.write_text("I am a file, not a folder")
    talk = conversation_on(SqliteAdapter(not_a_dir / "ankle-coach.sqlite3"))
    with caplog.at_level(logging.WARNING):
        launch = talk.launch()
        answer = talk.intent("WhyAnklesPopIntent")
    assert DISCLAIMER in speech_of(launch)
    assert DISCLAIMER not in speech_of(answer), "session state still remembers within the session"
    for response in (launch, answer):
        assert response_problems(response) == []
    assert sum("storage read failed" in r.getMessage() for r in caplog.records) >= 2


def test_a_corrupt_database_is_moved_aside_never_overwritten(db_path, caplog):
    db_path.parent.mkdir(parents=True)
    garbage = b"this is not a database" * 100
    db_path.write_bytes(garbage)
    adapter = SqliteAdapter(db_path)
    talk = conversation_on(adapter)
    with caplog.at_level(logging.WARNING):
        response = talk.launch()
    assert response_problems(response) == [] and speech_of(response)
    (aside,) = db_path.parent.glob("ankle-coach.sqlite3.corrupt-*")
    assert aside.read_bytes() == garbage, "kept byte for byte for inspection"
    assert any(r.levelno == logging.ERROR and "corrupt" in r.getMessage() for r in caplog.records)
    assert adapter.get_attributes(envelope_for(TEST_USER_ID))["disclaimer_heard"] is True


def test_a_deleted_database_is_noticed_and_its_records_carried_over(db_path, caplog):
    adapter = SqliteAdapter(db_path)
    talk = conversation_on(adapter)
    talk.launch()
    shutil.rmtree(db_path.parent)
    with caplog.at_level(logging.ERROR):
        talk.intent("TipIntent")
    assert any("deleted or replaced" in r.getMessage() for r in caplog.records)
    assert db_path.exists(), "a new file where the old one was"
    row = sqlite3.connect(db_path).execute("SELECT attributes FROM users").fetchone()
    assert row is not None and '"disclaimer_heard": true' in row[0]


def test_a_failed_write_is_retried_on_the_next_turn(db_path, monkeypatch, caplog):
    adapter = SqliteAdapter(db_path)
    talk = conversation_on(adapter)
    real = adapter.save_if_unchanged

    def failing(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(adapter, "save_if_unchanged", failing)
    with caplog.at_level(logging.WARNING):
        talk.launch()
    assert any("storage write failed" in r.getMessage() for r in caplog.records)
    monkeypatch.setattr(adapter, "save_if_unchanged", real)
    talk.intent("TipIntent")
    stored = sqlite3.connect(db_path).execute("SELECT attributes FROM users").fetchone()[0]
    assert '"disclaimer_heard": true' in stored
